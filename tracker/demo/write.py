"""Writing the generated data set in bulk: one Core INSERT per table, ids fetched back once per table."""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from tracker.demo.generate import DemoData
from tracker.domain.clock import london_today
from tracker.domain.history import note_imported_statuses
from tracker.domain.passwords import hash_password
from tracker.domain.summaries import bulk_write
from tracker.models import (
    CCG,
    HWB,
    BoardMembership,
    Concern,
    ConcernStep,
    ConditionDeclaration,
    EngagementEvent,
    EventTopic,
    ImpactAssessment,
    Participation,
    Plan,
    Provider,
    SiteFact,
    User,
    hwb_ccg,
    provider_footprint,
)


def database_is_empty(session: Session) -> bool:
    """Whether no board and no provider exists yet (the demo data goes only into an empty database)."""
    return (session.execute(sa.select(HWB.id).limit(1)).first() is None
            and session.execute(sa.select(Provider.id).limit(1)).first() is None)


def _insert(session: Session, target: Any, rows: list[dict]) -> None:
    """One executemany INSERT on the Core table (the ORM's bulk path would split rows whose None values differ)."""
    if rows:
        session.execute(sa.insert(target if isinstance(target, sa.Table) else target.__table__), rows)


def _ids(session: Session, key: sa.ColumnElement, ident: sa.ColumnElement) -> dict[Any, int]:
    """key -> id for every row of the table, in one query."""
    return dict(session.execute(sa.select(key, ident)).tuples().all())


def _pick(row: dict, names: Iterable[str]) -> dict:
    """The row with only the named keys."""
    return {name: row[name] for name in names}


def _organisations(session: Session, data: DemoData) -> tuple[dict[str, int], dict[str, int]]:
    """Boards, CCGs, providers and the links between them; returns the board and provider ids by code."""
    _insert(session, HWB, data.hwbs)
    hwb_ids = _ids(session, HWB.code, HWB.id)
    _insert(session, CCG, data.ccgs)
    ccg_ids = _ids(session, CCG.code, CCG.id)
    _insert(session, hwb_ccg, [{"hwb_id": hwb_ids[h], "ccg_id": ccg_ids[c]} for h, c in data.hwb_ccgs])
    _insert(session, Provider, data.providers)
    provider_ids = _ids(session, Provider.code, Provider.id)
    _insert(session, provider_footprint,
            [{"provider_id": provider_ids[p], "hwb_id": hwb_ids[h]} for p, h in data.footprints])
    return hwb_ids, provider_ids


def _plans(session: Session, data: DemoData, hwb_ids: dict[str, int],
           provider_ids: dict[str, int]) -> dict[tuple[str, str], int]:
    """Plans, declarations and board memberships; returns the plan ids by board code and year."""
    columns = [k for k in data.plans[0] if k != "hwb_code"]
    _insert(session, Plan, [{"hwb_id": hwb_ids[p["hwb_code"]], **_pick(p, columns)} for p in data.plans])
    codes = {hwb_id: code for code, hwb_id in hwb_ids.items()}
    plan_ids = {(codes[hwb_id], year): plan_id
                for hwb_id, year, plan_id in session.execute(sa.select(Plan.hwb_id, Plan.year, Plan.id)).tuples()}
    _insert(session, ConditionDeclaration, [
        {"plan_id": plan_ids[d["hwb_code"], d["year"]], **_pick(d, ("condition", "declaration", "detail"))}
        for d in data.declarations])
    _insert(session, BoardMembership, [
        {"hwb_id": hwb_ids[m["hwb_code"]], "provider_id": provider_ids.get(m["provider_code"]),
         **_pick(m, ("member_name", "seat", "voting", "start", "end"))} for m in data.memberships])
    return plan_ids


