"""The plan review page (evidence explained, records, history) and recording a review."""
from __future__ import annotations

from flask import render_template, request
from flask_login import current_user
from werkzeug.wrappers import Response

from tracker.assurance import queries
from tracker.assurance.blueprint import bp
from tracker.assurance.forms import NO_PEER, ReviewForm
from tracker.domain import plans, vocab
from tracker.domain.reviews.peers import PeerSuggestion, suggest_peers
from tracker.domain.reviews.rules import WEAK_RATINGS, ReviewChoice, override_triggers, split_conditions
from tracker.domain.reviews.service import ReviewInput, ReviewRefused, record_review
from tracker.models import Plan
from tracker.web.access import plan_or_404, roles_required
from tracker.web.clock import today
from tracker.web.evidence_date import evidence_date
from tracker.web.extensions import db
from tracker.web.helpers import page_number, redirect_with_message

CONCERNS_PAGE = "concerns_page"  # the plan page's second list: ?page= is the events'


def peer_suggestions(plan: Plan, rating: str) -> list[PeerSuggestion]:
    """Peer boards for a weak or insufficient plan, from the boards in the assurer's scope; none otherwise."""
    if rating not in WEAK_RATINGS:
        return []
    target, candidates = queries.peer_candidates(current_user, plan, today())
    return suggest_peers(target, candidates)


@bp.get("/plans/<hwb_code>/<year>")
@roles_required("assurer", "admin")
def plan(hwb_code: str, year: str) -> str:
    """One plan's evidence, every criterion explained and linked to its records, its concerns and history."""
    record = plan_or_404(current_user, hwb_code, year)
    board_plans = plans.board_plans(db.session, record.hwb_id)
    # An administrator can start the board's next year's plan from its latest one.
    following = vocab.next_year(record.year) if board_plans[0].id == record.id else None
    when = evidence_date()
    return render_template("assurance/plan.html", d=queries.dossier(current_user, record, today(), as_of=when.day),
                           when=when, form=when.form if when.form.errors else None,
                           events=queries.plan_events(current_user, record, page_number()),
                           concerns=queries.plan_concerns(current_user, record, page_number(CONCERNS_PAGE)),
                           concern_counts=queries.concern_counts(current_user, record), board_plans=board_plans,
                           next_plan_year=following if current_user.role == "admin" else None)


def _choice(form: ReviewForm) -> ReviewChoice:
    return ReviewChoice(suggested_rating=form.evidence_rating.data or "", rating=form.rating.data or "",
                        decision=form.decision.data or "", tranche=form.tranche_value(),
                        conditions=split_conditions(form.conditions.data or ""),
                        intervention=form.intervention.data or "",
                        override_reason=form.override_reason.data or "")


@bp.route("/plans/<hwb_code>/<year>/review", methods=["GET", "POST"])
@roles_required("assurer", "admin")
def review(hwb_code: str, year: str) -> str | Response:
    """Record a review: the conditions, rating, decision, tranche and, against the evidence, a reason."""
    record = plan_or_404(current_user, hwb_code, year)
    d = queries.dossier(current_user, record, today())
    suggestions = peer_suggestions(record, d.evidence.rating)
    peer_codes = {s.board.code: s.board for s in suggestions}
    form = ReviewForm()
    form.peer.choices = [(s.board.code, f"{s.board.name} ({s.board.code})") for s in suggestions] + [
        (NO_PEER, "No peer match")]
    if request.method == "GET":
        form.evidence_rating.data = d.evidence.rating
        form.rating.data = d.evidence.rating
        asked = request.args.get("peer")
        form.peer.data = asked if asked in peer_codes else None
    elif form.validate_on_submit():
        if form.peer.data not in (*peer_codes, NO_PEER, None, ""):
            form.peer.errors = ["Select one of the suggested peer boards, or no peer match"]
        else:
            views = {code: field.data for code, field in form.condition_fields()}
            try:
                saved = record_review(db.session, current_user, record, d.evidence,
                                      ReviewInput(_choice(form), views, peer_codes.get(form.peer.data or "")))
                return redirect_with_message(
                    "assurance.plan", f"Review recorded: {vocab.DECISIONS[saved.decision].lower()}.",
                    hwb_code=hwb_code, year=year, _anchor="history")
            except ReviewRefused as refused:
                db.session.rollback()
                for name, message in refused.errors.items():
                    getattr(form, name).errors = [*getattr(form, name).errors, message]
                form.evidence_rating.data = d.evidence.rating
    choice = _choice(form)
    triggers = override_triggers(choice) if (choice.rating in vocab.RATINGS and choice.decision in vocab.DECISIONS
                                             and choice.suggested_rating in vocab.RATINGS) else []
    return render_template("assurance/review.html", d=d, form=form, suggestions=suggestions, triggers=triggers)
