"""Reminders found from the data by the sender: a step the board owes on a concern falls due on the next working
day, and again on the day it becomes overdue. Each is queued once (a key per concern, step, due date and kind).
"""
from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from tracker.domain.concerns.rules import board_owes
from tracker.domain.formatting import format_date
from tracker.domain.notifications.queue import board_users, plan_name, queue
from tracker.domain.working_days import add_working_days, is_working_day
from tracker.models import Concern

# An overdue reminder is still sent this many working days after the due date, should the sender not have run on
# the day itself; older overdue steps (an import of past concerns) are not reminded of.
CATCH_UP_WORKING_DAYS = 3


def reminder_for(status: str, acknowledge_due: date, respond_due: date, today: date) -> tuple[str, date] | None:
    """Which reminder a concern calls for today, if any: ("concern_due" | "concern_overdue", the due date)."""
    owed = board_owes(status, acknowledge_due, respond_due, today)
    if owed.due is None or not is_working_day(today):
        return None
    if not owed.overdue and today < owed.due <= add_working_days(today, 1):
        return "concern_due", owed.due
    if owed.overdue and today <= add_working_days(owed.due, CATCH_UP_WORKING_DAYS):
        return "concern_overdue", owed.due
    return None


def queue_reminders(session: Session, today: date) -> int:
    """Queue the reminders due today for every concern the board owes a step on; the number queued.

    Confidential concerns are not the board's to answer, and are never named to it.
    """
    low, high = today - timedelta(days=14), today + timedelta(days=7)
    candidates = session.scalars(sa.select(Concern).where(
        Concern.confidential.is_(False),
        sa.or_(sa.and_(Concern.status == "open", Concern.acknowledge_due.between(low, high)),
               sa.and_(Concern.status == "acknowledged", Concern.respond_due.between(low, high))),
    ).order_by(Concern.id)).all()
    queued = 0
    for concern in candidates:
        found = reminder_for(concern.status, concern.acknowledge_due, concern.respond_due, today)
        if found is None:
            continue
        kind, due = found
        step = "acknowledgement" if concern.status == "open" else "response"
        facts = {"plan": plan_name(concern.plan), "provider": concern.provider.name, "ref": concern.ref,
                 "step": step, "due": format_date(due)}
        key = f"{kind}:{concern.id}:{concern.status}:{due.isoformat()}"
        try:
            with session.begin_nested():  # another sender may queue the same reminder at the same moment
                queued += len(queue(session, kind, board_users(session, concern.plan.hwb_id), concern.plan,
                                    "concern", concern.ref, facts, key=key))
        except IntegrityError:
            continue
    return queued
