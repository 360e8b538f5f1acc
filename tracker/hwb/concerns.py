"""The board's concerns inbox: every non-confidential concern on its plan, overdue first; acknowledge, respond."""
from __future__ import annotations

from flask import render_template
from werkzeug.wrappers import Response

from tracker.domain.concerns import ConcernRejected, allowed_actions, take_action
from tracker.hwb import queries
from tracker.hwb.blueprint import bp
from tracker.hwb.forms import ConcernActionForm
from tracker.hwb.helpers import board_plan, year_args, year_context
from tracker.web.access import roles_required
from tracker.web.clock import today
from tracker.web.deadlines import concern_days
from tracker.web.extensions import db
from tracker.web.helpers import me, redirect_with_message

DONE = {"acknowledge": "Concern acknowledged. The provider can see your acknowledgement.",
        "respond": "Response sent. The provider can now resolve the concern, reopen it or escalate it.",
        "resolve": "Concern marked as resolved. The provider can reopen it if it is not settled."}


@bp.get("/concerns")
@roles_required("hwb")
def concerns() -> str:
    """Every concern on the plan the board may see, with what is owed and by when, overdue ones first."""
    plan = board_plan()
    items = queries.inbox(me(), plan, today())
    return render_template("hwb/concerns.html", plan=plan, items=items, args=year_args(plan), **year_context(plan),
                           overdue=sum(1 for i in items if i.overdue),
                           owed=sum(1 for i in items if i.due is not None),
                           acknowledge_days=concern_days().acknowledge,
                           respond_days=concern_days().respond)


@bp.route("/concerns/<ref>", methods=["GET", "POST"])
@roles_required("hwb")
def concern(ref: str) -> str | Response:
    """One concern: what the provider said, every step so far, and the board's next step."""
    user = me()
    record = queries.concern_or_404(user, ref)
    plan = record.plan
    actions = allowed_actions(record.status, "hwb", record.confidential)
    form = ConcernActionForm()
    form.action.choices = [(a.name, a.label) for a in actions]
    if actions and form.validate_on_submit():
        try:
            take_action(db.session, user, record, form.action.data, form.message.data or "", today=today(),
                        respond_days=concern_days().respond)
        except ConcernRejected as rejected:
            db.session.rollback()
            record = queries.concern_or_404(user, ref)
            getattr(form, rejected.field, form.action).errors = [str(rejected)]
        else:
            return redirect_with_message("hwb.concern", DONE[form.action.data], ref=ref, **year_args(plan))
    return render_template("hwb/concern.html", plan=plan, concern=record, form=form, actions=actions,
                           item=queries.inbox_item(record, today()), args=year_args(plan))
