"""`flask seed-demo`: the demonstration data set, loaded fast into an empty database only, the same every time."""
from __future__ import annotations

import time
from collections import Counter
from datetime import date

import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskCliRunner

from tracker.demo.generate import DEMO_USERS, generate
from tracker.demo.next_year import EXTRA_BOARDS
from tracker.demo.write import database_is_empty
from tracker.domain import vocab
from tracker.domain.passwords import password_problem, verify_password
from tracker.models import (
    HWB,
    AuditEntry,
    BoardMembership,
    EngagementEvent,
    Participation,
    Plan,
    Provider,
    SiteFact,
    User,
    provider_footprint,
)
from tracker.web.extensions import db

AS_OF = date(2014, 11, 1)
RATING_ORDER = {r: i for i, r in enumerate(vocab.RATINGS)}


def row_counts() -> dict[str, int]:
    """Rows in every table, to show that a refused run changed nothing."""
    return {t.name: db.session.execute(sa.select(sa.func.count()).select_from(t)).scalar_one()
            for t in db.metadata.sorted_tables}


def seed(runner: FlaskCliRunner, *options: str) -> tuple[object, float]:
    """Run seed-demo; the result and the seconds it took."""
    started = time.perf_counter()
    result = runner.invoke(args=["seed-demo", *options], catch_exceptions=False)
    return result, time.perf_counter() - started


def coverage_by_plan() -> dict[int, float]:
    """Plan id -> engaged footprint providers / footprint providers, straight from the raw rows."""
    footprint = dict(db.session.execute(
        sa.select(Plan.id, sa.func.count()).join(provider_footprint, provider_footprint.c.hwb_id == Plan.hwb_id)
        .group_by(Plan.id)).tuples().all())
    engaged = dict(db.session.execute(
        sa.select(Plan.id, sa.func.count(sa.distinct(Participation.provider_id)))
        .join(EngagementEvent, EngagementEvent.plan_id == Plan.id)
        .join(Participation, Participation.event_id == EngagementEvent.id)
        .join(provider_footprint, sa.and_(provider_footprint.c.hwb_id == Plan.hwb_id,
                                          provider_footprint.c.provider_id == Participation.provider_id))
        .where(EngagementEvent.withdrawn.is_(False), Participation.status != "disputed")
        .group_by(Plan.id)).tuples().all())
    return {plan_id: engaged.get(plan_id, 0) / size for plan_id, size in footprint.items()}


def test_generator_is_deterministic_and_meets_its_targets(app_ctx: Flask) -> None:
    first, second = generate(db.session), generate(db.session)  # the evidence engine rates the plans
    assert first == second
    assert generate(db.session, seed=7).providers != first.providers
    assert Counter(h["code"][:3] for h in first.hwbs) == {"E10": 27, "E08": 36, "E09": 33, "E06": 56}
    ratings = Counter(o.rating for o in first.outcomes.values())
    shares = {r: ratings[r] / len(first.hwbs) for r in vocab.RATINGS}
    assert 0.15 <= shares["strong"] <= 0.25 and 0.30 <= shares["adequate"] <= 0.40
    assert 0.25 <= shares["weak"] <= 0.35 and 0.10 <= shares["insufficient"] <= 0.20
    assert all(password_problem(password, email) is None for email, _, _, password in DEMO_USERS)
    refs = [e["ref"] for e in first.events]
    assert len(refs) == len(set(refs))
    # A second year for a handful of boards: the demo board user's, the demo provider's and a few more, each with
    # its own events and concerns; most do better than in their first year, one does worse.
    users = {u["role"]: u for u in first.users}
    second = set(first.next_outcomes)
    assert users["hwb"]["hwb_code"] in second and len(second) >= 4 + EXTRA_BOARDS - 1
    served = {h for p, h in first.footprints if p == users["provider"]["provider_code"]}
    assert served <= second
    assert {p["hwb_code"] for p in first.plans if p["year"] == "2016-17"} == second
    for rows in (first.events, first.concerns, first.assessments):
        assert {r["hwb_code"] for r in rows if r["year"] == "2016-17"} <= second
    assert {e["hwb_code"] for e in first.events if e["year"] == "2016-17"} == second
    changes = [RATING_ORDER[first.outcomes[c].rating] - RATING_ORDER[o.rating] for c, o in first.next_outcomes.items()]
    assert any(change > 0 for change in changes) and any(change < 0 for change in changes)


