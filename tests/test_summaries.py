"""The engagement summaries always equal what the definitions give from the raw records, after every write."""
from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import empty_database
from tests.factories import make_hwb, make_plan, make_provider, make_user
from tracker.engagement import (
    EventInput, ParticipantInput, record_event, set_participation_status, update_event, withdraw_event,
)
from tracker.evidence.summaries import drift
from tracker.extensions import db
from tracker.models import EngagementEvent, EngagementSummary

TODAY = date(2014, 11, 3)


def summaries() -> set[tuple]:
    return set(db.session.execute(sa.select(EngagementSummary.plan_id, EngagementSummary.provider_id,
                                            EngagementSummary.counted, EngagementSummary.corroborated,
                                            EngagementSummary.max_depth, EngagementSummary.months)).tuples())


def scene():
    hwb = make_hwb()
    providers = [make_provider(sector, [hwb]) for sector in ("acute", "community", "housing")]
    plan = make_plan(hwb)
    users = {"provider": make_user("provider", provider=providers[0]), "hwb": make_user("hwb", hwb=hwb)}
    other_users = [make_user("provider", provider=p) for p in providers[1:]]
    db.session.commit()
    return plan, providers, users, other_users


def event_input(day: date, depth: int, codes: list[str]) -> EventInput:
    return EventInput(date=day, kind="meeting", depth=depth, topics=("schemes",), summary="s",
                      participations=tuple(ParticipantInput(code) for code in codes))


def test_every_kind_of_write_keeps_the_summaries_true(app_ctx) -> None:
    plan, (acute, community, housing), users, others = scene()
    first = record_event(db.session, users["provider"], plan, event_input(date(2014, 3, 1), 2,
                                                                           [acute.code, community.code]), today=TODAY)
    assert summaries() == {(plan.id, acute.id, 1, 0, 2, 1), (plan.id, community.id, 1, 0, 2, 1)}
    second = record_event(db.session, users["hwb"], plan, event_input(date(2014, 5, 1), 4,
                                                                       [acute.code, housing.code]), today=TODAY)
    assert (plan.id, acute.id, 2, 0, 4, 2) in summaries()
    set_participation_status(db.session, users["hwb"], first.participations[0], "confirmed")
    set_participation_status(db.session, others[1], second.participations[1], "disputed")
    assert (plan.id, housing.id) not in {row[:2] for row in summaries()}  # disputed: no longer counted
    update_event(db.session, users["provider"], first, event_input(date(2014, 3, 1), 3, [acute.code]), today=TODAY)
    assert (plan.id, community.id) not in {row[:2] for row in summaries()}  # no longer named
    withdraw_event(db.session, users["hwb"], second)
    assert summaries() == {(plan.id, acute.id, 1, 1, 3, 1)}
    assert drift(db.session) == []


def test_imports_keep_the_summaries_true(runner, app_ctx, tmp_path) -> None:
    plan, (acute, community, _), _, _ = scene()
    other = make_plan(make_hwb())
    db.session.commit()
    header = ("event_ref,provider_code,hwb_code,year,recorded_by,date,kind,depth,topics,summary,withdrawn,"
              "leadership,status\n")
    path = tmp_path / "events.csv"
    board, elsewhere = plan.hwb.code, other.hwb.code
    path.write_text(header + f"E1,{acute.code},{board},2015-16,hwb,2014-03-01,meeting,3,schemes,s,no,no,confirmed\n"
                    f"E1,{community.code},{board},2015-16,hwb,2014-03-01,meeting,3,schemes,s,no,no,unconfirmed\n")
    assert runner.invoke(args=["import", "events", str(path)]).exit_code == 0
    assert summaries() == {(plan.id, acute.id, 1, 1, 3, 1), (plan.id, community.id, 1, 0, 3, 1)}
    # The event moves to another board's plan: the first plan's summaries go, the other's come.
    path.write_text(header + f"E1,{acute.code},{elsewhere},2015-16,hwb,2014-03-01,meeting,3,schemes,s,no,no,"
                    "confirmed\n")
    assert runner.invoke(args=["import", "events", str(path)]).exit_code == 0
    assert summaries() == {(other.id, acute.id, 1, 1, 3, 1)}
    assert drift(db.session) == []


operations = st.lists(st.tuples(st.sampled_from(["record", "update", "withdraw", "confirm", "dispute"]),
                                st.integers(0, 20), st.integers(1, 5), st.integers(0, 9),
                                st.sets(st.integers(0, 2), min_size=1)), min_size=1, max_size=12)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=operations)
def test_random_sequences_of_writes_never_drift(app_ctx, ops) -> None:
    empty_database()
    try:
        plan, providers, users, others = scene()
        for op, pick, depth, month, who in ops:
            events = db.session.scalars(sa.select(EngagementEvent).order_by(EngagementEvent.id)).all()
            codes = [providers[i].code for i in sorted(who | {0})]
            day = date(2014, 1 + month, 1)
            if op == "record" or not events:
                record_event(db.session, users["provider"], plan, event_input(day, depth, codes), today=TODAY)
            elif op == "update" and not events[pick % len(events)].withdrawn:
                update_event(db.session, users["provider"], events[pick % len(events)],
                             event_input(day, depth, codes), today=TODAY)
            elif op == "withdraw":
                withdraw_event(db.session, users["provider"], events[pick % len(events)])
            elif op in ("confirm", "dispute"):
                participation = events[pick % len(events)].participations[0]
                status = "confirmed" if op == "confirm" else "disputed"
                set_participation_status(db.session, users["hwb"], participation, status)
            assert drift(db.session) == []
        db.session.commit()
    finally:
        empty_database()


def test_plain_orm_writes_are_covered_by_the_flush_hook(app_ctx) -> None:
    from tracker.models import EventTopic, Participation

    plan, (acute, community, _), _, _ = scene()
    event = EngagementEvent(ref="ORM1", plan_id=plan.id, recorded_by="hwb", date=date(2014, 4, 1), kind="meeting",
                            depth=5, topics=[EventTopic(topic="schemes")],
                            participations=[Participation(provider_id=acute.id, status="confirmed")])
    db.session.add(event)
    db.session.commit()
    assert summaries() == {(plan.id, acute.id, 1, 1, 5, 1)}
    db.session.add(Participation(event_id=event.id, provider_id=community.id))  # by id, not through the event
    db.session.commit()
    assert (plan.id, community.id, 1, 0, 5, 1) in summaries()
    event.withdrawn = True
    db.session.commit()
    assert summaries() == set() and drift(db.session) == []
