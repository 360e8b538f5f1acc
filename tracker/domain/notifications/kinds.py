"""The kinds of notification: who each is for, whether it is a duty (cannot be turned off), and its wording.

Wording follows the NHS.UK content style: plain words, short sentences, "you". A message names the plan and the
record and says what to do; it never quotes what someone wrote (a concern's text, a reply), so it carries
nothing its reader could not see in the tracker, and nothing sensitive leaves by e-mail.
"""
from __future__ import annotations

import html
from dataclasses import dataclass

PROVIDER, BOARD, ASSURER = "provider", "hwb", "assurer"


@dataclass(frozen=True)
class Kind:
    """One kind of notification."""

    name: str
    label: str  # on the preferences page
    audiences: frozenset[str]  # the roles that receive it
    duty: bool  # something the reader owes: it cannot be turned off
    subject: str  # format strings over the facts of the message
    paragraphs: tuple[str, ...]


def _kind(name: str, label: str, audiences: set[str], duty: bool, subject: str, *paragraphs: str) -> Kind:
    return Kind(name, label, frozenset(audiences), duty, subject, paragraphs)


KINDS: dict[str, Kind] = {k.name: k for k in (
    _kind("event_to_answer", "An event that names your organisation needs your answer", {PROVIDER}, True,
          "Confirm or dispute an event: {plan}",
          "{board} recorded an engagement event on {event_date} that names {provider}.",
          "Tell the board whether your organisation took part. Until you answer, the event is not corroborated."),
    _kind("concern_update", "Your concern was acknowledged, answered, resolved or reopened", {PROVIDER}, False,
          "Your concern {ref} was {step}",
          "Your concern {ref} about {plan} was {step} on {day}.",
          "Read what was said in the tracker. You can reply, reopen or escalate it there."),
    _kind("review_recorded", "A plan was reviewed", {PROVIDER, BOARD}, False,
          "Plan reviewed: {plan}",
          "An assurer recorded a review of {plan} on {day}. The decision is: {decision}."),
    _kind("concern_raised", "A provider raised a concern about your plan", {BOARD}, True,
          "A provider raised a concern: {plan}",
          "{provider} raised a concern about {plan}. It is about: {category}. Severity: {severity}.",
          "Acknowledge it by {acknowledge_due} and respond by {respond_due}."),
    _kind("event_recorded", "A provider recorded an event on your plan", {BOARD}, False,
          "A provider recorded an event: {plan}",
          "{provider} recorded an engagement event on {event_date} on {plan}.",
          "Confirm or dispute it, so the evidence shows whether both sides agree it happened."),
    _kind("concern_due", "A step you owe on a concern is due tomorrow", {BOARD}, True,
          "Due tomorrow: {step} of concern {ref}",
          "The {step} of concern {ref} from {provider} about {plan} is due on {due}."),
    _kind("concern_overdue", "A step you owe on a concern is overdue", {BOARD}, True,
          "Overdue: {step} of concern {ref}",
          "The {step} of concern {ref} from {provider} about {plan} was due on {due}. It is now overdue.",
          "Overdue concerns count against your plan's evidence."),
    _kind("condition_set", "A condition of your plan's approval was set", {BOARD}, False,
          "Condition of approval set: {plan}",
          "An assurer set a condition of approval on {plan}: {condition}"),
    _kind("condition_met", "A condition of your plan's approval was marked met", {BOARD}, False,
          "Condition of approval met: {plan}",
          "An assurer marked a condition of approval on {plan} as met: {condition}"),
    _kind("concern_escalated", "A concern was escalated to assurers", {ASSURER}, True,
          "Concern escalated to assurers: {ref}",
          "{provider} escalated concern {ref} about {plan} to assurers on {day}.",
          "Assurers now owe the response, by {respond_due}."),
    _kind("confidential_concern", "A concern was raised in confidence", {ASSURER}, True,
          "A concern was raised in confidence: {plan}",
          "{provider} raised a concern in confidence about {plan}. It is about: {category}. Severity: {severity}.",
          "The board cannot see it. Assurers answer it, by {respond_due}."),
    _kind("condition_answered", "A board answered a condition of approval", {ASSURER}, False,
          "A board answered a condition: {plan}",
          "{board} answered a condition of approval on {plan}: {condition}"),
)}

# Messages that are not a choice: the password reset link, and the digest that gathers the others.
SYSTEM_KINDS = ("password_reset", "digest")


def kinds_for(role: str) -> list[Kind]:
    """The kinds a person in this role can receive (an admin receives none)."""
    return [kind for kind in KINDS.values() if role in kind.audiences]


def effective_mode(kind: str, chosen: str | None) -> str:
    """How a message of this kind reaches someone: their choice, at once when none, never off for a duty."""
    mode = chosen or "now"
    if mode == "off" and KINDS[kind].duty:
        return "now"
    return mode


@dataclass(frozen=True)
class Message:
    """A composed message: subject, paragraphs as plain text, and the same as HTML."""

    subject: str
    text: str
    html: str


def compose(kind: str, facts: dict[str, str]) -> Message:
    """The subject and body of a message of this kind, from its facts (plan, provider, ref, dates…)."""
    spec = KINDS[kind]
    paragraphs = [p.format(**facts) for p in spec.paragraphs]
    return Message(subject=spec.subject.format(**facts)[:200], text="\n\n".join(paragraphs),
                   html="".join(f"<p>{html.escape(p)}</p>" for p in paragraphs))
