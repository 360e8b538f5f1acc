"""Plain functions that make model rows for tests: each adds its row, flushes so ids exist, and returns it."""
from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from decimal import Decimal
from itertools import count

from tracker.web.extensions import db
from tracker.models import (
    HWB, BoardMembership, Concern, CriteriaSettings, EngagementEvent, EventTopic, ImpactAssessment, Participation,
    Plan, Provider,
)

_serial = count(1)


def make_hwb(region: str = "north", code: str | None = None, name: str | None = None) -> HWB:
    """A board with a unique GSS-shaped code."""
    n = next(_serial)
    hwb = HWB(code=code or f"E09{n:06d}", name=name or f"Board {n}", region=region)
    db.session.add(hwb)
    db.session.flush()
    return hwb


def make_provider(sector: str = "acute", footprint: Iterable[HWB] = (), code: str | None = None,
                  name: str | None = None) -> Provider:
    """A provider of the sector serving the given boards."""
    n = next(_serial)
    provider = Provider(code=code or f"R{n:05d}", name=name or f"Provider {n}", sector=sector,
                        footprint=list(footprint))
    db.session.add(provider)
    db.session.flush()
    return provider


def make_plan(hwb: HWB, year: str = "2015-16") -> Plan:
    """The board's plan for the year, with plausible money figures."""
    plan = Plan(hwb_id=hwb.id, year=year, minimum_pool_gbp=10_000_000, total_pool_gbp=12_000_000,
                nhs_contribution_gbp=9_000_000, council_contribution_gbp=3_000_000,
                claimed_emergency_reduction_pct=Decimal("3.5"), final_submission=date(2014, 9, 19), status="submitted")
    db.session.add(plan)
    db.session.flush()
    return plan


def make_event(plan: Plan, day: date, depth: int = 3, participants: Iterable[tuple[Provider, str]] = (),
               withdrawn: bool = False, kind: str = "meeting") -> EngagementEvent:
    """A board-recorded event on the plan with (provider, status) participants."""
    event = EngagementEvent(ref=f"EV-{next(_serial)}", plan_id=plan.id, recorded_by="hwb", date=day, kind=kind,
                            depth=depth, summary="Discussed the plan", withdrawn=withdrawn,
                            topics=[EventTopic(topic="schemes")],
                            participations=[Participation(provider_id=p.id, status=status)
                                            for p, status in participants])
    db.session.add(event)
    db.session.flush()
    return event


def make_assessment(plan: Plan, provider: Provider, agreement: str = "agree", version: int = 1,
                    current: bool = True) -> ImpactAssessment:
    """A provider's impact assessment of the plan (the current version unless told otherwise)."""
    assessment = ImpactAssessment(plan_id=plan.id, provider_id=provider.id, version=version, is_current=current,
                                  emergency_admissions_change_pct=Decimal("-1.5"), financial_impact_gbp=-25_000,
                                  agreement=agreement)
    db.session.add(assessment)
    db.session.flush()
    return assessment


def make_concern(plan: Plan, provider: Provider, status: str = "open", acknowledge_due: date = date(2014, 11, 3),
                 respond_due: date | None = None, confidential: bool = False) -> Concern:
    """A concern with the given dues (the response due 17 days after the acknowledgement unless told)."""
    respond_due = respond_due or acknowledge_due + timedelta(days=17)
    concern = Concern(ref=f"C-{next(_serial)}", plan_id=plan.id, provider_id=provider.id,
                      raised=acknowledge_due - timedelta(days=3), category="excluded", severity="medium",
                      confidential=confidential, status=status, text="We were not asked",
                      acknowledge_due=acknowledge_due, respond_due=respond_due)
    db.session.add(concern)
    db.session.flush()
    return concern


def make_membership(hwb: HWB, start: date, end: date | None = None, provider: Provider | None = None,
                    voting: bool = True, seat: str | None = None) -> BoardMembership:
    """A seat on the board from start to an optional end, representing a provider or none."""
    membership = BoardMembership(hwb_id=hwb.id, member_name=f"Member {next(_serial)}",
                                 seat=seat or ("provider" if provider else "other"),
                                 provider_id=provider.id if provider else None, voting=voting, start=start, end=end)
    db.session.add(membership)
    db.session.flush()
    return membership


def make_settings(**thresholds: float | int) -> CriteriaSettings:
    """The single criteria settings row, with these thresholds and the defaults for the rest."""
    settings = CriteriaSettings(id=1, **thresholds)
    db.session.add(settings)
    db.session.flush()
    return settings
