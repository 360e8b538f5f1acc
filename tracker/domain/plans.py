"""Plans, one per board and financial year: the rules a plan's figures follow, which years have plans, and starting
the next year's plan from the current one.

The plans import (tracker/imports/plans.py) and the next-year form read a plan's figures through the same rules:
money in whole pounds from 0 to MONEY_LIMIT, the total pool at least the minimum, the claimed reduction in
emergency admissions from -100 to 100 with at most two decimal places; a plan with a final submission date is
submitted, one without is a draft. A plan's evidence is shown beside the same board's previous year's, both from the
evidence engine (year_on_year). Footprints and board membership belong to the board, not to a year; events,
concerns, assessments and reviews belong to one year's plan and are never copied to the next.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from tracker.domain import audit, scope, vocab
from tracker.domain.evidence import PlanEvidence, Thresholds, plans_evidence
from tracker.models import HWB, Plan, User

MONEY_FIELDS = ("minimum_pool_gbp", "total_pool_gbp", "nhs_contribution_gbp", "council_contribution_gbp")
MONEY_MINIMUM, MONEY_LIMIT = 0, 10**12
CLAIM_LOW, CLAIM_HIGH, CLAIM_PLACES = Decimal(-100), Decimal(100), 2
FIGURE_FIELDS = (*MONEY_FIELDS, "claimed_emergency_reduction_pct", "final_submission")
LABELS = {
    "minimum_pool_gbp": "Minimum pooled budget",
    "total_pool_gbp": "Total pooled budget",
    "nhs_contribution_gbp": "NHS contribution",
    "council_contribution_gbp": "Council contribution",
    "claimed_emergency_reduction_pct": "Claimed reduction in emergency admissions",
    "final_submission": "Final submission date",
}
_POUNDS = re.compile(r"-?\d+")


class PlanRejected(ValueError):
    """The plan breaks a rule; `errors` maps each field to its message."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(errors.values()))
        self.errors = errors


# -- the rules of a plan's figures --------------------------------------------------------------------------------

def total_below_minimum(minimum: int | None, total: int | None) -> bool:
    """The total pool must be at least the minimum (both known)."""
    return minimum is not None and total is not None and total < minimum


def own_status(final_submission: date | None) -> str:
    """The status a board's own plan has before any review: submitted once it has a final submission date."""
    return "submitted" if final_submission else "draft"


@dataclass(frozen=True)
class PlanFiguresInput:
    """A plan's figures as typed: money in pounds and the claimed reduction as text, the final submission date."""

    minimum_pool_gbp: str
    total_pool_gbp: str
    nhs_contribution_gbp: str
    council_contribution_gbp: str
    claimed_emergency_reduction_pct: str
    final_submission: date | None = None

    @classmethod
    def of(cls, plan: Plan) -> PlanFiguresInput:
        """A plan's own money and claim figures, to start from (its dates are its own year's, so not copied)."""
        return cls(*(str(getattr(plan, name)) for name in MONEY_FIELDS), str(plan.claimed_emergency_reduction_pct))


def _pounds(name: str, typed: str, errors: dict[str, str]) -> int | None:
    text = typed.strip().replace(",", "").replace("£", "").replace(" ", "")
    if not text:
        errors[name] = f"Enter the {LABELS[name].lower()}"
    elif not _POUNDS.fullmatch(text):
        errors[name] = f"{LABELS[name]} must be a whole number of pounds, like 12500000"
    elif int(text) < MONEY_MINIMUM:
        errors[name] = f"{LABELS[name]} must be £{MONEY_MINIMUM} or more"
    elif int(text) > MONEY_LIMIT:
        errors[name] = f"{LABELS[name]} must be at most £{MONEY_LIMIT:,}"
    else:
        return int(text)
    return None


def _claim(typed: str, errors: dict[str, str]) -> Decimal | None:
    name = "claimed_emergency_reduction_pct"
    text = typed.strip().removesuffix("%").strip()
    try:
        number = Decimal(text) if re.fullmatch(r"-?\d+(\.\d+)?", text) else None
    except InvalidOperation:  # pragma: no cover - the pattern admits only valid decimals
        number = None
    if not text:
        errors[name] = "Enter the claimed reduction in emergency admissions"
    elif number is None or not CLAIM_LOW <= number <= CLAIM_HIGH \
            or number != number.quantize(Decimal(1).scaleb(-CLAIM_PLACES)):
        errors[name] = (f"{LABELS[name]} must be a number from {CLAIM_LOW} to {CLAIM_HIGH} with at most "
                        f"{CLAIM_PLACES} decimal places, like 3.5")
    else:
        return number
    return None


