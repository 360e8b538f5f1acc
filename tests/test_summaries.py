"""The engagement summaries and footprint tallies always equal what the definitions give from the raw records,
after every write: ORM writes through the flush hook, bulk writes declared with bulk_write, and any other
SQLAlchemy write statement on the watched tables refused before it runs (tracker/domain/summary_upkeep.py)."""
from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import empty_database, make_test_app, new_postgres_database
from tests.factories import make_hwb, make_plan, make_provider, make_user
from tracker.domain.engagement import (
    EventInput,
    ParticipantInput,
    record_event,
    set_participation_status,
    update_event,
    withdraw_event,
)
from tracker.domain.summaries import SummaryUpkeepBypassed, bulk_write, verify
from tracker.models import (
    HWB,
    EngagementEvent,
    EngagementSummary,
    EventTopic,
    Participation,
    Plan,
    Provider,
    provider_footprint,
)
from tracker.web.extensions import db

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
    # The deeper involvement asked the board again: the confirmation no longer counts as corroboration.
    assert summaries() == {(plan.id, acute.id, 1, 0, 3, 1)}
    set_participation_status(db.session, users["hwb"], first.participations[0], "confirmed")
    assert summaries() == {(plan.id, acute.id, 1, 1, 3, 1)}
    assert verify(db.session) == []


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
    # The event moves to another board's plan: the first plan's summaries go, the other's come (with the
    # participation the file no longer gives, which an import never removes).
    path.write_text(header + f"E1,{acute.code},{elsewhere},2015-16,hwb,2014-03-01,meeting,3,schemes,s,no,no,"
                    "confirmed\n")
    assert runner.invoke(args=["import", "events", str(path)]).exit_code == 0
    assert summaries() == {(other.id, acute.id, 1, 1, 3, 1), (other.id, community.id, 1, 0, 3, 1)}
    assert verify(db.session) == []


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
            assert verify(db.session) == []
        db.session.commit()
    finally:
        empty_database()


def test_plain_orm_writes_are_covered_by_the_flush_hook(app_ctx) -> None:
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
    assert summaries() == set() and verify(db.session) == []
    event.withdrawn = False
    db.session.commit()
    assert len(summaries()) == 2
    db.session.delete(event)  # its participations go with it
    db.session.commit()
    assert summaries() == set() and verify(db.session) == []


def tallies() -> dict[tuple[int, str], int]:
    from tracker.models.summaries import FootprintTally

    return {(hwb, sector): n for hwb, sector, n in db.session.execute(
        sa.select(FootprintTally.hwb_id, FootprintTally.sector, FootprintTally.providers)
        .where(FootprintTally.providers > 0)).tuples()}


def copies() -> set[tuple]:
    return set(db.session.execute(sa.select(EngagementSummary.provider_id, EngagementSummary.sector,
                                            EngagementSummary.in_footprint)).tuples())


def test_sector_and_footprint_changes_keep_the_copies_and_tallies_true(app_ctx) -> None:
    """What the triggers of migration 0003 did, the flush hook does: a provider's sector, a footprint changed from
    either side, a plan's board, a new provider and a removed one."""
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
    assert verify(db.session) == []

    plan_row = db.session.get(Plan, plan.id)
    plan_row.hwb_id = elsewhere.id  # the plan moves to the other board: acute serves it, the others do not
    db.session.commit()
    assert copies() == {(acute.id, "acute", True), (community.id, "mental_health", False)}
    assert verify(db.session) == []

    board = db.session.get(HWB, hwb)
    elsewhere.providers.append(community)  # a footprint changed from the board's side
    board.providers.remove(housing)
    db.session.commit()
    assert copies() == {(acute.id, "acute", True), (community.id, "mental_health", True)}
    assert tallies() == {(hwb, "mental_health"): 1, (elsewhere.id, "acute"): 1, (elsewhere.id, "mental_health"): 1}
    assert verify(db.session) == []

    spare = make_provider("housing", [board, elsewhere])  # a new provider
    db.session.commit()
    assert tallies()[(hwb, "housing")] == 1 and tallies()[(elsewhere.id, "housing")] == 1
    db.session.delete(spare)  # and a removed one: its footprint goes with it
    db.session.commit()
    assert tallies() == {(hwb, "mental_health"): 1, (elsewhere.id, "acute"): 1, (elsewhere.id, "mental_health"): 1}
    assert verify(db.session) == []


