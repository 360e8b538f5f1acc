"""Schemas of POST /api/v1/events/{event_ref}/participations/{provider_code} (the answer comes as EventOut)."""
from __future__ import annotations

from marshmallow import fields, validate

from tracker.api.schemas import Strict


class ParticipationAnswerIn(Strict):
    status = fields.String(required=True, validate=validate.OneOf(["confirmed", "disputed"]),
                           metadata={"description": "confirmed or disputed"})
    note = fields.String(load_default="", validate=validate.Length(max=2000),
                         metadata={"description": "Why it is disputed: required for disputed, ignored otherwise"})
    leadership = fields.Boolean(load_default=None, allow_none=True,
                                metadata={"description": "A provider answering for itself may say whether its "
                                          "leadership took part; null or left out keeps what is recorded"})
