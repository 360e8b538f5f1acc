"""Hand-made plans whose rating is known by construction, and the records around them."""
from __future__ import annotations

from datetime import date, datetime, UTC
from decimal import Decimal
from itertools import count

from tests.factories import make_hwb, make_plan, make_provider
from tracker.web.extensions import db
from tracker.models import (
    HWB, BoardMembership, Concern, ConcernStep, ConditionDeclaration, EngagementEvent, EventTopic, ImpactAssessment,
    Participation, Plan, Provider,
)

TODAY = date(2014, 11, 3)
MONTHS = (date(2014, 5, 12), date(2014, 6, 16), date(2014, 7, 14))
_refs = count(1)


def event(plan: Plan, day: date, depth: int, providers: list[Provider], status: str = "confirmed") -> EngagementEvent:
    """An event on the plan recorded by the board, with these providers taking part."""
    record = EngagementEvent(ref=f"EV{next(_refs):06d}", plan_id=plan.id, recorded_by="hwb", date=day, kind="meeting",
                             depth=depth, summary="Planning meeting", topics=[EventTopic(topic="schemes")],
                             participations=[Participation(provider_id=p.id, status=status) for p in providers])
    db.session.add(record)
    return record


def assessment(plan: Plan, provider: Provider, agreement: str = "agree", change: str = "-2.5",
               money: int = -250_000, comments: str = "") -> ImpactAssessment:
    record = ImpactAssessment(plan_id=plan.id, provider_id=provider.id, emergency_admissions_change_pct=Decimal(change),
                              financial_impact_gbp=money, agreement=agreement, comments=comments)
    db.session.add(record)
    return record


def concern(plan: Plan, provider: Provider, status: str = "open", confidential: bool = False,
            raised: date = date(2014, 9, 1), text: str = "We were not asked", escalated_at: datetime | None = None,
            ref: str | None = None) -> Concern:
    record = Concern(ref=ref or f"C{next(_refs):06d}", plan_id=plan.id, provider_id=provider.id, raised=raised,
                     category="excluded", severity="high", confidential=confidential, status=status, text=text,
                     acknowledge_due=raised, respond_due=raised)
    if escalated_at:
        record.history = [ConcernStep(at=escalated_at, actor_side="provider", from_status="open",
                                      to_status="escalated", message="No answer")]
    db.session.add(record)
    return record


def member(hwb: HWB, name: str, provider: Provider | None = None, seat: str = "provider", voting: bool = True,
           start: date = date(2013, 4, 1), end: date | None = None) -> BoardMembership:
    record = BoardMembership(hwb_id=hwb.id, member_name=name, seat=seat, provider_id=provider.id if provider else None,
                             voting=voting, start=start, end=end)
    db.session.add(record)
    return record


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
        for day in MONTHS:
            event(plan, day, 3, providers, "confirmed" if rating == "strong" else "unconfirmed")
        for provider in [p for p in providers if p.sector == "acute"] or providers[:1]:
            assessment(plan, provider)
    elif rating == "weak":
        others = [p for p in providers if p.sector != "acute"]
        assert len(others) * 2 == len(providers), "a weak plan needs as many acute as other providers"
        event(plan, MONTHS[0], 2, others)
    db.session.flush()
    return plan


def declare_all(plan: Plan, declaration: str = "met") -> None:
    for code in ("joint_agreement", "protect_social_care", "seven_day_services", "data_sharing", "joint_assessment",
                 "acute_impact"):
        db.session.add(ConditionDeclaration(plan_id=plan.id, condition=code, declaration=declaration))


def utc(year: int, month: int, day: int) -> datetime:
    return datetime(year, month, day, 12, tzinfo=UTC)