def test_core_changes_to_providers_inside_bulk_write_keep_the_copies_and_tallies_true(app_ctx) -> None:
    plan, (acute, community, housing), users, _ = scene()
    record_event(db.session, users["hwb"], plan, event_input(date(2014, 3, 1), 3, [acute.code, housing.code]),
                 today=TODAY)
    spare = make_provider("community", [plan.hwb])
    db.session.commit()
    hwb, pf = plan.hwb_id, provider_footprint
    with bulk_write(db.session, plans=(), providers=[housing.id, acute.id], boards=[hwb]):
        db.session.execute(sa.update(Provider).where(Provider.id == housing.id).values(sector="voluntary"))
        db.session.connection().execute(sa.delete(pf).where(pf.c.provider_id == acute.id))
    assert copies() == {(acute.id, "acute", False), (housing.id, "voluntary", True)}
    assert tallies() == {(hwb, "community"): 2, (hwb, "voluntary"): 1}
    assert verify(db.session) == []
    with bulk_write(db.session):  # nothing declared: everything is recomputed
        db.session.execute(sa.insert(pf).values(provider_id=acute.id, hwb_id=hwb))
        db.session.execute(sa.delete(Provider).where(Provider.id == spare.id))  # its footprint goes with it
    db.session.commit()
    assert copies() == {(acute.id, "acute", True), (housing.id, "voluntary", True)}
    assert tallies() == {(hwb, "acute"): 1, (hwb, "community"): 1, (hwb, "voluntary"): 1}
    assert verify(db.session) == []


def raw_participations() -> list[tuple]:
    return db.session.execute(sa.select(Participation.id, Participation.status, Participation.provider_id)
                              .order_by(Participation.id)).tuples().all()


BYPASSES = {
    "orm_update": (lambda: db.session.execute(sa.update(Participation).values(status="disputed")), "participation"),
    "core_update": (lambda: db.session.connection().execute(
        sa.update(Participation.__table__).values(status="disputed")), "participation"),
    "orm_delete": (lambda: db.session.execute(sa.delete(Participation)), "participation"),
    "core_delete": (lambda: db.session.connection().execute(sa.delete(Participation.__table__)), "participation"),
    "orm_insert": (lambda: db.session.execute(sa.insert(Participation), [
        {"event_id": db.session.scalar(sa.select(sa.func.min(EngagementEvent.id))),
         "provider_id": db.session.scalar(sa.select(sa.func.max(Provider.id)))}]), "participation"),
    "event_update": (lambda: db.session.execute(sa.update(EngagementEvent).values(withdrawn=True)),
                     "engagement_event"),
    "sector_update": (lambda: db.session.connection().execute(
        sa.update(Provider.__table__).values(sector="voluntary")), "provider"),
    "footprint_delete": (lambda: db.session.connection().execute(sa.delete(provider_footprint)),
                         "provider_footprint"),
}


@pytest.mark.parametrize("bypass", sorted(BYPASSES))
def test_write_statements_that_bypass_the_upkeep_are_refused_and_change_nothing(app_ctx, bypass: str) -> None:
    plan, (acute, community, housing), users, _ = scene()
    record_event(db.session, users["hwb"], plan, event_input(date(2014, 3, 1), 3, [acute.code, community.code]),
                 today=TODAY)
    db.session.commit()
    before = (raw_participations(), summaries(), tallies(), copies())
    statement, table = BYPASSES[bypass]
    with pytest.raises(SummaryUpkeepBypassed, match=f"on {table} outside an ORM flush.*bulk_write"):
        statement()
    db.session.rollback()
    assert (raw_participations(), summaries(), tallies(), copies()) == before
    assert verify(db.session) == []