def _engagement(session: Session, data: DemoData, plan_ids: dict[tuple[str, str], int],
                provider_ids: dict[str, int]) -> None:
    """Events with their topics and participations, and impact assessments. Evidence as at a date takes the demo
    rows as imported on their own dates: an event and its participations' statuses from its date, an assessment
    from the day it was made; so the figures as at each plan's final submission date mean something."""
    event_columns = ("ref", "recorded_by", "date", "kind", "depth", "summary", "evidence_url", "withdrawn",
                     "withdrawn_at", "created_at")
    _insert(session, EngagementEvent, [
        {"plan_id": plan_ids[e["hwb_code"], e["year"]],
         "recorded_by_provider_id": provider_ids.get(e["recorded_by_provider_code"]),
         "updated_at": e["withdrawn_at"] or e["created_at"], "recorded_on": e["date"],
         "withdrawn_on": e["date"] if e["withdrawn"] else None, **_pick(e, event_columns)} for e in data.events])
    event_ids = _ids(session, EngagementEvent.ref, EngagementEvent.id)
    _insert(session, EventTopic, [{"event_id": event_ids[e["ref"]], "topic": t} for e in data.events
                                  for t in e["topics"]])
    _insert(session, Participation, [
        {"event_id": event_ids[p["event_ref"]], "provider_id": provider_ids[p["provider_code"]],
         **_pick(p, ("leadership", "status", "status_note", "status_changed_at"))} for p in data.participations])
    note_imported_statuses(session, None, unnoted_only=True)
    _insert(session, ImpactAssessment, [
        {"plan_id": plan_ids[a["hwb_code"], a["year"]], "provider_id": provider_ids[a["provider_code"]], "version": 1,
         "is_current": True, "assessed_on": london_today(a["created_at"]),
         **_pick(a, ("emergency_admissions_change_pct", "financial_impact_gbp", "agreement", "comments",
                     "created_at"))} for a in data.assessments])


def _concerns(session: Session, data: DemoData, plan_ids: dict[tuple[str, str], int],
              provider_ids: dict[str, int]) -> None:
    """Concerns and every step of their history."""
    columns = ("ref", "raised", "category", "severity", "confidential", "status", "text", "acknowledge_due",
               "respond_due")
    _insert(session, Concern, [
        {"plan_id": plan_ids[c["hwb_code"], c["year"]], "provider_id": provider_ids[c["provider_code"]],
         **_pick(c, columns)}
        for c in data.concerns])
    concern_ids = _ids(session, Concern.ref, Concern.id)
    respond_due = {c["ref"]: c["respond_due"] for c in data.concerns}
    _insert(session, ConcernStep, [
        {"concern_id": concern_ids[s["concern_ref"]], "taken_on": london_today(s["at"]),
         "respond_due": respond_due[s["concern_ref"]] if s["from_status"] is None else None,
         **_pick(s, ("at", "actor_side", "from_status", "to_status", "message"))} for s in data.concern_steps])


def _users(session: Session, data: DemoData, hwb_ids: dict[str, int], provider_ids: dict[str, int]) -> list[dict]:
    """The demo logins (each password hashed once); an e-mail already in use is left alone."""
    taken = set(session.execute(sa.select(User.email)).scalars())
    made = [u for u in data.users if u["email"] not in taken]
    _insert(session, User, [
        {"email": u["email"], "name": u["name"], "role": u["role"], "region": u["region"],
         "password_hash": hash_password(u["password"]), "provider_id": provider_ids.get(u["provider_code"]),
         "hwb_id": hwb_ids.get(u["hwb_code"])} for u in made])
    return made


def write_demo(session: Session, data: DemoData, loaded_on: str) -> dict[str, Any]:
    """Insert the whole data set in the session's transaction (the caller commits); returns what was written."""
    with bulk_write(session):  # every summary and tally computed once, on leaving
        hwb_ids, provider_ids = _organisations(session, data)
        plan_ids = _plans(session, data, hwb_ids, provider_ids)
        _engagement(session, data, plan_ids, provider_ids)
        _concerns(session, data, plan_ids, provider_ids)
    users = _users(session, data, hwb_ids, provider_ids)
    fact = session.get(SiteFact, "demo_data")
    if fact is None:
        session.add(SiteFact(key="demo_data", value=loaded_on))
    else:
        fact.value = loaded_on
    session.flush()
    return {"hwbs": len(data.hwbs), "ccgs": len(data.ccgs), "providers": len(data.providers),
            "plans": len(data.plans), "board_memberships": len(data.memberships), "events": len(data.events),
            "participations": len(data.participations), "impact_assessments": len(data.assessments),
            "concerns": len(data.concerns), "users": [u["email"] for u in users]}
