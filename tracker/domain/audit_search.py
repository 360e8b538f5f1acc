"""Searching the audit trail: who may see which entries, the filters, the record each entry is about, and the
before and after of a change side by side.

- admin: every entry;
- assurer: the entries about plans and the records of plans (events, their evidence and participations, concerns,
  impact assessments, reviews and their conditions, board memberships) of the boards in scope (national: all of
  them, regional: its region's) — never entries about user accounts, tokens, settings or bulk loads;
- everyone else: none.

Who acted is shown from the user record where the entry names one (so an anonymised person shows as anonymised);
labels and values kept as text are shown through tracker.domain.anonymise.Substitutions. Nothing here writes.
"""
from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from tracker.domain.clock import LONDON
from tracker.models import (
    HWB,
    AssuranceReview,
    AuditEntry,
    BoardMembership,
    Concern,
    EngagementEvent,
    ImpactAssessment,
    Participation,
    Plan,
    ReviewCondition,
    User,
)

PER_PAGE = 50


def _text(column: Any) -> Any:
    return sa.cast(column, sa.String)


def _keys(entity_type: str) -> sa.Select | None:
    """The records of a plan-related entity type: (key as the audit trail names it, board id, plan id)."""
    if entity_type == "plan":
        return sa.select(_text(Plan.id).label("key"), Plan.hwb_id, Plan.id.label("plan_id"))
    if entity_type in ("engagement_event", "evidence_document"):
        return sa.select(EngagementEvent.ref.label("key"), Plan.hwb_id, Plan.id.label("plan_id")) \
            .join(Plan, EngagementEvent.plan_id == Plan.id)
    if entity_type == "participation":
        return sa.select(_text(Participation.id).label("key"), Plan.hwb_id, Plan.id.label("plan_id")) \
            .join(EngagementEvent, Participation.event_id == EngagementEvent.id) \
            .join(Plan, EngagementEvent.plan_id == Plan.id)
    if entity_type == "concern":
        return sa.select(Concern.ref.label("key"), Plan.hwb_id, Plan.id.label("plan_id")) \
            .join(Plan, Concern.plan_id == Plan.id)
    if entity_type == "impact_assessment":
        return sa.select(_text(ImpactAssessment.id).label("key"), Plan.hwb_id, Plan.id.label("plan_id")) \
            .join(Plan, ImpactAssessment.plan_id == Plan.id)
    if entity_type == "assurance_review":
        return sa.select(_text(AssuranceReview.id).label("key"), Plan.hwb_id, Plan.id.label("plan_id")) \
            .join(Plan, AssuranceReview.plan_id == Plan.id)
    if entity_type == "review_condition":
        return sa.select(_text(ReviewCondition.id).label("key"), Plan.hwb_id, Plan.id.label("plan_id")) \
            .join(AssuranceReview, ReviewCondition.review_id == AssuranceReview.id) \
            .join(Plan, AssuranceReview.plan_id == Plan.id)
    if entity_type == "board_membership":
        return sa.select(_text(BoardMembership.id).label("key"), BoardMembership.hwb_id,
                         sa.null().label("plan_id"))
    return None


PLAN_RELATED = ("plan", "engagement_event", "evidence_document", "participation", "concern", "impact_assessment",
                "assurance_review", "review_condition", "board_membership")
ENTITY_TYPES = {
    "plan": "Plan", "engagement_event": "Engagement event", "evidence_document": "Evidence document",
    "participation": "Participation", "concern": "Concern", "impact_assessment": "Impact assessment",
    "assurance_review": "Assurance review", "review_condition": "Review condition",
    "board_membership": "Board membership", "user": "User account", "api_token": "API token",
    "criteria_settings": "Criteria settings", "database": "Database",
}


def may_search(user: User) -> bool:
    """Admins and assurers search the audit trail."""
    return user.role in ("admin", "assurer")