def test_the_disputed_update_inside_bulk_write_is_kept_true(app_ctx) -> None:
    """The issue's case: `update(Participation).values(status="disputed")` left coverage wrong with no error."""
    plan, (acute, community, housing), users, _ = scene()
    record_event(db.session, users["hwb"], plan, event_input(date(2014, 3, 1), 3, [acute.code, community.code]),
                 today=TODAY)
    record_event(db.session, users["hwb"], plan, event_input(date(2014, 4, 1), 2, [housing.code]), today=TODAY)
    db.session.commit()
    with bulk_write(db.session, plans=[plan.id]):
        db.session.execute(sa.update(Participation).where(Participation.provider_id != housing.id)
                           .values(status="disputed"))
    assert summaries() == {(plan.id, housing.id, 1, 0, 2, 1)}
    with bulk_write(db.session, plans=[plan.id]):
        db.session.connection().execute(sa.update(Participation.__table__).values(status="confirmed"))
    assert summaries() == {(plan.id, acute.id, 1, 1, 3, 1), (plan.id, community.id, 1, 1, 3, 1),
                           (plan.id, housing.id, 1, 1, 2, 1)}
    with bulk_write(db.session, plans=()) as written:  # declared as the writer learns it
        db.session.execute(sa.delete(Participation).where(Participation.provider_id == acute.id))
        written.plans.add(plan.id)
    db.session.commit()
    assert {row[1] for row in summaries()} == {community.id, housing.id}
    assert verify(db.session) == []
    with pytest.raises(SummaryUpkeepBypassed):  # the permission ends with the block
        db.session.execute(sa.update(Participation).values(status="disputed"))
    db.session.rollback()


def test_a_block_that_raises_recomputes_nothing_and_leaves_the_guard_closed(app_ctx) -> None:
    scene()
    with pytest.raises(ZeroDivisionError), bulk_write(db.session):
        db.session.execute(sa.update(Participation).values(status="disputed"))
        1 / 0  # noqa: B018 - the writer fails
    db.session.rollback()
    with pytest.raises(SummaryUpkeepBypassed):
        db.session.execute(sa.update(Participation).values(status="disputed"))
    db.session.rollback()


def test_only_a_flush_under_way_opens_the_guard(app_ctx) -> None:
    """A flush with nothing to write, and one that fails, leave the guard closed behind them."""
    plan, (acute, _, _), _, _ = scene()
    acute.name = "Renamed"
    db.session.flush(objects=[Provider(code="ELSEWHERE", name="Not in the session", sector="acute")])  # no work
    with pytest.raises(SummaryUpkeepBypassed):
        db.session.connection().execute(sa.update(Participation.__table__).values(status="disputed"))
    db.session.rollback()
    db.session.add(Provider(code=acute.code, name="Same code", sector="acute"))  # unique code: the flush fails
    with pytest.raises(sa.exc.IntegrityError):
        db.session.flush()
    db.session.rollback()
    with pytest.raises(SummaryUpkeepBypassed):
        db.session.connection().execute(sa.update(Provider.__table__).values(sector="voluntary"))
    db.session.rollback()


def test_the_upkeep_works_without_flask_on_a_plain_session(tmp_path) -> None:
    """A script using the domain layer with a plain SQLAlchemy Session calls install_upkeep() and is covered too."""
    from sqlalchemy.orm import Session

    from tracker.domain.summaries import install_upkeep
    from tracker.models.base import Base

    install_upkeep()
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'plain.sqlite'}")
    Base.metadata.create_all(engine)
    try:
        with Session(engine) as session:
            board = HWB(code="E06000001", name="Board", region="north")
            provider = Provider(code="P1", name="P", sector="acute", footprint=[board])
            session.add_all([board, provider])
            session.flush()
            plan = Plan(hwb_id=board.id, year="2015-16", minimum_pool_gbp=1, total_pool_gbp=1, nhs_contribution_gbp=1,
                        council_contribution_gbp=0, claimed_emergency_reduction_pct=0, final_submission=TODAY,
                        status="submitted")
            session.add(plan)
            session.flush()
            session.add(EngagementEvent(ref="E1", plan_id=plan.id, recorded_by="hwb", date=TODAY, kind="meeting",
                                        depth=2, participations=[Participation(provider_id=provider.id)]))
            session.commit()
            assert session.execute(sa.select(EngagementSummary.counted, EngagementSummary.in_footprint)).all() \
                == [(1, True)]
            assert verify(session) == []
            with pytest.raises(SummaryUpkeepBypassed):
                session.execute(sa.update(Participation).values(status="disputed"))
    finally:
        engine.dispose()


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
    assert verify(db.session) == []
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
            assert verify(db.session) == []
    finally:
        empty_database()


