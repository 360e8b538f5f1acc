"""What the assurance pages read, always through the access policy and in a fixed number of queries.

Figures come from the evidence engine; these functions only gather the records shown beside them.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy.orm import joinedload, selectinload

from tracker.assurance.overview_table import OverviewRow
from tracker.domain import evidence, membership, plans, scope, vocab

# The evidence engine's own condition for "active on D", so the overview counts members as its statistics do.
from tracker.domain.membership import active_on
from tracker.domain.reviews.peers import BoardProfile
from tracker.models import (
    HWB,
    AssuranceReview,
    BoardMembership,
    Concern,
    EngagementEvent,
    ImpactAssessment,
    Participation,
    Plan,
    User,
)
from tracker.web.extensions import db

EVENTS_PER_PAGE = 50  # a plan of national scale has thousands: the plan page shows them a page at a time
CONCERNS_PER_PAGE = 50  # and hundreds of concerns, the most pressing first
# The plan page's order of concerns: escalated, then what the board still owes, then answered, then resolved;
# the oldest first within each.
_RANK = {"escalated": 0, "open": 1, "acknowledged": 2, "responded": 3}  # resolved: 4
_PRESSING = sa.case(_RANK, value=Concern.status, else_=len(_RANK))
CONCERN_ORDER = (_PRESSING, Concern.raised, Concern.id)


def _latest_reviews(plan_ids: list[int]) -> dict[int, AssuranceReview]:
    """The latest review of each plan (the highest id: reviews are only ever added)."""
    latest = (sa.select(sa.func.max(AssuranceReview.id)).where(AssuranceReview.plan_id.in_(plan_ids))
              .group_by(AssuranceReview.plan_id))
    return {r.plan_id: r for r in db.session.scalars(sa.select(AssuranceReview).where(AssuranceReview.id.in_(latest)))}


def overview_rows(user: User, year: str | None, today: date, compare: str | None = None) -> list[OverviewRow]:
    """Every plan of the year in the user's scope with its evidence, and when asked the same board's evidence in the
    year compared with: a constant number of queries."""
    rows = db.session.execute(scope.plans_in_scope(user).where(Plan.year == year)
                              .with_only_columns(Plan.id, Plan.status, HWB.id, HWB.code, HWB.name, HWB.region)).all()
    plan_ids = [row[0] for row in rows]
    others = dict(db.session.execute(scope.plans_in_scope(user).where(Plan.year == compare)
                                     .with_only_columns(Plan.hwb_id, Plan.id)).tuples().all()) if compare else {}
    thresholds = evidence.load_thresholds(db.session)
    figures = evidence.plans_evidence(db.session, plan_ids + list(others.values()), today, thresholds)
    reviews = _latest_reviews(plan_ids) if plan_ids else {}
    members = dict(db.session.execute(
        sa.select(BoardMembership.hwb_id, sa.func.count())
        .where(BoardMembership.hwb_id.in_([row[2] for row in rows]), BoardMembership.provider_id.is_not(None),
               active_on(today)).group_by(BoardMembership.hwb_id)).all()) if rows else {}
    confidential = dict(db.session.execute(
        sa.select(Concern.plan_id, sa.func.count())
        .where(Concern.plan_id.in_(plan_ids), Concern.confidential.is_(True),
               Concern.status.in_(vocab.UNRESOLVED))
        .group_by(Concern.plan_id)).all()) if rows else {}
    result = []
    for plan_id, status, hwb_id, code, name, region in rows:
        review = reviews.get(plan_id)
        result.append(OverviewRow(plan_id, code, name, region, year, status, figures[plan_id], members.get(hwb_id, 0),
                                  confidential.get(plan_id, 0), review.tranche if review else None, review is not None,
                                  figures[others[hwb_id]] if hwb_id in others else None))
    return result


@dataclass
class Dossier:
    """Everything the plan review page and the evidence pack show about one plan."""

    plan: Plan
    evidence: evidence.PlanEvidence
    providers: list[evidence.ProviderRow]
    explanations: list[evidence.Explanation]
    concerns: list[Concern]  # every concern the user may see, oldest first; only when asked for (the pack)
    assessments: list[ImpactAssessment]
    memberships: list[BoardMembership]
    board: dict[str, Any]
    reviews: list[tuple[AssuranceReview, str | None]]
    today: date
    previous_plan: Plan | None = None  # the board's plan for the year before, when it has one
    previous: evidence.PlanEvidence | None = None  # and its evidence, from the same engine

    @property
    def acute_assessments(self) -> list[ImpactAssessment]:
        return [a for a in self.assessments if a.provider.sector == "acute"]


def plan_evidence(plan: Plan, today: date, as_of: date | None = None) -> evidence.PlanEvidence:
    """The plan's evidence with the thresholds in force, today's or as at `as_of`."""
    return evidence.plan_evidence(db.session, plan.id, today, evidence.load_thresholds(db.session), as_of)


def dossier(user: User, plan: Plan, today: date, with_concerns: bool = False, as_of: date | None = None) -> Dossier:
    """The plan's evidence explained, with the records behind it, as the user may see them; every concern too
    when asked for (the pages show them a page at a time: plan_concerns); the previous year's evidence beside it.
    As at `as_of` (a past day), the figures of both years and the board are as they stood at the end of that day,
    and Dossier.today is that day."""
    both = plans.year_on_year(db.session, plan, today, evidence.load_thresholds(db.session), as_of)
    figures = both.evidence
    today = figures.as_of or today
    providers = evidence.provider_rows(db.session, plan, figures)
    concerns = db.session.scalars(
        _concerns_of(user, plan).order_by(Concern.raised, Concern.id)).unique().all() if with_concerns else []
    assessments = db.session.scalars(
        scope.assessments_visible(user).where(ImpactAssessment.plan_id == plan.id)
        .options(joinedload(ImpactAssessment.provider)).order_by(ImpactAssessment.id)).all()
    memberships = db.session.scalars(
        sa.select(BoardMembership).where(BoardMembership.hwb_id == plan.hwb_id)
        .options(joinedload(BoardMembership.provider))
        .order_by(BoardMembership.start.desc(), BoardMembership.member_name)).all()
    reviews = db.session.execute(
        sa.select(AssuranceReview, User.email).outerjoin(User, User.id == AssuranceReview.reviewer_id)
        .where(AssuranceReview.plan_id == plan.id).options(joinedload(AssuranceReview.peer_hwb))
        .order_by(AssuranceReview.id.desc())).all()
    return Dossier(plan, figures, providers, evidence.explain(figures, providers), list(concerns), list(assessments),
                   list(memberships), membership.board_figures(db.session, plan.hwb_id, today),
                   [(r, email) for r, email in reviews], today, both.previous_plan, both.previous)


def plan_events(user: User, plan: Plan, page: int) -> Pagination:
    """A page of the plan's events, newest first, with their providers (a fixed number of queries a page)."""
    query = scope.events_newest_first(user, plan).options(
        selectinload(EngagementEvent.participations).joinedload(Participation.provider))
    return db.paginate(query, page=page, per_page=EVENTS_PER_PAGE, error_out=False)