def scope_condition(user: User) -> sa.ColumnElement[bool]:
    """A condition on AuditEntry keeping the entries the user may see."""
    if user.role == "admin":
        return sa.true()
    if user.role != "assurer":
        return sa.false()
    if not user.region:
        return AuditEntry.entity_type.in_(PLAN_RELATED)
    in_region = sa.select(HWB.id).where(HWB.region == user.region)
    parts = []
    for entity_type in PLAN_RELATED:
        keys = _keys(entity_type).subquery()
        parts.append(sa.and_(AuditEntry.entity_type == entity_type,
                             AuditEntry.entity_id.in_(sa.select(keys.c.key).where(keys.c.hwb_id.in_(in_region)))))
    return sa.or_(*parts)


@dataclass
class Filters:
    """What the audit trail is searched by; empty values do not filter."""

    actor: str = ""
    action: str = ""
    entity_type: str = ""
    entity: str = ""
    date_from: date | None = None
    date_to: date | None = None

    def problems(self) -> dict[str, str]:
        """Field name -> message for filters that cannot be used together."""
        if self.date_from and self.date_to and self.date_to < self.date_from:
            return {"date_to": "Date to must be the same as or after date from"}
        return {}


def clean(value: str, limit: int = 100) -> str:
    """What can be typed into a search box: printable characters (PostgreSQL refuses a NUL), trimmed."""
    return "".join(ch for ch in value if ch.isprintable()).strip()[:limit]


def london_start(day: date) -> datetime:
    """The instant a London date begins, as an aware datetime."""
    return datetime.combine(day, time(0), LONDON)


def _like(text: str) -> str:
    escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def search(user: User, filters: Filters) -> sa.Select:
    """The entries the user may see that match the filters, newest first (joined to the acting user's account)."""
    query = (sa.select(AuditEntry)
             .outerjoin(User, User.id == AuditEntry.actor_id)
             .where(scope_condition(user)))
    if filters.actor:
        pattern = _like(filters.actor)
        query = query.where(sa.or_(
            sa.and_(AuditEntry.actor_id.is_not(None), sa.func.lower(User.email).like(pattern, escape="\\")),
            sa.and_(AuditEntry.actor_id.is_(None), sa.func.lower(AuditEntry.actor).like(pattern, escape="\\"))))
    if filters.action:
        query = query.where(AuditEntry.action == filters.action)
    if filters.entity_type:
        query = query.where(AuditEntry.entity_type == filters.entity_type)
    if filters.entity:
        query = query.where(AuditEntry.entity_id == filters.entity)
    if filters.date_from:
        query = query.where(AuditEntry.at >= london_start(filters.date_from))
    if filters.date_to:
        query = query.where(AuditEntry.at < london_start(filters.date_to + timedelta(days=1)))
    return query.order_by(AuditEntry.at.desc(), AuditEntry.id.desc())


def actions_present(session: Session, user: User) -> list[str]:
    """The kinds of change among the entries the user may see, for the filter's select."""
    return list(session.scalars(sa.select(AuditEntry.action).where(scope_condition(user)).distinct()
                                .order_by(AuditEntry.action)))


def entity_types_present(session: Session, user: User) -> list[str]:
    """The kinds of record among the entries the user may see."""
    return list(session.scalars(sa.select(AuditEntry.entity_type).where(scope_condition(user)).distinct()
                                .order_by(AuditEntry.entity_type)))


def entry_in_scope(session: Session, user: User, entry_id: int) -> tuple[AuditEntry, str | None] | None:
    """One entry with its actor's current e-mail, or None when it does not exist or is out of the user's scope."""
    row = session.execute(search(user, Filters()).add_columns(User.email).where(AuditEntry.id == entry_id)).first()
    return (row[0], row[1]) if row else None


def actor_emails(session: Session, entries: list[AuditEntry]) -> dict[int, str]:
    """Acting user's id -> their current e-mail, for the entries that name a user."""
    ids = {e.actor_id for e in entries if e.actor_id is not None}
    return dict(session.execute(sa.select(User.id, User.email).where(User.id.in_(ids))).tuples().all()) if ids else {}


@dataclass(frozen=True)
class Target:
    """Where the record an entry is about can be seen: a user account, a concern, a condition or a plan."""

    kind: str  # "user", "concern", "condition", "plan"
    key: str = ""
    hwb_code: str = ""
    year: str = ""


