"""The audit trail for people: admins search all of it, assurers the entries about the plans in their scope
(tracker.domain.audit_search). Searched by who, kind of change, record and London dates; newest first, fifty to a
page; each entry's before and after side by side; the filtered view as CSV. Viewing writes nothing.
"""
from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator

from flask import Response, abort, render_template, request, stream_with_context, url_for
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.validators import Length, Optional

from tracker.admin.blueprint import bp
from tracker.domain import audit_search
from tracker.domain.anonymise import Substitutions
from tracker.hwb.export import _safe as safe_cell
from tracker.models import User
from tracker.web.access import roles_required
from tracker.web.clock import today
from tracker.web.extensions import db
from tracker.web.forms import DateField
from tracker.web.helpers import me, page_number


class AuditSearchForm(FlaskForm):
    """The search of the audit trail (a GET form: nothing to protect with a CSRF token)."""

    class Meta:
        csrf = False

    actor = StringField("Who (email address contains)", validators=[Optional(), Length(max=100)])
    action = SelectField("Kind of change", choices=[("", "Any")], validate_choice=False)
    entity_type = SelectField("Kind of record", choices=[("", "Any")], validate_choice=False)
    entity = StringField("Record reference or id", validators=[Optional(), Length(max=64)])
    date_from = DateField("Date from", required=False)
    date_to = DateField("Date to", required=False)


def _search_form(user: User) -> tuple[AuditSearchForm, audit_search.Filters | None]:
    """The form from the query string, and its filters (None when a filter is wrong: its message is on the form)."""
    form = AuditSearchForm(formdata=request.args)
    actions = audit_search.actions_present(db.session, user)
    types = audit_search.entity_types_present(db.session, user)
    form.action.choices = [("", "Any"), *((a, a.replace("_", " ")) for a in actions)]
    form.entity_type.choices = [("", "Any"), *((t, audit_search.ENTITY_TYPES.get(t, t)) for t in types)]
    if not form.validate():
        return form, None
    filters = audit_search.Filters(
        actor=audit_search.clean(form.actor.data or ""), action=audit_search.clean(form.action.data or "", 60),
        entity_type=audit_search.clean(form.entity_type.data or "", 40),
        entity=audit_search.clean(form.entity.data or "", 64), date_from=form.date_from.data,
        date_to=form.date_to.data)
    problems = filters.problems()
    for name, message in problems.items():
        getattr(form, name).errors = [message]
    return form, None if problems else filters


def record_url(target: audit_search.Target | None, user: User) -> str | None:
    """The page of the record an entry is about, where there is one the user may open."""
    if target is None:
        return None
    if target.kind == "user":
        return url_for("admin.edit_user", user_id=int(target.key)) if user.role == "admin" else None
    if target.kind == "concern":
        return url_for("assurance.concern", ref=target.key)
    if target.kind == "condition":
        return url_for("assurance.condition", condition_id=int(target.key))
    return url_for("assurance.plan", hwb_code=target.hwb_code, year=target.year)


@bp.get("/audit")
@roles_required("admin", "assurer")
def audit_trail() -> str:
    """The audit trail, searched; fifty entries to a page, newest first."""
    user = me()
    form, filters = _search_form(user)
    page = None if filters is None else db.paginate(audit_search.search(user, filters), page=page_number(),
                                                    per_page=audit_search.PER_PAGE, error_out=False)
    substitute = Substitutions(db.session).apply
    found = list(page.items) if page else []
    emails = audit_search.actor_emails(db.session, found)
    entries = [audit_search.present(entry, emails.get(entry.actor_id), substitute) for entry in found]
    places = audit_search.targets(db.session, [e.entry for e in entries])
    links = {e.entry.id: record_url(places.get(e.entry.id), user) for e in entries}
    export = url_for("admin.audit_export", **{k: v for k, v in request.args.items() if k != "page"})
    return render_template("admin/audit.html", form=form, page=page, entries=entries, links=links,
                           export=export, searched=filters is not None,
                           entity_types=audit_search.ENTITY_TYPES), (200 if filters is not None else 400)


@bp.get("/audit/<int:entry_id>")
@roles_required("admin", "assurer")
def audit_entry(entry_id: int) -> str:
    """One entry: who, when, what, the record, and every field before and after."""
    user = me()
    found = audit_search.entry_in_scope(db.session, user, entry_id)
    if found is None:
        abort(404)
    item = audit_search.present(found[0], found[1], Substitutions(db.session).apply)
    target = audit_search.targets(db.session, [item.entry]).get(item.entry.id)
    return render_template("admin/audit_entry.html", item=item, link=record_url(target, user),
                           entity_types=audit_search.ENTITY_TYPES)


@bp.get("/audit.csv")
@roles_required("admin", "assurer")
def audit_export() -> Response:
    """The searched entries as CSV, written as they are read; a wrong filter answers 400 with its message."""
    user = me()
    form, filters = _search_form(user)
    if filters is None:
        message = "; ".join(errors[0] for errors in form.errors.values() if errors)
        return Response(message, status=400, mimetype="text/plain")
    rows = audit_search.csv_rows(db.session, user, filters, Substitutions(db.session).apply)
    response = Response(stream_with_context(csv_lines(audit_search.CSV_HEADER, rows)), mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="audit-trail-{today().isoformat()}.csv"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


def csv_lines(header: Iterable[str], rows: Iterable[Iterable[object]]) -> Iterator[str]:
    """A byte-order mark and the header, then each row as soon as it is read, every cell made formula-safe."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    yield "\ufeff"
    writer.writerow(header)
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue()
