"""The assurer's verdict on one condition of a plan's approval: met on a date, or why it is not met yet."""
from __future__ import annotations

from flask import abort, render_template
from flask_login import current_user
from werkzeug.wrappers import Response

from tracker.assurance.blueprint import bp
from tracker.assurance.forms import ConditionDecisionForm
from tracker.domain import scope
from tracker.domain.reviews.conditions import ConditionRefused, condition_in_scope, decide_condition
from tracker.models import ReviewCondition
from tracker.web.access import roles_required
from tracker.web.clock import today
from tracker.web.extensions import db
from tracker.web.forms import put_errors
from tracker.web.helpers import me, redirect_with_message


def condition_or_404(condition_id: int) -> ReviewCondition:
    """The condition, when its plan is in the user's scope (404 otherwise, so its existence does not leak)."""
    item = condition_in_scope(db.session, scope.plans_in_scope(current_user), condition_id)
    if item is None:
        abort(404)
    return item


@bp.route("/conditions/<int:condition_id>", methods=["GET", "POST"])
@roles_required("assurer", "admin")
def condition(condition_id: int) -> str | Response:
    """One condition with the board's latest answer; mark it met, or say why not (it stays open)."""
    item = condition_or_404(condition_id)
    plan = item.review.plan
    form = ConditionDecisionForm()
    if item.status == "open" and form.validate_on_submit():
        met = {"yes": True, "no": False}.get(form.met.data or "")
        try:
            decide_condition(db.session, me(), item, met, met_on=form.met_on.data,
                             reason=form.not_met_reason.data or "", today=today())
            message = "Condition marked met." if met else "The board has been told why the condition is not met."
            return redirect_with_message("assurance.plan", message, hwb_code=plan.hwb.code, year=plan.year,
                                         _anchor="history")
        except ConditionRefused as refused:
            db.session.rollback()
            put_errors(form, refused.errors)
    elif not form.is_submitted():
        form.met_on.process(None, today())
    return render_template("assurance/condition.html", plan=plan, item=item, form=form)
