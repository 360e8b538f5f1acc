"""Marshmallow schemas of the concerns API (GET and POST /plans/{hwb_code}/{year}/concerns, POST
/concerns/{ref}/actions): the fields of PRODUCT.md's JSON API table. Dates are ISO strings (as the events' are), so
an answer kept for an Idempotency-Key replays as it was sent."""
from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate

from tracker.api.schemas import Strict
from tracker.domain import vocab
from tracker.domain.concerns import ACTIONS
from tracker.domain.concerns.service import TEXT_MAX

SIDES = ["provider", "hwb", "assurer", "import"]
STEP_ACTIONS = ["raise", *ACTIONS]


class ConcernIn(Strict):
    category = fields.String(required=True, validate=validate.OneOf(list(vocab.CONCERN_CATEGORIES)))
    severity = fields.String(required=True, validate=validate.OneOf(list(vocab.SEVERITIES)))
    confidential = fields.Boolean(load_default=False,
                                  metadata={"description": "For assurers only: the board never sees it"})
    text = fields.String(required=True, validate=validate.Length(min=1, max=TEXT_MAX))


class ConcernActionIn(Strict):
    action = fields.String(required=True, validate=validate.OneOf(list(ACTIONS)))
    message = fields.String(load_default="", validate=validate.Length(max=10_000),
                            metadata={"description": "Required for respond, reply, reopen and escalate"})


class ConcernStepOut(ma.Schema):
    at = fields.String(required=True, metadata={"format": "date-time"})
    side = fields.String(required=True, validate=validate.OneOf(SIDES))
    action = fields.String(required=True, validate=validate.OneOf(STEP_ACTIONS))
    message = fields.String(required=True)


class ConcernOut(ma.Schema):
    ref = fields.String(required=True)
    provider_code = fields.String(required=True)
    raised = fields.String(required=True, metadata={"format": "date", "example": "2014-10-06"})
    category = fields.String(required=True, validate=validate.OneOf(list(vocab.CONCERN_CATEGORIES)))
    severity = fields.String(required=True, validate=validate.OneOf(list(vocab.SEVERITIES)))
    confidential = fields.Boolean(required=True)
    status = fields.String(required=True, validate=validate.OneOf(list(vocab.CONCERN_STATUSES)))
    acknowledgement_due = fields.String(required=True, metadata={"format": "date", "example": "2014-10-06"})
    response_due = fields.String(required=True, metadata={"format": "date", "example": "2014-10-06"})
    overdue = fields.Boolean(required=True, metadata={"description": "The step owed is past its due date today"})
    owed_by = fields.String(required=True, allow_none=True, validate=validate.OneOf(["hwb", "assurer", "provider"]),
                            metadata={"description": "Who owes the next step: null once resolved"})
    history = fields.List(fields.Nested(ConcernStepOut), required=True)
