"""The engagement summaries always equal what the definitions give from the raw records, after every write."""
from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import empty_database
from tests.factories import make_hwb, make_plan, make_provider, make_user
from tracker.domain.engagement import (
    EventInput, ParticipantInput, record_event, set_participation_status, update_event, withdraw_event,
)
from tracker.domain.summaries import drift
from tracker.web.extensions import db
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


def tallies() -> dict[tuple[int, str], int]:
    from tracker.models.summaries import FootprintTally

    return {(hwb, sector): n for hwb, sector, n in db.session.execute(
        sa.select(FootprintTally.hwb_id, FootprintTally.sector, FootprintTally.providers)
        .where(FootprintTally.providers > 0)).tuples()}


def copies() -> set[tuple]:
    return set(db.session.execute(sa.select(EngagementSummary.provider_id, EngagementSummary.sector,
                                            EngagementSummary.in_footprint)).tuples())


def test_sector_and_footprint_changes_keep_the_copies_and_tallies_true(app_ctx) -> None:
    from tracker.models import HWB, Plan, Provider

    plan, (acute, community, housing), users, _ = scene()
    elsewhere = make_hwb()
    record_event(db.session, users["hwb"], plan, event_input(date(2014, 3, 1), 3, [acute.code, community.code]),
                 today=TODAY)
    db.session.commit()
    hwb = plan.hwb_id
    assert tallies() == {(hwb, "acute"): 1, (hwb, "community"): 1, (hwb, "housing"): 1}
    assert copies() == {(acute.id, "acute", True), (community.id, "community", True)}

    community.sector = "mental_health"  # a provider changes sector
    acute.footprint = [elsewhere]  # and another stops serving the plan's board
    db.session.commit()
    assert tallies() == {(hwb, "mental_health"): 1, (hwb, "housing"): 1, (elsewhere.id, "acute"): 1}
    assert copies() == {(acute.id, "acute", False), (community.id, "mental_health", True)}
    assert drift(db.session) == []

    plan_row = db.session.get(Plan, plan.id)
    plan_row.hwb_id = elsewhere.id  # the plan moves to the other board: acute serves it, the others do not
    db.session.commit()
    assert copies() == {(acute.id, "acute", True), (community.id, "mental_health", False)}
    assert drift(db.session) == []

    spare = make_provider("housing", [db.session.get(HWB, hwb), elsewhere])
    db.session.commit()
    assert tallies()[(hwb, "housing")] == 2
    db.session.execute(sa.update(Provider).where(Provider.id == housing.id).values(sector="voluntary"))  # Core
    db.session.execute(sa.delete(Provider).where(Provider.id == spare.id))  # its footprint goes first
    assert drift(db.session) == []
    assert tallies() == {(hwb, "mental_health"): 1, (hwb, "voluntary"): 1, (elsewhere.id, "acute"): 1}


def test_provider_imports_keep_the_copies_and_tallies_true(runner, app_ctx, tmp_path) -> None:
    plan, (acute, community, housing), users, _ = scene()
    other = make_hwb()
    record_event(db.session, users["hwb"], plan, event_input(date(2014, 3, 1), 3, [acute.code, housing.code]),
                 today=TODAY)
    db.session.commit()
    path = tmp_path / "providers.csv"
    board = plan.hwb.code
    path.write_text("code,name,sector,footprint\n"
                    f"{acute.code},A,community,{other.code}\n"  # new sector, and no longer serves the board
                    f"{community.code},C,community,{board};{other.code}\n"
                    f"{housing.code},H,voluntary,{board}\n"
                    f"NEW1,N,acute,{board}\n")
    result = runner.invoke(args=["import", "providers", str(path)])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    assert drift(db.session) == []
    assert tallies() == {(plan.hwb_id, "community"): 1, (plan.hwb_id, "voluntary"): 1, (plan.hwb_id, "acute"): 1,
                         (other.id, "community"): 2}
    assert copies() == {(acute.id, "community", False), (housing.id, "voluntary", True)}


reference_changes = st.lists(st.tuples(st.sampled_from(["sector", "serve", "leave", "record"]), st.integers(0, 2),
                                       st.sampled_from(["acute", "community", "housing", "voluntary"])),
                             min_size=1, max_size=10)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(changes=reference_changes)
def test_random_reference_data_changes_never_drift(app_ctx, changes) -> None:
    empty_database()
    try:
        plan, providers, users, _ = scene()
        boards = [plan.hwb, make_hwb()]
        for n, (change, who, sector) in enumerate(changes):
            provider = providers[who]
            if change == "sector":
                provider.sector = sector
            elif change == "serve":
                provider.footprint = sorted({*provider.footprint, boards[n % 2]}, key=lambda b: b.id)
            elif change == "leave":
                provider.footprint = [b for b in provider.footprint if b is not boards[n % 2]]
            else:
                record_event(db.session, users["hwb"], plan, event_input(date(2014, 1 + n, 1), 2,
                                                                          [providers[who].code]), today=TODAY)
            db.session.commit()
            assert drift(db.session) == []
    finally:
        empty_database()


def test_a_sector_change_racing_an_event_write_keeps_the_copies_true(app, app_ctx) -> None:
    """PostgreSQL: a write that recomputes summaries waits for an uncommitted change to its providers' sector."""
    import threading
    import time

    from tracker.models import Plan, Provider, User

    if db.engine.dialect.name != "postgresql":
        return  # SQLite runs one writer at a time: there is no race to lose
    plan, (_, community, _), users, _ = scene()
    changing = db.engine.connect()
    change = changing.begin()
    changing.execute(sa.update(Provider).where(Provider.id == community.id).values(sector="voluntary"))
    errors: list[BaseException] = []

    def record() -> None:
        try:
            with app.app_context():
                record_event(db.session, db.session.get(User, users["hwb"].id), db.session.get(Plan, plan.id),
                             event_input(date(2014, 3, 1), 2, [community.code]), today=TODAY)
                db.session.commit()
        except BaseException as error:  # noqa: BLE001 - reported by the test below
            errors.append(error)

    writer = threading.Thread(target=record)
    writer.start()
    time.sleep(0.5)
    assert writer.is_alive()  # held back by the uncommitted sector change
    change.commit()
    changing.close()
    writer.join(timeout=10)
    assert not writer.is_alive() and errors == []
    db.session.expire_all()
    assert copies() == {(community.id, "voluntary", True)}
    assert drift(db.session) == []
