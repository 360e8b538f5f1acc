"""The number of queries for one plan's evidence and for the national list does not grow with the data."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta

import sqlalchemy as sa

from tests.factories import make_hwb, make_plan, make_provider
from tracker.domain.evidence import Thresholds, plan_evidence, plans_evidence
from tracker.models import Concern, EngagementEvent, EventTopic, Participation
from tracker.web.extensions import db

TODAY = date(2014, 11, 3)
STATUSES = ("confirmed", "unconfirmed", "disputed")


@contextmanager
def counting() -> Iterator[list[str]]:
    """Collect every SQL statement sent while the block runs."""
    statements: list[str] = []

    def listener(conn, cursor, statement, *args):  # noqa: ANN001, ANN202
        statements.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", listener)
    try:
        yield statements
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", listener)


def grow(scale: int) -> list[int]:
    """`scale` boards, each with `scale` providers, `scale * 3` events and a few concerns."""
    plan_ids = []
    for b in range(scale):
        hwb = make_hwb()
        providers = [make_provider(sector, [hwb]) for sector in ("acute", "community", "housing") * scale]
        plan = make_plan(hwb)
        plan_ids.append(plan.id)
        for n in range(scale * 3):
            db.session.add(EngagementEvent(
                ref=f"E-{scale}-{b}-{n}", plan_id=plan.id, recorded_by="hwb",
                date=date(2014, 1, 1) + timedelta(days=n), kind="meeting", depth=1 + n % 5, withdrawn=n % 7 == 0,
                topics=[EventTopic(topic="schemes")],
                participations=[Participation(provider_id=p.id, status=STATUSES[k % 3])
                                for k, p in enumerate(providers[n % 3::2])]))
        db.session.add(Concern(ref=f"C-{scale}-{b}", plan_id=plan.id, provider_id=providers[0].id,
                               raised=date(2014, 9, 1), category="other", severity="low", status="open", text="t",
                               acknowledge_due=date(2014, 9, 4), respond_due=date(2014, 9, 29)))
    db.session.commit()  # the summaries the evidence reads are kept by the flush hook
    return plan_ids


def queries_for(plan_ids: list[int]) -> tuple[int, int]:
    with counting() as one:
        plan_evidence(db.session, plan_ids[0], TODAY, Thresholds())
    with counting() as every:
        plans_evidence(db.session, None, TODAY, Thresholds())
    return len(one), len(every)


def test_query_count_is_the_same_for_a_ten_times_larger_data_set(app_ctx) -> None:
    small = queries_for(grow(2))
    participations = db.session.scalar(sa.select(sa.func.count()).select_from(Participation))
    large = queries_for(grow(20))
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Participation)) > 10 * participations
    assert small == large == (1, 1)
