"""The rules an engagement event must meet, in plain Python: the same for a form and for the API."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urlsplit

from tracker.domain import vocab
from tracker.domain.text import text_problem

EARLIEST_EVENT_DATE = date(2014, 1, 1)
SUMMARY_MAX = 5000
MAX_PARTICIPANTS = 200


@dataclass(frozen=True)
class ParticipantInput:
    """A provider named as taking part, and whether its leadership (board or executive) took part: None when the
    recorder does not say (a provider states only its own; see service.stated_leadership)."""

    provider_code: str
    leadership: bool | None = None


@dataclass(frozen=True)
class EventInput:
    """What a person or system asks to record."""

    date: date | None
    kind: str
    depth: int | None
    topics: tuple[str, ...]
    summary: str
    participations: tuple[ParticipantInput, ...]
    evidence_url: str | None = None
    extra: dict[str, str] = field(default_factory=dict)


def validate_event(event: EventInput, *, today: date, side: str, own_provider_code: str | None,
                   known_provider_codes: set[str]) -> dict[str, str]:
    """Every problem with the event, as field -> message in the NHS.UK style; empty when it can be recorded.

    `side` is "provider" or "hwb"; a provider must name itself among the participants.
    `known_provider_codes` are the codes among the named ones that exist.
    """
    errors: dict[str, str] = {}
    if event.date is None:
        errors["date"] = "Enter the date of the event"
    elif event.date > today:
        errors["date"] = "Date of the event must be today or in the past"
    elif event.date < EARLIEST_EVENT_DATE:
        errors["date"] = "Date of the event must be on or after 1 January 2014"
    if event.kind not in vocab.EVENT_KINDS:
        errors["kind"] = "Select what kind of event it was"
    if event.depth is None or event.depth not in vocab.DEPTHS:
        errors["depth"] = "Select how deeply the provider was involved, from 1 (inform) to 5 (empower)"
    if not event.topics:
        errors["topics"] = "Select at least one topic"
    elif any(topic not in vocab.TOPICS for topic in event.topics):
        errors["topics"] = f"Topics must be among {', '.join(vocab.TOPICS)}"
    elif len(set(event.topics)) != len(event.topics):
        errors["topics"] = "Each topic can be given only once"
    problem = text_problem(event.summary, label="Summary", maximum=SUMMARY_MAX,
                           missing="Enter a summary of what happened")
    if problem:
        errors["summary"] = problem
    if event.evidence_url:
        parts = urlsplit(event.evidence_url)
        if (parts.scheme not in ("http", "https") or not parts.netloc or len(event.evidence_url) > 2000
                or not event.evidence_url.isprintable() or " " in event.evidence_url):
            errors["evidence_url"] = "Enter a link that starts with https:// or http://"
    problem = _participants_problem(event.participations, side, own_provider_code, known_provider_codes)
    if problem:
        errors["participations"] = problem
    return errors


def _participants_problem(participants: tuple[ParticipantInput, ...], side: str, own_code: str | None,
                          known: set[str]) -> str | None:
    """What is wrong with the list of providers taking part, if anything."""
    codes = [p.provider_code for p in participants]
    if not codes:
        return "Name at least one provider that took part"
    if len(codes) > MAX_PARTICIPANTS:
        return f"An event can name at most {MAX_PARTICIPANTS} providers"
    if len(set(codes)) != len(codes):
        return "Each provider can be named only once"
    unknown = [code for code in codes if code not in known]
    if unknown:
        return f"No provider has the code {unknown[0][:40]}"
    if side == "provider" and own_code not in codes:
        return "Include your own organisation among the providers that took part"
    return None