def parse_figures(values: PlanFiguresInput) -> tuple[dict[str, Any], dict[str, str]]:
    """The figures as stored (money in pounds, the claim as a decimal) and field -> message for each problem."""
    errors: dict[str, str] = {}
    parsed: dict[str, Any] = {name: _pounds(name, getattr(values, name), errors) for name in MONEY_FIELDS}
    parsed["claimed_emergency_reduction_pct"] = _claim(values.claimed_emergency_reduction_pct, errors)
    parsed["final_submission"] = values.final_submission
    if total_below_minimum(parsed["minimum_pool_gbp"], parsed["total_pool_gbp"]):
        errors["total_pool_gbp"] = "Total pooled budget must be at least the minimum pooled budget"
    return parsed, errors


# -- which years have plans ---------------------------------------------------------------------------------------

def years_with_plans(session: Session, user: User) -> list[str]:
    """The years in which the user can see at least one plan, the latest first."""
    query = scope.plans_in_scope(user).with_only_columns(Plan.year).distinct().order_by(Plan.year.desc())
    return list(session.scalars(query))


def latest_year(session: Session, user: User) -> str | None:
    """The latest year in which the user can see a plan (None when there is none): the year pages show first."""
    return session.scalar(scope.plans_in_scope(user).with_only_columns(sa.func.max(Plan.year)))


def board_plans(session: Session, hwb_id: int) -> list[Plan]:
    """The board's plans, the latest year first."""
    return list(session.scalars(sa.select(Plan).where(Plan.hwb_id == hwb_id).order_by(Plan.year.desc())))


def previous_plan(session: Session, plan: Plan) -> Plan | None:
    """The same board's plan for the year before (None when it has none)."""
    before = vocab.previous_year(plan.year)
    if before is None:
        return None
    return session.scalar(sa.select(Plan).where(Plan.hwb_id == plan.hwb_id, Plan.year == before))


# -- starting the next year's plan --------------------------------------------------------------------------------

def can_start_plan(user: User, hwb: HWB) -> bool:
    """A board's own users start its next plan; an administrator starts any board's."""
    return user.role == "admin" or (user.role == "hwb" and user.hwb_id == hwb.id)


def next_plan_year(session: Session, hwb: HWB) -> str | None:
    """The year whose plan the board would start next: the one after its latest plan (None without a plan)."""
    plans = board_plans(session, hwb.id)
    return vocab.next_year(plans[0].year) if plans else None


def start_next_plan(session: Session, user: User, hwb: HWB, year: str, values: PlanFiguresInput) -> Plan:
    """Make the board's plan for `year`, the year after its latest plan, with the figures given; audited.

    Only the plan is made: events, concerns, impact assessments and reviews belong to their own year's plan.
    Raises PermissionError for someone who may not, PlanRejected with every problem otherwise.
    """
    if not can_start_plan(user, hwb):
        raise PermissionError("only the board's users and administrators start a board's plan")
    parsed, errors = parse_figures(values)
    plans = {plan.year: plan for plan in board_plans(session, hwb.id)}
    expected = vocab.next_year(max(plans)) if plans else None
    if year in plans:
        errors["year"] = (f"There is already a {vocab.year_label(year)} plan for {hwb.name}: a board has one plan "
                          "a year")
    elif not plans:
        errors["year"] = f"{hwb.name} has no plan yet to start the next one from; its first plan is imported"
    elif year != expected:
        errors["year"] = (f"The next plan {hwb.name} can start is for {vocab.year_label(expected)}"
                          if expected else "No later financial year can be planned")
    if errors:
        raise PlanRejected(errors)
    plan = Plan(hwb_id=hwb.id, year=year, status=own_status(parsed["final_submission"]), **parsed)
    session.add(plan)
    try:
        session.flush()
    except sa.exc.IntegrityError:  # someone started the same year a moment before: tell, rather than fail
        session.rollback()
        raise PlanRejected({"year": f"There is already a {vocab.year_label(year)} plan for {hwb.name}: a board "
                                    "has one plan a year"}) from None
    audit.record(session, "plan_started", "plan", plan.id, actor=user, after={
        "hwb_code": hwb.code, "year": year, "from_year": max(plans), "status": plan.status,
        **{name: str(value) if value is not None else None for name, value in parsed.items()}})
    return plan


# -- year on year -------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class YearOnYear:
    """A plan's evidence beside the same board's evidence for the year before (None when it had no plan then)."""

    evidence: PlanEvidence
    previous_plan: Plan | None
    previous: PlanEvidence | None


def year_on_year(session: Session, plan: Plan, today: date, thresholds: Thresholds,
                 as_of: date | None = None) -> YearOnYear:
    """The plan's evidence and its previous year's, both from the evidence engine in one call (today's, or both as
    at `as_of`)."""
    before = previous_plan(session, plan)
    found = plans_evidence(session, [plan.id] + ([before.id] if before else []), today, thresholds, as_of)
    return YearOnYear(found[plan.id], before, found[before.id] if before else None)