def targets(session: Session, entries: list[AuditEntry]) -> dict[int, Target]:
    """Entry id -> where its record can be seen, for the entries whose record still exists and has a page."""
    found: dict[int, Target] = {}
    by_type: dict[str, set[str]] = {}
    for entry in entries:
        by_type.setdefault(entry.entity_type, set()).add(entry.entity_id)
    places: dict[tuple[str, str], tuple[str, str]] = {}
    for entity_type, keys in by_type.items():
        query = _keys(entity_type)
        if query is None:
            continue
        rows = query.subquery()
        for key, code, year in session.execute(
                sa.select(rows.c.key, HWB.code, Plan.year).join(HWB, HWB.id == rows.c.hwb_id)
                .outerjoin(Plan, Plan.id == rows.c.plan_id).where(rows.c.key.in_(keys))):
            places[(entity_type, key)] = (code, year or "")
    users = {str(i) for i in session.scalars(sa.select(User.id).where(_text(User.id).in_(by_type.get("user", []))))}
    for entry in entries:
        if entry.entity_type == "user" and entry.entity_id in users:
            found[entry.id] = Target("user", entry.entity_id)
        elif (entry.entity_type, entry.entity_id) in places:
            code, year = places[(entry.entity_type, entry.entity_id)]
            kind = {"concern": "concern", "review_condition": "condition"}.get(entry.entity_type, "plan")
            if kind == "plan" and not year:
                continue  # a board membership: no page of its own for assurers
            found[entry.id] = Target(kind, entry.entity_id, code, year)
    return found


@dataclass(frozen=True)
class Change:
    """One field of a record: what it was and what it became."""

    field: str
    before: str
    after: str
    changed: bool


def shown(value: Any) -> str:
    """A value of an entry as text: nothing for none, lists joined, records as JSON."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list) and all(not isinstance(v, dict | list) for v in value):
        return ", ".join(shown(v) for v in value)
    if isinstance(value, dict | list):
        return json.dumps(value, sort_keys=True, ensure_ascii=False)
    return str(value)


def changes(before: Any, after: Any) -> list[Change]:
    """Before and after side by side, field by field, in the order the entry keeps them."""
    if not isinstance(before, dict) and not isinstance(after, dict):
        if before is None and after is None:
            return []
        return [Change("value", shown(before), shown(after), before != after)]
    old = before if isinstance(before, dict) else {}
    new = after if isinstance(after, dict) else {}
    names = list(dict.fromkeys([*old, *new]))
    return [Change(name, shown(old.get(name)), shown(new.get(name)),
                   name not in old or name not in new or old[name] != new[name]) for name in names]


@dataclass
class Shown:
    """An entry as people see it: who (the user's current e-mail, or the kept label), when in London, and the
    before and after with any anonymised identity replaced."""

    entry: AuditEntry
    actor: str
    at: datetime
    before: Any
    after: Any
    rows: list[Change] = field(default_factory=list)


def present(entry: AuditEntry, actor_email: str | None, substitute: Any) -> Shown:
    """An entry ready to show: `substitute` replaces anonymised identities in any value (Substitutions.apply)."""
    before, after = substitute(entry.before), substitute(entry.after)
    return Shown(entry, actor_email or substitute(entry.actor), entry.at.astimezone(LONDON), before, after,
                 changes(before, after))


CSV_HEADER = ("id", "at_london", "actor", "action", "entity_type", "entity_id", "before", "after")


def csv_rows(session: Session, user: User, filters: Filters, substitute: Any) -> Iterator[list[str]]:
    """Every matching entry as a CSV row (raw values; the caller makes cells safe), read in batches."""
    result = session.execute(search(user, filters).add_columns(User.email).execution_options(yield_per=500))
    for entry, email in result:
        item = present(entry, email, substitute)
        yield [str(entry.id), item.at.strftime("%Y-%m-%d %H:%M:%S"), item.actor, entry.action, entry.entity_type,
               entry.entity_id, shown(item.before), shown(item.after)]