def _concerns_of(user: User, plan: Plan) -> sa.Select:
    return (scope.concerns_visible(user).where(Concern.plan_id == plan.id)
            .options(joinedload(Concern.provider), selectinload(Concern.history)))


def plan_concerns(user: User, plan: Plan, page: int) -> Pagination:
    """A page of the plan's concerns the user may see, the most pressing first (CONCERN_ORDER)."""
    return db.paginate(_concerns_of(user, plan).order_by(*CONCERN_ORDER), page=page, per_page=CONCERNS_PER_PAGE,
                       error_out=False)


@dataclass(frozen=True)
class ConcernCounts:
    """How many concerns on a plan the user may see: in all, escalated, and confidential ones not resolved."""

    total: int
    escalated: int
    confidential_open: int


def concern_counts(user: User, plan: Plan) -> ConcernCounts:
    """The counts of ConcernCounts, from one grouped query."""
    rows = db.session.execute(
        scope.concerns_visible(user).where(Concern.plan_id == plan.id)
        .with_only_columns(Concern.status, Concern.confidential, sa.func.count())
        .group_by(Concern.status, Concern.confidential)).all()
    return ConcernCounts(sum(n for _, _, n in rows), sum(n for status, _, n in rows if status == "escalated"),
                         sum(n for status, secret, n in rows if secret and status in vocab.UNRESOLVED))


def concern_page(user: User, concern: Concern) -> int:
    """The page of the plan's concerns (plan_concerns) that shows the concern."""
    before = db.session.scalar(
        scope.concerns_visible(user).where(Concern.plan_id == concern.plan_id)
        .where(sa.tuple_(*CONCERN_ORDER) < sa.tuple_(
            sa.literal(_RANK.get(concern.status, len(_RANK))), sa.literal(concern.raised), sa.literal(concern.id)))
        .with_only_columns(sa.func.count()))
    return (before or 0) // CONCERNS_PER_PAGE + 1


def peer_candidates(user: User, plan: Plan, today: date) -> tuple[BoardProfile, list[BoardProfile]]:
    """The plan's board and every other board in scope with a plan the same year, with ratings and footprints."""
    rows = db.session.execute(scope.plans_in_scope(user).where(Plan.year == plan.year)
                              .with_only_columns(Plan.id, HWB.id, HWB.code, HWB.name, HWB.region)).all()
    figures = evidence.plans_evidence(db.session, [row[0] for row in rows], today,
                                      evidence.load_thresholds(db.session))
    profiles = {plan_id: BoardProfile(hwb_id, code, name, region, dict(figures[plan_id].facts.footprint),
                                      figures[plan_id].rating,
                                      frozenset(c.id for c in figures[plan_id].criteria if c.passed))
                for plan_id, hwb_id, code, name, region in rows}
    return profiles[plan.id], [p for plan_id, p in profiles.items() if plan_id != plan.id]


def board_by_code(code: str) -> HWB | None:
    """A board by its code (the caller checks scope)."""
    return db.session.scalar(sa.select(HWB).where(HWB.code == code))


def latest_peer_match(plan_id: int) -> AssuranceReview | None:
    """The latest review of the plan that recorded a peer board."""
    return db.session.scalar(
        sa.select(AssuranceReview).where(AssuranceReview.plan_id == plan_id, AssuranceReview.peer_hwb_id.is_not(None))
        .options(joinedload(AssuranceReview.peer_hwb)).order_by(AssuranceReview.id.desc()).limit(1))
