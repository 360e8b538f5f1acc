"""The assurers' side of concerns: the queue of what they owe (escalated and confidential concerns in scope) and
one concern's page, with its whole history and the steps the rules let assurers take (tracker.domain.concerns)."""
from __future__ import annotations

from flask import render_template, url_for
from flask_login import current_user
from werkzeug.wrappers import Response
from wtforms import TextAreaField

from tracker.assurance import concern_queries, queries
from tracker.assurance.blueprint import bp
from tracker.assurance.review import CONCERNS_PAGE
from tracker.domain.concerns import ConcernRejected, actions_for, owed, take_action
from tracker.web.access import roles_required
from tracker.web.clock import today
from tracker.web.deadlines import concern_days
from tracker.web.extensions import db
from tracker.web.forms import ConcernActionForm, put_errors
from tracker.web.helpers import page_number, redirect_with_message

DONE = {"acknowledge": "Concern acknowledged. The provider can see your acknowledgement.",
        "respond": "Response sent. The provider can now resolve the concern, reopen it or escalate it again.",
        "resolve": "Concern marked as resolved. The provider can reopen it if it is not settled."}
HINTS = {"acknowledge": "Tell the provider the assurers have the concern. A response is still due.",
         "respond": "Answer the concern. The provider sees your message.",
         "resolve": "The concern has been dealt with. This closes it; the provider can reopen it."}


class AssurerConcernForm(ConcernActionForm):
    """Acknowledge (a confidential concern), respond to or resolve a concern."""

    message = TextAreaField("Your message to the provider")


@bp.get("/concerns")
@roles_required("assurer", "admin")
def concerns() -> str:
    """Concerns awaiting the assurers in the user's scope: escalated ones and confidential ones not yet answered,
    overdue first, then by the date the next step is due."""
    page = concern_queries.awaiting(current_user, page_number())
    day = today()
    return render_template("assurance/concerns.html", page=page, owed={c.id: owed(c, day) for c in page.items})


@bp.route("/concerns/<ref>", methods=["GET", "POST"])
@roles_required("assurer", "admin")
def concern(ref: str) -> str | Response:
    """One concern: what the provider raised, every step (who, when, what), and the assurers' next step."""
    record = concern_queries.concern_or_404(current_user, ref)
    actions = actions_for(record, "assurer")
    form = AssurerConcernForm()
    form.action.choices = [(a.name, a.label) for a in actions]
    if actions and form.validate_on_submit():
        try:
            take_action(db.session, current_user, record, form.action.data, form.message.data or "", today=today(),
                        respond_days=concern_days().respond)
        except ConcernRejected as rejected:
            db.session.rollback()
            record = concern_queries.concern_or_404(current_user, ref)
            put_errors(form, {rejected.field: str(rejected)})
        else:
            return redirect_with_message("assurance.concern", DONE[form.action.data], ref=ref)
    plan = record.plan
    on_plan = url_for("assurance.plan", hwb_code=plan.hwb.code, year=plan.year,
                      **{CONCERNS_PAGE: queries.concern_page(current_user, record)}, _anchor=f"concern-{ref}")
    return render_template("assurance/concern.html", concern=record, plan=plan, form=form, actions=actions,
                           hints=HINTS, next=owed(record, today()), people=concern_queries.people(record),
                           on_plan=on_plan)
