"""Recording engagement events: the one set of rules behind the provider and HWB forms and the events API."""
from tracker.domain.engagement.rules import EARLIEST_EVENT_DATE, EventInput, ParticipantInput, validate_event
from tracker.domain.engagement.service import (
    EventRejected,
    event_as_dict,
    event_problems,
    provider_codes,
    record_event,
    set_participation_status,
    update_event,
    withdraw_event,
)

__all__ = ["EARLIEST_EVENT_DATE", "EventInput", "EventRejected", "ParticipantInput", "event_as_dict", "event_problems",
           "provider_codes", "record_event", "set_participation_status", "update_event", "validate_event",
           "withdraw_event"]
