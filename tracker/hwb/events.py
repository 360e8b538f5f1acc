"""Board-convened events (record, withdraw) and the board's answer to events providers recorded."""
from __future__ import annotations

from flask import abort, render_template, request
from werkzeug.wrappers import Response

from tracker.domain import scope
from tracker.domain.engagement import (
    EventInput,
    EventRejected,
    ParticipantInput,
    answers,
    event_problems,
    record_event,
    withdraw_event,
)
from tracker.hwb import queries
from tracker.hwb.blueprint import bp
from tracker.hwb.forms import EventForm
from tracker.hwb.helpers import board_plan, year_args, year_context
from tracker.models import Plan, User
from tracker.web.access import roles_required
from tracker.web.clock import today
from tracker.web.extensions import db
from tracker.web.forms import AnswerEventForm, WithdrawEventForm, put_errors
from tracker.web.helpers import me, page_number, redirect_with_message
from tracker.web.submissions import Remember, form_content, new_token, submit_once

EVENT_FIELDS = {"participations": "took_part"}  # service field -> form field


@bp.get("/events")
@roles_required("hwb")
def events() -> str:
    """The plan's events, newest first, and those providers recorded that wait for the board's answer."""
    plan = board_plan()
    user = me()
    page = queries.plan_events(user, plan, page_number())
    return render_template("hwb/events.html", plan=plan, page=page, awaiting=queries.awaiting_board(user, plan),
                           args=year_args(plan), **year_context(plan))


def _offer_providers(form: EventForm, plan: Plan) -> None:
    """The providers an event can name: those serving the board."""
    choices = [(p.code, f"{p.name} ({p.code})") for p in queries.footprint_providers(plan.hwb_id)]
    form.took_part.choices = form.leadership.choices = form.invited.choices = choices


def _event_input(form: EventForm) -> EventInput:
    """What the form asks to record; providers invited who stayed away are noted in the summary."""
    leaders = set(form.leadership.data or [])
    depth = int(form.depth.data) if form.depth.data in ("1", "2", "3", "4", "5") else None
    summary = (form.summary.data or "").strip()
    absent = [label for code, label in form.invited.choices if code in set(form.invited.data or [])]
    if summary and absent:
        summary += "\n\nInvited but did not take part: " + "; ".join(absent) + "."
    return EventInput(
        date=form.date.data, kind=form.kind.data or "", depth=depth, topics=tuple(form.topics.data or ()),
        summary=summary, evidence_url=(form.evidence_url.data or "").strip() or None,
        # A ticked leader is the board's view that its leadership took part; the rest are not stated until each
        # provider says (tracker.domain.engagement.answers).
        participations=tuple(ParticipantInput(code, True if code in leaders else None)
                             for code in dict.fromkeys(form.took_part.data or [])))


def _save(form: EventForm, user: User, plan: Plan, remember: Remember) -> str | None:
    """Validate through tracker.domain.engagement and record; the new ref, or None with the errors on the form."""
    form_ok = form.validate()
    event_input = _event_input(form)
    if not form_ok:
        # Show every problem at once: the same rules the service applies, without saving anything.
        put_errors(form, event_problems(db.session, user, event_input, today=today()), EVENT_FIELDS)
        return None
    try:
        record = record_event(db.session, user, plan, event_input, today=today())
    except EventRejected as rejected:
        db.session.rollback()
        put_errors(form, rejected.errors, EVENT_FIELDS)
        return None
    remember(record.ref)
    return record.ref


