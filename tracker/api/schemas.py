"""Marshmallow schemas of the API: they parse the requests, shape the answers and make the OpenAPI document."""
from __future__ import annotations

from datetime import date

import marshmallow as ma
from marshmallow import fields, validate

from tracker.domain import vocab
from tracker.web.clock import today

SECTOR_COUNTS = {s: fields.Integer(required=True) for s in vocab.SECTORS}
SECTOR_RATIOS = {s: fields.Float(required=True, allow_none=True) for s in vocab.SECTORS}


def _has_lone_surrogate(value: object) -> bool:
    """Whether a decoded JSON value holds a UTF-16 surrogate half, which cannot be stored as UTF-8."""
    if isinstance(value, str):
        return any("\ud800" <= ch <= "\udfff" for ch in value)
    if isinstance(value, dict):
        return any(_has_lone_surrogate(k) or _has_lone_surrogate(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_lone_surrogate(v) for v in value)
    return False


class Strict(ma.Schema):
    """Unknown fields are refused, so a typo in a field name is reported rather than ignored."""

    class Meta:
        unknown = ma.RAISE

    @ma.pre_load
    def refuse_lone_surrogates(self, data: object, **_kwargs: object) -> object:
        """Text must be real Unicode: name the field holding a lone surrogate (from a \\uD800-style escape)."""
        if isinstance(data, dict):
            bad = {key: ["Must be valid Unicode text"] for key, value in data.items()
                   if _has_lone_surrogate(key) or _has_lone_surrogate(value)}
            if bad:
                raise ma.ValidationError(bad)
        return data


class MembershipQuery(Strict):
    as_of = fields.Date(required=True, metadata={"description": "The date the board membership is taken on"})
    region = fields.String(validate=validate.OneOf(list(vocab.REGIONS)))


class RegionRow(ma.Schema):
    region = fields.String(required=True)
    boards = fields.Integer(required=True)
    boards_with_provider_member = fields.Integer(required=True)


class MembershipStatistics(ma.Schema):
    as_of = fields.Date(required=True)
    region = fields.String(allow_none=True, required=True)
    boards = fields.Integer(required=True)
    boards_with_provider_member = fields.Integer(required=True)
    boards_with_voting_provider_member = fields.Integer(required=True)
    share_with_provider_member = fields.Float(allow_none=True, required=True)
    share_with_voting_provider_member = fields.Float(allow_none=True, required=True)
    by_sector = fields.Nested(ma.Schema.from_dict(SECTOR_COUNTS, name="SectorBoards"), required=True)
    mean_board_size = fields.Float(allow_none=True, required=True)
    by_region = fields.List(fields.Nested(RegionRow), required=True)


# A financial year like 2015-16 (tracker.domain.vocab.is_year); the pattern documents its form in the OpenAPI
# document, the validator also checks that the second part is the year after the first.
YEAR_PATTERN = r"^20[0-9]{2}-[0-9]{2}$"


def _financial_year(value: str) -> None:
    if not vocab.is_year(value):
        raise ma.ValidationError("Must be a financial year like 2015-16 (the second part the year after the first)")


def not_after_today(value: date) -> None:
    """Evidence as at a date can be asked for today or any day before, not a day to come."""
    if value > today():
        raise ma.ValidationError("Must be today or a date before today")


def as_of_field() -> fields.Date:
    return fields.Date(validate=not_after_today, metadata={
        "description": "Evidence as at the end of this date (YYYY-MM-DD, today or earlier): as the tracker showed it "
                       "then, counting only what had been recorded by then. Today when not given"})


class PlansQuery(Strict):
    year = fields.String(validate=_financial_year, metadata={
        "pattern": YEAR_PATTERN, "example": "2015-16",
        "description": "A financial year like 2015-16; by default the latest year with plans in the caller's scope"})
    region = fields.String(validate=validate.OneOf(list(vocab.REGIONS)))
    as_of = as_of_field()


class EvidenceQuery(Strict):
    as_of = as_of_field()


class PlanSummary(ma.Schema):
    hwb_code = fields.String(required=True)
    hwb_name = fields.String(required=True)
    region = fields.String(required=True)
    year = fields.String(required=True)
    coverage = fields.Float(allow_none=True, required=True)
    rating = fields.String(required=True, validate=validate.OneOf(list(vocab.RATINGS)))
    status = fields.String(required=True, validate=validate.OneOf(list(vocab.PLAN_STATUSES)))


class Criterion(ma.Schema):
    id = fields.String(required=True)
    passed = fields.Boolean(required=True)
    value = fields.Float(allow_none=True, required=True)
    threshold = fields.Float(allow_none=True, required=True)


class ConcernCounts(ma.Schema):
    open = fields.Integer(required=True)
    overdue = fields.Integer(required=True)
    escalated = fields.Integer(required=True)


class Evidence(ma.Schema):
    footprint = fields.Nested(ma.Schema.from_dict(SECTOR_COUNTS, name="SectorFootprint"), required=True)
    engaged = fields.Nested(ma.Schema.from_dict(SECTOR_COUNTS, name="SectorEngaged"), required=True)
    coverage = fields.Float(allow_none=True, required=True)
    coverage_by_sector = fields.Nested(ma.Schema.from_dict(SECTOR_RATIOS, name="SectorCoverage"), required=True)
    corroboration = fields.Float(allow_none=True, required=True)
    depth = fields.Nested(ma.Schema.from_dict({str(d): fields.Integer(required=True) for d in vocab.DEPTHS},
                                              name="DepthCounts"), required=True)
    sustained = fields.Integer(required=True)
    concerns = fields.Nested(ConcernCounts, required=True)
    criteria = fields.List(fields.Nested(Criterion), required=True)
    rating = fields.String(required=True, validate=validate.OneOf(list(vocab.RATINGS)))
    suggested_tranche = fields.Integer(allow_none=True, required=True)
    as_of = fields.Date(required=True, metadata={"description": "The date the figures stand at: as_of, or today"})


class PageQuery(Strict):
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=1_000_000))
    per_page = fields.Integer(load_default=50, validate=validate.Range(min=1, max=500))


