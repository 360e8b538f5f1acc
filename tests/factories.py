"""The one place tests make model rows: each maker adds its row, flushes so ids exist, and returns it.

Every maker has sensible defaults, so a test names only what it is about. Scenarios built from these rows (plans
whose rating is known by construction) live with their tests, e.g. tests/assurance/builders.py.
"""
from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from decimal import Decimal
from itertools import count

from flask.testing import FlaskClient

from tracker.domain import vocab
from tracker.domain.passwords import hash_password
from tracker.models import (
    HWB,
    BoardMembership,
    Concern,
    ConcernStep,
    CriteriaSettings,
    EngagementEvent,
    EventTopic,
    ImpactAssessment,
    Participation,
    Plan,
    Provider,
    User,
)
from tracker.web.extensions import db

_serial = count(1)
PASSWORD = "correct horse battery staple"
_HASH = hash_password(PASSWORD)  # argon2 is slow on purpose: hash the shared test password once
DUE = date(2014, 11, 3)  # a concern's acknowledgement is due on this day unless told otherwise


def make_hwb(code: str | None = None, *, region: str = "north", name: str | None = None) -> HWB:
    """A board with the code given or a unique GSS-shaped one. Region and name only by keyword."""
    if code in vocab.REGIONS:
        raise TypeError(f"make_hwb({code!r}): the first argument is the board's code; pass region={code!r}")
    n = next(_serial)
    hwb = HWB(code=code or f"E06{n:06d}", name=name or f"Board {n}", region=region)
    db.session.add(hwb)
    db.session.flush()
    return hwb


def make_provider(sector: str = "acute", footprint: Iterable[HWB] | None = None, code: str | None = None,
                  name: str | None = None) -> Provider:
    """A provider of the sector serving the given boards."""
    n = next(_serial)
    provider = Provider(code=code or f"P{n:05d}", name=name or f"Provider {n}", sector=sector,
                        footprint=list(footprint or ()))
    db.session.add(provider)
    db.session.flush()
    return provider


def make_plan(hwb: HWB, year: str = "2015-16", **values: object) -> Plan:
    """The board's plan for the year, with plausible money figures (any column can be given)."""
    fields = {"minimum_pool_gbp": 10_000_000, "total_pool_gbp": 12_000_000, "nhs_contribution_gbp": 9_000_000,
              "council_contribution_gbp": 3_000_000, "claimed_emergency_reduction_pct": Decimal("3.5"),
              "final_submission": date(2014, 9, 19), "status": "submitted"}
    fields.update(values)
    plan = Plan(hwb_id=hwb.id, year=year, **fields)
    db.session.add(plan)
    db.session.flush()
    return plan


def make_user(role: str, email: str | None = None, *, provider: Provider | None = None, hwb: HWB | None = None,
              region: str | None = None, active: bool = True) -> User:
    """A user whose password is PASSWORD."""
    n = next(_serial)
    user = User(email=email or f"{role}{n}@example.org", password_hash=_HASH, role=role, active=active,
                provider_id=provider.id if provider else None, hwb_id=hwb.id if hwb else None, region=region)
    db.session.add(user)
    db.session.flush()
    return user


def make_event(plan: Plan, day: date, depth: int = 3, participants: Iterable[tuple[Provider, str]] = (),
               withdrawn: bool = False, kind: str = "meeting") -> EngagementEvent:
    """A board-recorded event on the plan with (provider, status) participants, e.g. [(trust, "confirmed")]."""
    event = EngagementEvent(ref=f"EV{next(_serial):06d}", plan_id=plan.id, recorded_by="hwb", date=day, kind=kind,
                            depth=depth, summary="Discussed the plan", withdrawn=withdrawn,
                            topics=[EventTopic(topic="schemes")],
                            participations=[Participation(provider_id=p.id, status=status)
                                            for p, status in participants])
    db.session.add(event)
    db.session.flush()
    return event


def make_assessment(plan: Plan, provider: Provider, agreement: str = "agree", version: int = 1,
                    current: bool = True, *, change: str = "-1.5", money: int = -25_000,
                    comments: str = "") -> ImpactAssessment:
    """A provider's impact assessment of the plan (the current version unless told otherwise)."""
    assessment = ImpactAssessment(plan_id=plan.id, provider_id=provider.id, version=version, is_current=current,
                                  emergency_admissions_change_pct=Decimal(change), financial_impact_gbp=money,
                                  agreement=agreement, comments=comments)
    db.session.add(assessment)
    db.session.flush()
    return assessment


def make_concern(plan: Plan, provider: Provider, status: str = "open", acknowledge_due: date | None = None,
                 respond_due: date | None = None, confidential: bool = False, *, raised: date | None = None,
                 text: str = "We were not asked", ref: str | None = None, severity: str = "medium",
                 escalated_at: datetime | None = None) -> Concern:
    """A concern raised 3 days before its acknowledgement is due and whose response is due 17 days after that.

    Give either date (raised, or acknowledge_due: DUE when neither is given) and the other follows. escalated_at
    adds the step open -> escalated at that time to its history.
    """
    if acknowledge_due is None:
        acknowledge_due = raised + timedelta(days=3) if raised else DUE
    raised = raised or acknowledge_due - timedelta(days=3)
    concern = Concern(ref=ref or f"C{next(_serial):06d}", plan_id=plan.id, provider_id=provider.id, raised=raised,
                      category="excluded", severity=severity, confidential=confidential, status=status, text=text,
                      acknowledge_due=acknowledge_due, respond_due=respond_due or acknowledge_due + timedelta(days=17))
    if escalated_at:
        concern.history = [ConcernStep(at=escalated_at, actor_side="provider", from_status="open",
                                       to_status="escalated", message="No answer")]
    db.session.add(concern)
    db.session.flush()
    return concern


def make_membership(hwb: HWB, start: date = date(2013, 4, 1), end: date | None = None,
                    provider: Provider | None = None, voting: bool = True, seat: str | None = None, *,
                    name: str | None = None) -> BoardMembership:
    """A seat on the board from start to an optional end, representing a provider (seat "provider") or none."""
    membership = BoardMembership(hwb_id=hwb.id, member_name=name or f"Member {next(_serial)}",
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


def sign_in_as(client: FlaskClient, user: User | None) -> FlaskClient:
    """Put the user's session on the client without the slow password check (None signs out)."""
    client._cookies.clear()  # noqa: SLF001 - start from no cookies, as a new browser would
    with client.session_transaction() as session:
        session.clear()
        if user is not None:
            session["_user_id"] = user.get_id()
            session["_fresh"] = True
    return client
