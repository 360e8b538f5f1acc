"""Fixtures for the HWB workspace: a board with a footprint across sectors, events, concerns and a user each."""
from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest
import sqlalchemy as sa

from tests.factories import make_hwb, make_plan, make_provider, make_user
from tracker.models import (
    AuditEntry,
    Concern,
    ConcernStep,
    EngagementEvent,
    EventTopic,
    ImpactAssessment,
    Participation,
)
from tracker.web.extensions import db

TODAY = date(2014, 10, 1)  # a Wednesday


def add_event(plan_id: int, day: date, providers: list[Any], *, recorded_by: Any = None, depth: int = 3,
              status: str = "unconfirmed", ref: str | None = None, withdrawn: bool = False) -> EngagementEvent:
    """An event on the plan, recorded by a provider (given) or the board (None), naming the providers."""
    event = EngagementEvent(
        ref=ref or f"EV-{plan_id}-{day.isoformat()}-{len(providers)}-{id(providers) % 100000}",
        plan_id=plan_id, recorded_by="provider" if recorded_by is not None else "hwb",
        recorded_by_provider_id=recorded_by.id if recorded_by is not None else None, date=day, kind="meeting",
        depth=depth, summary="Talked about the discharge schemes", withdrawn=withdrawn,
        topics=[EventTopic(topic="schemes")],
        participations=[Participation(provider_id=p.id, status=status) for p in providers])
    db.session.add(event)
    db.session.flush()
    return event


def add_concern(plan_id: int, provider: Any, ref: str, *, raised: date, status: str = "open",
                confidential: bool = False, acknowledge_due: date | None = None,
                respond_due: date | None = None, text: str = "We were not asked") -> Concern:
    """A concern with its first step, due dates given or 3 and 20 working days on."""
    from tracker.domain.working_days import due_dates

    ack, resp = due_dates(raised, 3, 20)
    concern = Concern(ref=ref, plan_id=plan_id, provider_id=provider.id, raised=raised, category="excluded",
                      severity="high", confidential=confidential, status=status, text=text,
                      acknowledge_due=acknowledge_due or ack, respond_due=respond_due or resp,
                      history=[ConcernStep(actor_side="provider", from_status=None, to_status="open", message=text)])
    db.session.add(concern)
    db.session.flush()
    return concern


@pytest.fixture
def scene(app, app_ctx) -> Iterator[SimpleNamespace]:
    """Board IN (north) with six footprint providers; board OUT (london); events, concerns, today pinned."""
    app.config["TODAY"] = TODAY
    hwb = make_hwb("E06000047", region="north", name="County Durham")
    other_hwb = make_hwb("E09000002", region="london", name="Barking and Dagenham")
    acute = make_provider("acute", footprint=[hwb], code="RACU")
    acute.name = "Durham Acute Hospitals NHS Trust"
    acute2 = make_provider("acute", footprint=[hwb], code="RAC2")
    acute2.name = "North Tees Hospitals NHS Trust"
    community = make_provider("community", footprint=[hwb], code="RCOM")
    community.name = "Durham Community Care"
    care_home = make_provider("independent_social_care", footprint=[hwb], code="1-CARE")
    care_home.name = "Sunrise Care Homes"
    voluntary = make_provider("voluntary", footprint=[hwb], code="VOL1")
    voluntary.name = "Age UK Durham"
    stranger = make_provider("housing", footprint=[other_hwb], code="RSTR")
    stranger.name = "London Housing"
    plan, other_plan = make_plan(hwb), make_plan(other_hwb)
    users = {
        "hwb_user": make_user("hwb", "chair@durham.example.org", hwb=hwb),
        "other_hwb_user": make_user("hwb", hwb=other_hwb),
        "provider_user": make_user("provider", provider=community),
        "acute_user": make_user("provider", provider=acute),
        "assurer": make_user("assurer"),
    }
    db.session.add(ImpactAssessment(plan_id=plan.id, provider_id=acute.id,
                                    emergency_admissions_change_pct=Decimal("-1.0"), financial_impact_gbp=-2_000_000,
                                    agreement="disagree", comments="Too optimistic"))
    # Board-recorded (acute confirmed), provider-recorded awaiting the board, another board's.
    board_event = add_event(plan.id, date(2014, 6, 12), [acute, community], depth=4, status="confirmed",
                            ref="EV-BOARD1")
    provider_event = add_event(plan.id, date(2014, 8, 5), [community], recorded_by=community, depth=2,
                               ref="EV-PROV1")
    other_event = add_event(other_plan.id, date(2014, 7, 1), [stranger], recorded_by=stranger, ref="EV-OTHER")
    overdue = add_concern(plan.id, community, "CN-OVERDUE", raised=date(2014, 9, 22))
    due_later = add_concern(plan.id, acute, "CN-LATER", raised=date(2014, 9, 30))
    secret = add_concern(plan.id, acute, "CN-SECRET", raised=date(2014, 9, 1), confidential=True,
                         text="Confidential: the trust's finances")
    other_concern = add_concern(other_plan.id, stranger, "CN-OTHER", raised=date(2014, 9, 22))
    db.session.commit()
    yield SimpleNamespace(hwb=hwb, other_hwb=other_hwb, acute=acute, acute2=acute2, community=community,
                          care_home=care_home, voluntary=voluntary, stranger=stranger, plan=plan,
                          other_plan=other_plan, board_event=board_event, provider_event=provider_event,
                          other_event=other_event, overdue=overdue, due_later=due_later, secret=secret,
                          other_concern=other_concern, **users)
    app.config.pop("TODAY", None)


def audit_actions() -> list[str]:
    """Every audit entry's action, oldest first."""
    return list(db.session.scalars(sa.select(AuditEntry.action).order_by(AuditEntry.id)))


def text(response: Any) -> str:
    """The response body as text."""
    return response.get_data(as_text=True)
