"""Hand-made plans whose rating is known by construction (the rows themselves come from tests/factories.py)."""
from __future__ import annotations

from datetime import UTC, date, datetime

from tests.factories import make_assessment, make_event, make_hwb, make_plan, make_provider
from tracker.models import HWB, ConditionDeclaration, Plan, Provider
from tracker.web.extensions import db

TODAY = date(2014, 11, 3)
MONTHS = (date(2014, 5, 12), date(2014, 6, 16), date(2014, 7, 14))


def footprint_providers(hwb: HWB, sectors: dict[str, int]) -> list[Provider]:
    """New providers serving the board: so many per sector."""
    return [make_provider(sector, [hwb]) for sector, n in sectors.items() for _ in range(n)]


def rated_plan(rating: str, region: str = "north", sectors: dict[str, int] | None = None, code: str | None = None,
               name: str | None = None) -> Plan:
    """A plan the evidence rates as asked, over a footprint of the given sectors (one acute provider by default).

    strong: every provider engaged at depth 3, confirmed, in three months, acute providers assessed and agreeing;
    adequate: the same, unconfirmed (E4 fails); weak: only the non-acute half engaged (E1 fails, coverage 0.5);
    insufficient: nobody engaged.
    """
    hwb = make_hwb(code, region=region, name=name)
    plan = make_plan(hwb)
    sectors = sectors or ({"acute": 1} if rating != "weak" else {"acute": 1, "community": 1})
    providers = footprint_providers(hwb, sectors)
    if rating in ("strong", "adequate"):
        status = "confirmed" if rating == "strong" else "unconfirmed"
        for day in MONTHS:
            make_event(plan, day, 3, [(p, status) for p in providers])
        for provider in [p for p in providers if p.sector == "acute"] or providers[:1]:
            make_assessment(plan, provider)
    elif rating == "weak":
        others = [p for p in providers if p.sector != "acute"]
        assert len(others) * 2 == len(providers), "a weak plan needs as many acute as other providers"
        make_event(plan, MONTHS[0], 2, [(p, "confirmed") for p in others])
    db.session.flush()
    return plan


def declare_all(plan: Plan, declaration: str = "met") -> None:
    for code in ("joint_agreement", "protect_social_care", "seven_day_services", "data_sharing", "joint_assessment",
                 "acute_impact"):
        db.session.add(ConditionDeclaration(plan_id=plan.id, condition=code, declaration=declaration))


def utc(year: int, month: int, day: int) -> datetime:
    return datetime(year, month, day, 12, tzinfo=UTC)
