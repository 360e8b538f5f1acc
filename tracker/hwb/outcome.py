"""The outcome of the board's plan review: the decision, its conditions (which the board answers here), the peer
board it was paired with and whom to contact there, and the boards paired with it."""
from __future__ import annotations

from flask import abort, render_template, url_for
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import StringField, TextAreaField

from tracker.domain.reviews import outcome
from tracker.domain.reviews.conditions import ANSWER_MAX, ConditionRefused, answer_condition
from tracker.hwb.blueprint import bp
from tracker.hwb.helpers import board_plan, year_args, year_context
from tracker.models import Plan, ReviewCondition
from tracker.web import access
from tracker.web.access import roles_required
from tracker.web.clock import today
from tracker.web.extensions import db
from tracker.web.forms import StorableForm, put_errors
from tracker.web.helpers import me, redirect_with_message


class ConditionAnswerForm(StorableForm):
    """What the board has done about one condition, and a link to show it."""

    answer = TextAreaField("What has the board done to meet the condition?")
    answer_url = StringField("Link to the evidence (optional)")


@bp.app_template_global()
def latest_review_outcome(plan: Plan) -> outcome.Outcome | None:
    """The plan's latest review as the board and its providers see it, for the pages that show it (the board's
    plan page, the provider's view of the plan)."""
    return outcome.latest_outcome(db.session, plan, today())


@bp.get("/review")
@roles_required("hwb")
def outcome_page() -> str:
    """The latest review of the board's plan for the year, its conditions, its peer and the boards paired with it."""
    plan = board_plan()
    return render_template("hwb/outcome.html", plan=plan, args=year_args(plan), **year_context(plan),
                           outcome=outcome.latest_outcome(db.session, plan, today()),
                           matched=outcome.boards_matched_with(db.session, plan.hwb_id))


def _condition_or_404(condition_id: int) -> ReviewCondition:
    user = me()
    if user.hwb is None:
        abort(404)
    item = db.session.get(ReviewCondition, condition_id)
    if item is None or item.review.plan.hwb_id != user.hwb_id:
        abort(404)
    access.plan_or_404(user, user.hwb.code, item.review.plan.year)  # through the access policy, as every page
    return item


@bp.route("/review/conditions/<int:condition_id>", methods=["GET", "POST"])
@roles_required("hwb")
def answer_condition_page(condition_id: int) -> str | Response:
    """Answer one condition of the plan's approval: what the board did, with a link to show it."""
    item = _condition_or_404(condition_id)
    plan = item.review.plan
    form: FlaskForm = ConditionAnswerForm()
    if item.status == "open" and form.validate_on_submit():
        try:
            answer_condition(db.session, me(), item, form.answer.data or "", form.answer_url.data or "")
            return redirect_with_message("hwb.outcome_page", "Your answer has been sent to the assurers.",
                                         year=plan.year, _anchor="assurance-outcome")
        except ConditionRefused as refused:
            db.session.rollback()
            put_errors(form, refused.errors)
    elif not form.is_submitted():
        form.answer.data, form.answer_url.data = item.answer, item.answer_url
    return render_template("hwb/outcome_answer.html", plan=plan, item=item, form=form, maximum=ANSWER_MAX,
                           back=url_for("hwb.outcome_page", year=plan.year))
