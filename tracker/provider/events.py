"""Recording, changing and withdrawing engagement events, the event page, and evidence files."""
from __future__ import annotations

from flask import abort, current_app, render_template, request, send_file
from werkzeug.wrappers import Response

from tracker.domain import audit, scope
from tracker.domain.engagement import (
    EventInput,
    EventRejected,
    ParticipantInput,
    answers,
    event_problems,
    record_event,
    update_event,
    withdraw_event,
)
from tracker.domain.engagement.corroboration import asked_again_message
from tracker.models import EngagementEvent, EvidenceDocument, Participation, Plan, Provider, User
from tracker.provider import queries, uploads
from tracker.provider.answers import own_participation
from tracker.provider.blueprint import bp
from tracker.provider.forms import EventForm
from tracker.web import access
from tracker.web.access import roles_required
from tracker.web.clock import today
from tracker.web.extensions import db
from tracker.web.forms import WithdrawEventForm, put_errors
from tracker.web.helpers import me, redirect_with_message
from tracker.web.submissions import Remember, form_content, new_token, submit_once
from tracker.web.unit_of_work import undo_on_rollback

# Service field -> form field
EVENT_FIELDS = {"participations": "others"}


def _offer_providers(form: EventForm, plan: Plan, user: User, named: list[Provider] = ()) -> None:
    """The other providers the event can name: those serving the board, and any it names already."""
    offered = {p.code: p for p in queries.board_providers(plan, user.provider_id)}
    offered.update({p.code: p for p in named if p.id != user.provider_id})
    form.others.choices = [(code, f"{p.name} ({code})") for code, p in sorted(offered.items(),
                                                                             key=lambda item: item[1].name)]


def _event_input(form: EventForm, user: User) -> EventInput:
    """What the form asks to record, always naming the user's own provider (never an id from the form); the others'
    leadership is theirs to state (tracker.domain.engagement.answers)."""
    others = [code for code in dict.fromkeys(form.others.data or []) if code != user.provider.code]
    depth = int(form.depth.data) if form.depth.data in ("1", "2", "3", "4", "5") else None
    return EventInput(
        date=form.date.data, kind=form.kind.data or "", depth=depth,
        topics=tuple(form.topics.data or ()), summary=form.summary.data or "",
        evidence_url=(form.evidence_url.data or "").strip() or None,
        participations=(ParticipantInput(user.provider.code, form.leadership.data == "yes"),
                        *(ParticipantInput(code) for code in others)),
    )


def _checked_upload(form: EventForm) -> uploads.CheckedUpload | None:
    """The uploaded evidence file, checked; an error on the field when it cannot be accepted."""
    file = form.evidence_file.data
    if file is None or not getattr(file, "filename", ""):
        return None
    try:
        return uploads.check_upload(file.filename, file.stream, current_app.config["UPLOAD_MAX_BYTES"])
    except uploads.UploadRejected as rejected:
        form.evidence_file.errors = [str(rejected)]
        return None


def _attach(user: User, event: EngagementEvent, upload: uploads.CheckedUpload) -> None:
    """Store the file under a random key and record it against the event; the file goes if the work rolls back."""
    key = uploads.store(upload)
    undo_on_rollback(lambda: uploads.discard(key))
    document = EvidenceDocument(event_id=event.id, filename=upload.filename, content_type=upload.content_type,
                                size_bytes=len(upload.data), sha256=upload.sha256, storage_key=key,
                                uploaded_by_id=user.id)
    db.session.add(document)
    db.session.flush()
    audit.record(db.session, "evidence_uploaded", "evidence_document", event.ref, actor=user,
                 after={"filename": upload.filename, "content_type": upload.content_type,
                        "size_bytes": len(upload.data), "sha256": upload.sha256, "document_id": document.id})


def _save(form: EventForm, user: User, plan: Plan, record: EngagementEvent | None,
          remember: Remember | None = None, reset: list[Participation] | None = None) -> EngagementEvent | None:
    """Validate through tracker.domain.engagement and save with any document; None (errors on the form) when refused.
    An edit adds to `reset` the answers it set back to unconfirmed."""
    form_ok = form.validate()
    event_input = _event_input(form, user)
    upload = _checked_upload(form)
    if not form_ok or form.evidence_file.errors:
        # Show every problem at once: the same rules the service applies, without saving anything.
        put_errors(form, event_problems(db.session, user, event_input, today=today()), EVENT_FIELDS)
        return None
    try:
        if record is None:
            record = record_event(db.session, user, plan, event_input, today=today())
        else:
            asked_again = update_event(db.session, user, record, event_input, today=today())
            if reset is not None:
                reset.extend(asked_again)
    except EventRejected as rejected:
        db.session.rollback()
        put_errors(form, rejected.errors, EVENT_FIELDS)
        return None
    if upload:
        _attach(user, record, upload)
    if remember is not None:
        remember(record.ref)
    return record


def _ref(record: EngagementEvent | None) -> str | None:
    return None if record is None else record.ref