def test_seed_demo_loads_the_data_set(runner: FlaskCliRunner, app_ctx: Flask) -> None:
    result, seconds = seed(runner)
    assert result.exit_code == 0, result.output
    assert seconds < 30, f"seed-demo took {seconds:.1f} s"

    hwbs = db.session.execute(sa.select(HWB.code, HWB.region)).all()
    assert Counter(code[:3] for code, _ in hwbs) == {"E10": 27, "E08": 36, "E09": 33, "E06": 56}
    assert {region for _, region in hwbs} == set(vocab.REGIONS)
    sectors = Counter(db.session.execute(sa.select(Provider.sector)).scalars())
    assert 2700 <= sum(sectors.values()) <= 3300
    assert set(sectors) == set(vocab.SECTORS)
    # Every board's 2015-16 plan, and the few 2016-17 plans of the second year (tracker/demo/next_year.py).
    years = Counter(db.session.execute(sa.select(Plan.year)).scalars())
    assert years["2015-16"] == 152 and set(years) == {"2015-16", "2016-17"}
    # The demo board user's board, the demo provider's other boards, and EXTRA_BOARDS drawn at random.
    second = set(db.session.scalars(sa.select(HWB.code).join(Plan, Plan.hwb_id == HWB.id)
                                    .where(Plan.year == "2016-17")))
    assert "E06000022" in second and years["2016-17"] == len(second) >= 1 + EXTRA_BOARDS

    active = sa.and_(BoardMembership.start <= AS_OF,
                     sa.or_(BoardMembership.end.is_(None), BoardMembership.end >= AS_OF))
    with_provider = db.session.execute(sa.select(sa.func.count(sa.distinct(BoardMembership.hwb_id)))
                                       .where(active, BoardMembership.provider_id.is_not(None))).scalar_one()
    assert 0.2 <= with_provider / 152 <= 0.4
    ended = db.session.execute(sa.select(sa.func.count()).select_from(BoardMembership)
                               .where(BoardMembership.end < AS_OF)).scalar_one()
    assert ended > 0

    coverage = sorted(coverage_by_plan().values())
    assert len(coverage) == 152 + years["2016-17"]  # one per plan, in either year
    assert sum(c < 0.5 for c in coverage) >= 15, coverage
    assert sum(c >= 0.8 for c in coverage) >= 40, coverage

    users = {u.email: u for u in db.session.execute(sa.select(User)).scalars()}
    for email, _, role, password in DEMO_USERS:
        assert users[email].role == role
        assert verify_password(users[email].password_hash, password)
        assert email in result.output and password in result.output
    provider_user = users["provider@demo.bcf.example"]
    assert provider_user.provider.sector == "acute" and len(provider_user.provider.footprint) >= 2
    assert users["hwb@demo.bcf.example"].hwb_id is not None
    assert users["assurer@demo.bcf.example"].region is None
    assert users["assurer.london@demo.bcf.example"].region == "london"

    assert db.session.get(SiteFact, "demo_data") is not None
    audit = db.session.execute(sa.select(AuditEntry).where(AuditEntry.action == "seed-demo")).scalars().all()
    assert [(a.actor, a.entity_type) for a in audit] == [("cli", "database")]


def test_a_second_run_is_refused_and_if_empty_does_nothing(runner: FlaskCliRunner, app_ctx: Flask) -> None:
    assert seed(runner)[0].exit_code == 0
    before = row_counts()

    refused, _ = seed(runner)
    assert refused.exit_code == 1
    assert "already holds data" in refused.stderr
    assert row_counts() == before

    skipped, _ = seed(runner, "--if-empty")
    assert skipped.exit_code == 0
    assert skipped.output.strip() == "The database already holds data; demo data not loaded."
    assert row_counts() == before


def test_one_board_is_enough_to_refuse(runner: FlaskCliRunner, app_ctx: Flask) -> None:
    db.session.add(HWB(code="E06000001", name="Hartlepool", region="north"))
    db.session.commit()
    before = row_counts()
    assert not database_is_empty(db.session)
    refused, _ = seed(runner)
    assert refused.exit_code == 1
    assert row_counts() == before
