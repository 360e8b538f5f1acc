"""Marshmallow schemas of the reviews API (GET and POST /api/v1/plans/{hwb_code}/{year}/reviews)."""
from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate

from tracker.api.schemas import Criterion, Strict
from tracker.domain import vocab
from tracker.domain.reviews.rules import CONDITION_MAX_LENGTH, MAX_CONDITIONS
from tracker.models.reviews import CONDITION_STATUSES


class ReviewIn(Strict):
    rating = fields.String(required=True, validate=validate.OneOf(list(vocab.RATINGS)))
    decision = fields.String(required=True, validate=validate.OneOf(list(vocab.DECISIONS)))
    tranche = fields.Integer(required=True, allow_none=True, strict=True, validate=validate.Range(min=1, max=3),
                             metadata={"description": "1, 2 or 3 for an approval; null for intervention"})
    conditions = fields.List(fields.String(validate=validate.Length(max=CONDITION_MAX_LENGTH)),
                             load_default=list, validate=validate.Length(max=MAX_CONDITIONS),
                             metadata={"description": "The conditions of an approval subject to conditions, one "
                                                      "text each"})
    intervention = fields.String(load_default="", validate=validate.Length(max=5000))
    peer_hwb_code = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=9), metadata={
        "description": "A board in scope whose plan the evidence rates strong, to pair the board with"})
    override_reason = fields.String(load_default="", validate=validate.Length(max=5000), metadata={
        "description": "Required when the decision goes against the evidence's suggestion (strong: tranche 1, "
                       "adequate: 2, weak: 3, insufficient: not approved) or the rating differs from the evidence's"})


class ConditionOut(ma.Schema):
    id = fields.Integer(required=True)
    text = fields.String(required=True)
    status = fields.String(required=True, validate=validate.OneOf(list(CONDITION_STATUSES)))
    met_on = fields.String(required=True, allow_none=True, metadata={"format": "date"})


class ReviewOut(ma.Schema):
    at = fields.String(required=True, metadata={"format": "date-time"})
    rating = fields.String(required=True, validate=validate.OneOf(list(vocab.RATINGS)))
    suggested_rating = fields.String(required=True, validate=validate.OneOf(list(vocab.RATINGS)))
    decision = fields.String(required=True, validate=validate.OneOf(list(vocab.DECISIONS)))
    tranche = fields.Integer(required=True, allow_none=True)
    conditions = fields.List(fields.Nested(ConditionOut), required=True)
    intervention = fields.String(required=True)
    peer_hwb_code = fields.String(required=True, allow_none=True)
    criteria = fields.List(fields.Nested(Criterion), required=True,
                           metadata={"description": "The criteria as they were when the review was made"})
    override_reason = fields.String(metadata={"description": "Assurers (and admins) only"})
    reviewer = fields.String(allow_none=True, metadata={"description": "The reviewer's e-mail; assurers (and "
                                                                       "admins) only"})