@bp.route("/events/new", methods=["GET", "POST"])
@roles_required("hwb")
def new_event() -> str | Response:
    """Record a board-convened event and the providers that took part; they are asked to confirm it."""
    user = me()
    plan = board_plan()
    form = EventForm()
    _offer_providers(form, plan)
    if request.method == "GET":
        form.submission.data = new_token()
    else:
        ref, repeated = submit_once(user, "hwb:record-event", form.submission.data or "",
                                    lambda remember: _save(form, user, plan, remember),
                                    same_as=form_content(form))
        if repeated:
            return redirect_with_message("hwb.event", "This form was already sent, so the event was recorded once. "
                                         "Here it is.", "info", ref=ref)
        if ref is not None:
            return redirect_with_message("hwb.event", "Event recorded. Each provider named will be asked to "
                                         "confirm it.", ref=ref)
    return render_template("hwb/event_form.html", form=form, plan=plan, args=year_args(plan))


@bp.get("/events/<ref>")
@roles_required("hwb")
def event(ref: str) -> str:
    """One event: what was recorded, who took part and each provider's answer."""
    user = me()
    record = queries.event_or_404(user, ref)
    rows = sorted(((p.provider, p) for p in record.participations), key=lambda r: r[0].name)
    # The board answers a provider's event as a whole: the first answered participation says what it answered.
    answered = next((answers.answered_line(db.session, p, user, "The board") for _, p in rows
                     if record.recorded_by == "provider" and p.status != "unconfirmed"), "")
    return render_template(
        "hwb/event.html", event=record, plan=record.plan, args=year_args(record.plan), participant_rows=rows,
        can_withdraw=scope.can_change_event(user, record) and not record.withdrawn,
        can_answer=_answerable(user, record) and not record.withdrawn, answered=answered,
        provider_answers=[(provider, answers.answered_line(db.session, p, user, provider.name)) for provider, p in rows
                          if record.recorded_by == "hwb" and p.status != "unconfirmed"])


def _answerable(user: User, record: object) -> bool:
    """The board answers for events providers recorded (tracker.domain.engagement.answers)."""
    return any(answers.may_answer(user, p) for p in record.participations)


@bp.route("/events/<ref>/answer", methods=["GET", "POST"])
@roles_required("hwb")
def answer_event(ref: str) -> str | Response:
    """Confirm or dispute an event a provider recorded against the plan: every participation it names."""
    user = me()
    record = queries.event_or_404(user, ref)
    if not _answerable(user, record):
        abort(403)
    if record.withdrawn:
        return redirect_with_message("hwb.event", "The provider withdrew this event, so there is nothing to "
                                     "confirm.", "info", ref=ref)
    statuses = {p.status for p in record.participations}
    form = AnswerEventForm(data={"status": next(iter(statuses)) if len(statuses) == 1 and "unconfirmed" not in statuses
                            else None, "note": next((p.status_note for p in record.participations), "")})
    if form.validate_on_submit():
        try:
            for participation in record.participations:
                if answers.may_answer(user, participation):
                    answers.answer(db.session, user, participation, form.status.data, form.note.data or "",
                                   today=today())
        except EventRejected as rejected:
            db.session.rollback()
            put_errors(form, rejected.errors)
        else:
            verb = "confirmed" if form.status.data == "confirmed" else "disputed"
            return redirect_with_message("hwb.event", f"You {verb} the event of {record.date.day} "
                                         f"{record.date:%B %Y}.", ref=ref)
    return render_template("hwb/answer.html", form=form, event=record, plan=record.plan)


@bp.route("/events/<ref>/withdraw", methods=["GET", "POST"])
@roles_required("hwb")
def withdraw(ref: str) -> str | Response:
    """Withdraw an event the board recorded: it stops counting, and is kept."""
    user = me()
    record = queries.event_or_404(user, ref)
    if not scope.can_change_event(user, record):
        abort(403)
    if record.withdrawn:
        return redirect_with_message("hwb.event", "This event was already withdrawn.", "info", ref=ref)
    form = WithdrawEventForm()
    if form.validate_on_submit():
        withdraw_event(db.session, user, record, form.reason.data or "", today=today())
        return redirect_with_message("hwb.event", "Event withdrawn. It no longer counts as evidence.", ref=ref)
    return render_template("hwb/withdraw.html", form=form, event=record, plan=record.plan)