def racing_writer(app, plan: Plan, user_id: int, code: str, errors: list[BaseException]):  # noqa: ANN001, ANN201
    """A thread that records an event on the plan naming the provider, and commits."""
    import threading

    from tracker.models import User

    def record() -> None:
        try:
            with app.app_context():
                record_event(db.session, db.session.get(User, user_id), db.session.get(Plan, plan.id),
                             event_input(date(2014, 3, 1), 2, [code]), today=TODAY)
                db.session.commit()
        except BaseException as error:  # noqa: BLE001 - reported by the test
            errors.append(error)

    return threading.Thread(target=record)


def test_a_sector_change_racing_an_event_write_keeps_the_copies_true(app, app_ctx) -> None:
    """PostgreSQL: a write that recomputes summaries waits for an uncommitted change to its providers' sector."""
    import time

    from sqlalchemy.orm import Session

    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite runs one writer at a time: there is no race to lose")
    plan, (_, community, _), users, _ = scene()
    errors: list[BaseException] = []
    with Session(db.engine) as changing:
        changed = changing.get(Provider, community.id)
        changed.sector = "voluntary"
        changing.flush()  # the provider row is now locked until the commit below
        writer = racing_writer(app, plan, users["hwb"].id, community.code, errors)
        writer.start()
        time.sleep(0.5)
        assert writer.is_alive()  # held back by the uncommitted sector change
        changing.commit()
    writer.join(timeout=10)
    assert not writer.is_alive() and errors == []
    db.session.expire_all()
    assert copies() == {(community.id, "voluntary", True)}
    assert verify(db.session) == []


def test_a_footprint_change_racing_an_event_write_keeps_the_copies_true(app, app_ctx) -> None:
    """PostgreSQL: a provider starting to serve a board locks the board's plans, so a summary being recomputed
    meanwhile waits and then sees the new footprint."""
    import time

    from sqlalchemy.orm import Session

    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite runs one writer at a time: there is no race to lose")
    plan, _, users, _ = scene()
    newcomer = make_provider("voluntary", [])
    db.session.commit()
    errors: list[BaseException] = []
    with Session(db.engine) as changing:
        serving = changing.get(Provider, newcomer.id)
        serving.footprint.append(changing.get(HWB, plan.hwb_id))
        changing.flush()
        writer = racing_writer(app, plan, users["hwb"].id, newcomer.code, errors)
        writer.start()
        time.sleep(0.5)
        assert writer.is_alive()  # held back by the footprint change's lock on the board's plans
        changing.commit()
    writer.join(timeout=10)
    assert not writer.is_alive() and errors == []
    db.session.expire_all()
    assert copies() == {(newcomer.id, "voluntary", True)}
    assert verify(db.session) == []


def database_triggers() -> set[str]:
    """The triggers of the database, but the audit trail's (migration 0004)."""
    query = ("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal" if db.engine.dialect.name == "postgresql"
             else "SELECT name FROM sqlite_master WHERE type = 'trigger'")
    return set(db.session.execute(sa.text(query)).scalars()) - {"audit_entry_append_only"}


def test_migration_0006_drops_the_triggers_leaving_the_tallies_true_and_downgrade_restores_them(app, tmp_path) -> None:
    from contextlib import nullcontext

    from flask_migrate import downgrade, upgrade

    postgresql = app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql")
    with new_postgres_database("tracker_migration") if postgresql \
            else nullcontext(f"sqlite:///{tmp_path / 'migrated.sqlite'}") as url:
        fresh = make_test_app(url, tmp_path)
        with fresh.app_context():
            try:
                upgrade()
                assert database_triggers() == set()
                downgrade(revision="0005")
                assert len(database_triggers()) == (4 if postgresql else 6)
                sql = ["INSERT INTO hwb (id, code, name, region) VALUES (1, 'E06000001', 'B', 'north')",
                       "INSERT INTO provider (id, code, name, sector) VALUES (1, 'P1', 'P', 'acute')",
                       "INSERT INTO provider_footprint (provider_id, hwb_id) VALUES (1, 1)",  # the trigger counts it
                       "UPDATE footprint_tally SET providers = 9"]  # and now it is wrong
                for statement in sql:
                    db.session.execute(sa.text(statement))
                db.session.commit()
                upgrade()
                assert database_triggers() == set()
                assert tallies() == {(1, "acute"): 1} and verify(db.session) == []
            finally:
                db.session.remove()
                db.engine.dispose()
