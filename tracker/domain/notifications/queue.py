"""Queueing notifications in the caller's transaction: who receives them, how (their choice per kind), and the
page each reader opens. A change that rolls back takes its notifications with it.
"""
from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from tracker.domain import vocab
from tracker.domain.notifications.kinds import KINDS, compose, effective_mode
from tracker.models import HWB, Notification, NotificationPreference, Plan, User
from tracker.models._types import utcnow

# The page a reader opens for a record, by role: formatted with the record's ref and the plan's board and year.
LINKS: dict[tuple[str, str], str] = {
    ("provider", "concern"): "/provider/concerns/{ref}",
    ("hwb", "concern"): "/board/concerns/{ref}",
    ("assurer", "concern"): "/assurance/concerns/{ref}",
    ("provider", "event"): "/provider/events/{ref}",
    ("hwb", "event"): "/board/events/{ref}",
    ("provider", "plan"): "/provider/plans/{hwb_code}/{year}",
    ("hwb", "plan"): "/board/?year={year}",
    ("assurer", "plan"): "/assurance/plans/{hwb_code}/{year}",
}


def link_for(role: str, record_type: str, ref: str, plan: Plan | None) -> str:
    """The path of the record's page for a reader in this role ('' when the role has none)."""
    pattern = LINKS.get(("assurer" if role == "admin" else role, record_type))
    if pattern is None:
        return ""
    return pattern.format(ref=ref, hwb_code=plan.hwb.code if plan else "", year=plan.year if plan else "")


def plan_name(plan: Plan) -> str:
    """A plan in words: "Hartlepool's plan for 2015 to 2016"."""
    return f"{plan.hwb.name}'s plan for {vocab.year_label(plan.year)}"


def provider_users(session: Session, provider_ids: Iterable[int]) -> list[User]:
    """The active users of these providers."""
    ids = list(provider_ids)
    return list(session.scalars(sa.select(User).where(User.role == "provider", User.provider_id.in_(ids),
                                                      User.active.is_(True)))) if ids else []


def board_users(session: Session, hwb_id: int) -> list[User]:
    """The active users of this board."""
    return list(session.scalars(sa.select(User).where(User.role == "hwb", User.hwb_id == hwb_id,
                                                      User.active.is_(True))))


def assurers_for(session: Session, plan: Plan) -> list[User]:
    """The active assurers whose scope includes the plan: national ones and those of its board's region."""
    region = session.scalar(sa.select(HWB.region).where(HWB.id == plan.hwb_id))
    return list(session.scalars(sa.select(User).where(
        User.role == "assurer", User.active.is_(True), sa.or_(User.region.is_(None), User.region == region))))


def modes(session: Session, user_ids: list[int], kind: str) -> dict[int, str]:
    """Each person's chosen mode for a kind (absent: no choice made, which means at once)."""
    if not user_ids:
        return {}
    return dict(session.execute(sa.select(NotificationPreference.user_id, NotificationPreference.mode).where(
        NotificationPreference.kind == kind, NotificationPreference.user_id.in_(user_ids))).all())


def queue(session: Session, kind: str, recipients: Iterable[User], plan: Plan | None, record_type: str,
          record_ref: str, facts: dict[str, str], *, key: str | None = None, exclude: User | None = None,
          board_may_see: bool = True, now: datetime | None = None) -> list[Notification]:
    """Add a notification of this kind for each recipient whose role receives it, in the caller's transaction.

    Each reader's choice applies (at once, held for the digest, or none); a duty is never off. `board_may_see`
    False (a confidential concern) keeps the board's users out whoever the caller named. With a `key`, a person
    who already has a notification with that key gets no other (reminders are queued once).
    """
    spec = KINDS[kind]
    people = {u.id: u for u in recipients
              if u.active and u.role in spec.audiences and (exclude is None or u.id != exclude.id)
              and (board_may_see or u.role != "hwb")}
    if key is not None and people:
        already = set(session.scalars(sa.select(Notification.user_id).where(
            Notification.key == key, Notification.user_id.in_(list(people)))))
        people = {uid: u for uid, u in people.items() if uid not in already}
    chosen = modes(session, list(people), kind)
    message = compose(kind, facts)
    moment = now or utcnow()
    added = []
    for user_id, user in sorted(people.items()):
        mode = effective_mode(kind, chosen.get(user_id))
        if mode == "off":
            continue
        link = link_for(user.role, record_type, record_ref, plan)
        row = Notification(user_id=user_id, kind=kind, plan_id=plan.id if plan else None, record_type=record_type,
                           record_ref=record_ref, subject=message.subject, body_text=message.text,
                           body_html=message.html, link=link, key=key, created_at=moment, next_try_at=moment,
                           status="held" if mode == "digest" else "queued")
        session.add(row)
        added.append(row)
    if added:
        session.flush()
    return added