class ParticipationIn(Strict):
    provider_code = fields.String(required=True, validate=validate.Length(min=1, max=20))
    # null or left out: not stated. A provider states only its own (tracker.domain.engagement.service).
    leadership = fields.Boolean(load_default=None, allow_none=True)


class ParticipationOut(ma.Schema):
    provider_code = fields.String(required=True)
    leadership = fields.Boolean(required=True, allow_none=True,
                                metadata={"description": "Whether its leadership took part; null: not stated"})
    status = fields.String(required=True, validate=validate.OneOf(list(vocab.PARTICIPATION_STATUSES)))


class EventIn(Strict):
    date = fields.Date(required=True)
    kind = fields.String(required=True, validate=validate.OneOf(list(vocab.EVENT_KINDS)))
    depth = fields.Integer(required=True, strict=True, validate=validate.Range(min=1, max=5))
    topics = fields.List(fields.String(validate=validate.OneOf(list(vocab.TOPICS))), required=True)
    summary = fields.String(required=True, validate=validate.Length(max=5000))
    participations = fields.List(fields.Nested(ParticipationIn), required=True)
    evidence_url = fields.String(validate=validate.Length(max=2000))


class EventOut(ma.Schema):
    event_ref = fields.String(required=True)
    recorded_by = fields.String(required=True, validate=validate.OneOf(list(vocab.RECORDED_BY)))
    date = fields.String(required=True, metadata={"format": "date", "example": "2014-06-12"})
    kind = fields.String(required=True)
    depth = fields.Integer(required=True)
    topics = fields.List(fields.String(), required=True)
    summary = fields.String(required=True)
    withdrawn = fields.Boolean(required=True)
    participations = fields.List(fields.Nested(ParticipationOut), required=True)


class ErrorDetail(ma.Schema):
    code = fields.String(required=True, metadata={"example": "invalid_input"})
    message = fields.String(required=True)
    fields_ = fields.Dict(keys=fields.String(), values=fields.String(), data_key="fields",
                          metadata={"description": "Each invalid field and its message"})


class ErrorBody(ma.Schema):
    error = fields.Nested(ErrorDetail, required=True)