@bp.route("/plans/<hwb_code>/<year>/events/new", methods=["GET", "POST"])
@roles_required("provider")
def new_event(hwb_code: str, year: str) -> str | Response:
    """Record an engagement event on a plan of a board the provider serves."""
    user = me()
    plan = access.plan_or_404(user, hwb_code, year)
    form = EventForm()
    _offer_providers(form, plan, user)
    if request.method == "GET":
        form.submission.data = new_token()
    else:
        ref, repeated = submit_once(user, "provider:record-event", form.submission.data or "",
                                    lambda remember: _ref(_save(form, user, plan, None, remember)),
                                    same_as=form_content(form))
        if repeated:
            return redirect_with_message("provider.event", "This form was already sent, so the event was recorded "
                                         "once. Here it is.", "info", ref=ref)
        if ref is not None:
            return redirect_with_message("provider.event", "Event recorded. The board will be asked to confirm it.",
                                         ref=ref)
    return render_template("provider/event_form.html", form=form, plan=plan, event=None,
                           accept=uploads.ACCEPT, max_mb=current_app.config["UPLOAD_MAX_BYTES"] // (1024 * 1024))


@bp.get("/events/<ref>")
@roles_required("provider")
def event(ref: str) -> str:
    """One event: what was recorded, who took part and their answers, evidence, and every change."""
    user = me()
    record = queries.visible_event_or_404(user, ref)
    providers = queries.providers_by_id({p.provider_id for p in record.participations})
    own = own_participation(user, record)
    # Who answers the provider's own participation: the board for a provider's event, the provider for the board's.
    answerer = "The board" if record.recorded_by == "provider" else (own.provider.name if own else "")
    return render_template(
        "provider/event.html", event=record, plan=record.plan, own=own,
        participant_rows=[(providers[p.provider_id], p) for p in sorted(record.participations,
                                                                         key=lambda p: p.provider_id)],
        own_provider_id=user.provider_id,
        can_change=scope.can_change_event(user, record) and not record.withdrawn,
        can_answer=own is not None and answers.may_answer(user, own) and not record.withdrawn,
        can_state_leadership=own is not None and answers.may_state_leadership(user, own) and not record.withdrawn,
        answered=answers.answered_line(db.session, own, user, answerer) if own else "",
        history=queries.event_history(user, record))


def _changeable_or_403(ref: str) -> tuple[User, EngagementEvent]:
    user = me()
    record = queries.visible_event_or_404(user, ref)
    if not scope.can_change_event(user, record):
        abort(403)
    return user, record


@bp.route("/events/<ref>/edit", methods=["GET", "POST"])
@roles_required("provider")
def edit_event(ref: str) -> str | Response:
    """Change an event the provider recorded; the earlier values stay in its history."""
    user, record = _changeable_or_403(ref)
    if record.withdrawn:
        return redirect_with_message("provider.event", "A withdrawn event cannot be changed.", "error", ref=ref)
    others = [p for p in record.participations if p.provider_id != user.provider_id]
    own = next((p for p in record.participations if p.provider_id == user.provider_id), None)
    form = EventForm(data={
        "date": record.date, "kind": record.kind, "depth": str(record.depth), "topics": record.topic_codes,
        "leadership": "yes" if own and own.leadership else "no", "others": [p.provider.code for p in others],
        "summary": record.summary, "evidence_url": record.evidence_url or ""})
    _offer_providers(form, record.plan, user, [p.provider for p in others])
    reset: list[Participation] = []
    if request.method == "POST" and _save(form, user, record.plan, record, reset=reset) is not None:
        again = asked_again_message(record.recorded_by, len(reset))
        return redirect_with_message("provider.event", f"Changes saved. {again}".strip(), ref=ref)
    return render_template("provider/event_form.html", form=form, plan=record.plan, event=record,
                           accept=uploads.ACCEPT, max_mb=current_app.config["UPLOAD_MAX_BYTES"] // (1024 * 1024))


@bp.route("/events/<ref>/withdraw", methods=["GET", "POST"])
@roles_required("provider")
def withdraw(ref: str) -> str | Response:
    """Withdraw an event the provider recorded: it stops counting, and is kept."""
    user, record = _changeable_or_403(ref)
    if record.withdrawn:
        return redirect_with_message("provider.event", "This event was already withdrawn.", "info", ref=ref)
    form = WithdrawEventForm()
    if form.validate_on_submit():
        withdraw_event(db.session, user, record, form.reason.data or "", today=today())
        return redirect_with_message("provider.event", "Event withdrawn. It no longer counts as evidence.", ref=ref)
    return render_template("provider/withdraw.html", form=form, event=record, plan=record.plan)


@bp.get("/events/<ref>/documents/<int:document_id>")
@roles_required("provider", "hwb", "assurer", "admin")
def document(ref: str, document_id: int) -> Response:
    """An evidence file, only to those who may see its event; always a download, never shown inline."""
    record = queries.document_or_404(me(), ref, document_id)
    try:
        path = uploads.path_of(record.storage_key)
    except ValueError:
        abort(404)
    if not path.is_file():
        abort(404)
    response = send_file(path, mimetype=record.content_type, as_attachment=True, download_name=record.filename,
                         max_age=0, conditional=False, etag=False)
    response.headers["Cache-Control"] = "private, no-store"
    # A file a provider uploaded never runs as part of this site; the app's own headers leave this policy alone.
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response

