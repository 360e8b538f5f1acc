"""Recording engagement events: the one set of rules behind the provider and HWB forms and the events API."""
from tracker.engagement.rules import EARLIEST_EVENT_DATE, EventInput, ParticipantInput, validate_event
from tracker.engagement.service import EventRejected, event_as_dict, record_event

__all__ = ["EARLIEST_EVENT_DATE", "EventInput", "EventRejected", "ParticipantInput", "event_as_dict",
           "record_event", "validate_event"]
