"""Raising a concern (form, check your answers, confirmation) and following it through its lifecycle."""
from __future__ import annotations

import sqlalchemy as sa
from flask import redirect, render_template, request, session, url_for
from werkzeug.wrappers import Response

from tracker.domain import vocab
from tracker.domain.concerns import ConcernInput, ConcernRejected, allowed_actions, raise_concern, take_action
from tracker.domain.concerns.service import validate_concern
from tracker.models import Plan, User
from tracker.provider import queries
from tracker.provider.blueprint import bp
from tracker.provider.forms import ConcernActionForm, ConcernForm
from tracker.web import access
from tracker.web.access import roles_required
from tracker.web.clock import today
from tracker.web.deadlines import concern_days
from tracker.web.extensions import db
from tracker.web.forms import EmptyForm, put_errors
from tracker.web.helpers import me, redirect_with_message
from tracker.web.submissions import Remember, new_token, submit_once

DRAFT = "provider_concern_draft"
ACTION_HINTS = {
    "reply": "Add information or answer the board. The concern stays as it is.",
    "reopen": "The board's response does not settle it. The board gets a new date to respond by.",
    "escalate": "Ask the assurers to step in, because the board has not answered or you are not satisfied.",
    "resolve": "Your concern has been dealt with. This closes it.",
}


def _draft(plan: Plan) -> dict | None:
    """The concern being raised on this plan, kept in the session between the form and the check page."""
    draft = session.get(DRAFT)
    return draft if isinstance(draft, dict) and draft.get("plan_id") == plan.id else None


def _as_input(draft: dict) -> ConcernInput:
    return ConcernInput(category=draft["category"], severity=draft["severity"], text=draft["text"],
                        confidential=draft["confidential"])


@bp.route("/plans/<hwb_code>/<year>/concerns/new", methods=["GET", "POST"])
@roles_required("provider")
def new_concern(hwb_code: str, year: str) -> str | Response:
    """Describe a concern about a plan; the next page asks to check it before it is sent."""
    plan = access.plan_or_404(me(), hwb_code, year)
    draft = _draft(plan)
    form = ConcernForm(data={**draft, "confidential": "yes" if draft["confidential"] else "no"} if draft else None)
    if request.method == "POST":
        form_ok = form.validate()
        concern = ConcernInput(category=form.category.data or "", severity=form.severity.data or "",
                               text=form.text.data or "", confidential=form.confidential.data == "yes")
        errors = validate_concern(concern)
        put_errors(form, errors)
        if form_ok and not errors:
            session[DRAFT] = {"plan_id": plan.id, "category": concern.category, "severity": concern.severity,
                              "text": concern.text.strip(), "confidential": concern.confidential,
                              "token": new_token()}
            return redirect(url_for("provider.check_concern", hwb_code=hwb_code, year=year), 303)
    return render_template("provider/concern_form.html", form=form, plan=plan)


def _raise(user: User, plan: Plan, draft: dict, remember: Remember) -> str | None:
    """Raise the drafted concern; its ref, or None when the rules refuse it (the form then asks again)."""
    try:
        concern = raise_concern(db.session, user, plan, _as_input(draft), today=today(),
                                acknowledge_days=concern_days().acknowledge,
                                respond_days=concern_days().respond)
    except ConcernRejected:
        db.session.rollback()
        return None
    remember(concern.ref)
    return concern.ref


@bp.route("/plans/<hwb_code>/<year>/concerns/check", methods=["GET", "POST"])
@roles_required("provider")
def check_concern(hwb_code: str, year: str) -> str | Response:
    """Check your answers, then send the concern."""
    user = me()
    plan = access.plan_or_404(user, hwb_code, year)
    draft = _draft(plan)
    form = EmptyForm()
    if draft is None:
        return redirect(url_for("provider.new_concern", hwb_code=hwb_code, year=year), 303)
    if form.validate_on_submit():
        ref, _ = submit_once(user, "provider:raise-concern", str(draft.get("token", "")),
                             lambda remember: _raise(user, plan, draft, remember))
        if ref is None:
            return redirect(url_for("provider.new_concern", hwb_code=hwb_code, year=year), 303)
        session.pop(DRAFT, None)
        return redirect(url_for("provider.concern_raised", ref=ref), 303)
    return render_template("provider/concern_check.html", form=form, plan=plan, draft=draft)


@bp.get("/concerns/<ref>/raised")
@roles_required("provider")
def concern_raised(ref: str) -> str:
    """The confirmation panel, with the concern's reference and what happens next."""
    concern = queries.own_concern_or_404(me(), ref)
    return render_template("provider/concern_raised.html", concern=concern, plan=concern.plan)


def _action_choices(concern_status: str, confidential: bool) -> list[tuple[str, str]]:
    return [(a.name, a.label) for a in allowed_actions(concern_status, "provider", confidential)]


@bp.route("/concerns/<ref>", methods=["GET", "POST"])
@roles_required("provider")
def concern(ref: str) -> str | Response:
    """A concern's whole story on one page: what was raised, every step and answer, and what can be done next."""
    user = me()
    record = queries.own_concern_or_404(user, ref)
    form = ConcernActionForm()
    form.action.choices = _action_choices(record.status, record.confidential)
    if form.validate_on_submit():
        try:
            take_action(db.session, user, record, form.action.data, form.message.data or "", today=today(),
                        respond_days=concern_days().respond)
        except ConcernRejected as rejected:
            db.session.rollback()
            put_errors(form, {rejected.field: str(rejected)})
        else:
            label = {"reply": "Reply sent.", "reopen": "Concern reopened. The board has a new date to respond by.",
                     "escalate": "Concern escalated to the assurers.", "resolve": "Concern marked as resolved."}
            return redirect_with_message("provider.concern", label.get(form.action.data, "Saved."), ref=ref)
    actors = {step.actor_id for step in record.history if step.actor_id}
    people = {u.id: u for u in db.session.scalars(sa.select(User).where(User.id.in_(actors)))} if actors else {}
    return render_template("provider/concern.html", concern=record, plan=record.plan, form=form,
                           due=queries.concern_due(record, today()), people=people, hints=ACTION_HINTS,
                           statuses=vocab.CONCERN_STATUSES)
