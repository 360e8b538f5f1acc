"""`flask evidence verify` and `flask evidence rebuild`: a summary or tally that differs from the records is named
(plan and provider, or board and sector) and verify exits 1; rebuild recomputes both tables in one audited
transaction, after which verify exits 0.

The corruptions are made with plain SQL text, which the summary upkeep's guard does not inspect (it refuses
SQLAlchemy write statements only): exactly the kind of change verify is there to find.
"""
from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa
from flask.testing import FlaskCliRunner

from tests.factories import make_provider
from tests.test_summaries import TODAY, event_input, scene
from tracker.domain import summaries
from tracker.domain.engagement import record_event
from tracker.models import AuditEntry, Plan, Provider
from tracker.web.extensions import db


def evidence(runner: FlaskCliRunner, command: str) -> tuple[int, list[str]]:
    result = runner.invoke(args=["evidence", command])
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.output.strip().splitlines()


def world() -> tuple[Plan, list[Provider], Plan]:
    """Two plans of two boards with summaries for three providers, and the tallies of both boards."""
    plan, providers, users, _ = scene()
    acute, community, housing = providers
    record_event(db.session, users["hwb"], plan, event_input(date(2014, 3, 1), 3, [acute.code, community.code]),
                 today=TODAY)
    record_event(db.session, users["hwb"], plan, event_input(date(2014, 6, 1), 4, [acute.code, housing.code]),
                 today=TODAY)
    other, *_ = scene()
    make_provider("voluntary", [other.hwb])
    db.session.commit()
    return plan, providers, other


def sql(statement: str, **values: object) -> None:
    db.session.execute(sa.text(statement), values)
    db.session.commit()


def test_verify_passes_when_every_summary_and_tally_is_true(runner: FlaskCliRunner, app_ctx) -> None:
    world()
    status, lines = evidence(runner, "verify")
    assert status == 0, lines
    assert lines == ["All 3 engagement summaries and 7 footprint tallies equal a recomputation from the records "
                     f"(checked in {lines[0].rsplit('in ', 1)[1]}"]


CORRUPTIONS = {
    "counted": ("UPDATE engagement_summary SET counted = counted + 4 WHERE plan_id = :plan AND provider_id = :provider",
                "summary of plan {board} 2015-16, provider {provider}: counted is 6, the records give 2"),
    "copies": ("UPDATE engagement_summary SET sector = 'housing', in_footprint = :no"
               " WHERE plan_id = :plan AND provider_id = :provider",
               "summary of plan {board} 2015-16, provider {provider}: sector is housing, the records give acute; "
               "in_footprint is False, the records give True"),
    "missing": ("DELETE FROM engagement_summary WHERE plan_id = :plan AND provider_id = :provider",
                "summary of plan {board} 2015-16, provider {provider}: missing; the records give counted 2, "
                "corroborated 0, max_depth 4, months 2, sector acute, in_footprint True"),
    "extra": ("INSERT INTO engagement_summary (plan_id, provider_id, counted, corroborated, max_depth, months, sector,"
              " in_footprint) VALUES (:other, :provider, 1, 0, 2, 1, 'acute', :no)",
              "summary of plan {other_board} 2015-16, provider {provider}: stored (counted 1, corroborated 0, "
              "max_depth 2, months 1, sector acute, in_footprint False) but the records give none"),
    "tally": ("UPDATE footprint_tally SET providers = 5 WHERE hwb_id = :board_id AND sector = 'acute'",
              "footprint tally of board {board}, sector acute: providers is 5, the records give 1"),
}


@pytest.mark.parametrize("corruption", sorted(CORRUPTIONS))
def test_a_corrupted_row_is_named_and_rebuild_mends_it(runner: FlaskCliRunner, app_ctx, corruption: str) -> None:
    plan, (acute, _, _), other = world()
    statement, expected = CORRUPTIONS[corruption]
    sql(statement, plan=plan.id, provider=acute.id, other=other.id, board_id=plan.hwb_id, no=False)

    status, lines = evidence(runner, "verify")
    assert status == 1, lines
    assert lines[0] == expected.format(board=plan.hwb.code, other_board=other.hwb.code, provider=acute.code)
    assert len(lines) == 2 and lines[1].startswith("1 of the stored summaries and tallies differ from the records")

    status, lines = evidence(runner, "rebuild")
    assert status == 0 and lines[0].startswith("Rebuilt 3 engagement summaries and 7 footprint tallies"), lines
    entry = db.session.execute(sa.select(AuditEntry).where(AuditEntry.action == "summaries_rebuilt")).scalar_one()
    assert (entry.actor, entry.entity_type, entry.after) == (
        "cli", "database", {"differences_found": 1, "summaries": 3, "tallies": 7})
    assert evidence(runner, "verify")[0] == 0


def test_every_difference_is_named_on_its_own_line(runner: FlaskCliRunner, app_ctx) -> None:
    plan, (acute, community, housing), _ = world()
    sql("UPDATE engagement_summary SET months = 9 WHERE plan_id = :plan", plan=plan.id)
    sql("DELETE FROM footprint_tally WHERE hwb_id = :board", board=plan.hwb_id)
    status, lines = evidence(runner, "verify")
    assert status == 1
    board = plan.hwb.code
    assert lines[:-1] == [
        *sorted(f"summary of plan {board} 2015-16, provider {p.code}: months is 9, the records give {months}"
                for p, months in ((acute, 2), (community, 1), (housing, 1))),
        *(f"footprint tally of board {board}, sector {sector}: missing; the records give providers 1"
          for sector in ("acute", "community", "housing"))]
    assert lines[-1].startswith("6 of the stored summaries and tallies differ")


def test_rebuild_is_one_transaction(runner: FlaskCliRunner, app_ctx, monkeypatch: pytest.MonkeyPatch) -> None:
    """A rebuild that fails part way leaves everything as it was, and no audit entry."""
    plan, (acute, _, _), _ = world()
    sql("UPDATE engagement_summary SET counted = 7 WHERE plan_id = :plan AND provider_id = :provider",
        plan=plan.id, provider=acute.id)

    def fail(_db: object) -> None:
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(summaries, "stored_counts", fail)
    result = runner.invoke(args=["evidence", "rebuild"])
    assert result.exit_code == 1 and "the disk is full" in str(result.exception)
    monkeypatch.undo()
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry)
                             .where(AuditEntry.action == "summaries_rebuilt")) == 0
    assert [str(d).split(":")[0] for d in summaries.verify(db.session)] == [
        f"summary of plan {plan.hwb.code} 2015-16, provider {acute.code}"]


def test_verify_passes_on_the_demo_data(runner: FlaskCliRunner, app_ctx) -> None:
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    status, lines = evidence(runner, "verify")
    assert status == 0, lines[:5]
    assert lines[-1].startswith("All ") and "equal a recomputation from the records" in lines[-1]
