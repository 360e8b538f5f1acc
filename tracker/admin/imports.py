"""Admins import any of the seven CSV kinds in the browser: upload, a preview of what would change (or every
error, by line), then confirm; the work runs in the background (tracker.imports.jobs) with the same runner and
the same all-or-nothing rules as `flask import`. A template file for each kind."""
from __future__ import annotations

from flask import Response as FlaskResponse
from flask import abort, current_app, render_template, request
from flask_wtf.file import FileField
from werkzeug.wrappers import Response
from wtforms import BooleanField, HiddenField, SelectField
from wtforms.validators import ValidationError

from tracker.admin.blueprint import bp
from tracker.imports import jobs
from tracker.imports.runner import KINDS
from tracker.imports.templates import template_csv
from tracker.models import ImportJob
from tracker.web.access import roles_required
from tracker.web.extensions import db
from tracker.web.forms import EmptyForm, TrackerForm
from tracker.web.helpers import me, redirect_with_message
from tracker.web.submissions import Remember, new_token, submit_once

IMPORT_MAX_BYTES = 512 * 1024 * 1024  # the national events file (a million rows) is about 150 MB
KIND_LABELS = {"hwbs": "Health and wellbeing boards", "providers": "Providers and their footprints",
               "plans": "Plans", "board-members": "Board members", "events": "Engagement events",
               "concerns": "Concerns", "impact-assessments": "Impact assessments"}


class UploadForm(TrackerForm):
    """A CSV file and its kind."""

    kind = SelectField("What does the file hold?", choices=[("", "Choose a kind")] + list(KIND_LABELS.items()))
    file = FileField("CSV file")
    overwrite = BooleanField("Replace what people changed in the tracker since a row was last imported")
    submission = HiddenField()

    def validate_kind(self, field: SelectField) -> None:
        """A kind must be chosen."""
        if field.data not in KINDS:
            raise ValidationError("Select what the file holds")

    def validate_file(self, field: FileField) -> None:
        """A file must be chosen."""
        if not field.data or not getattr(field.data, "filename", ""):
            raise ValidationError("Select a CSV file")


def _after_commit(response: Response) -> Response:
    """Start the inline worker once the request's work is committed."""
    app = current_app._get_current_object()  # noqa: SLF001
    response.call_on_close(lambda: jobs.start_inline_worker(app))
    return response


@bp.route("/imports", methods=["GET", "POST"])
@roles_required("admin")
def imports() -> str | Response:
    """Upload a file; the latest jobs."""
    request.max_content_length = current_app.config.get("IMPORT_MAX_BYTES", IMPORT_MAX_BYTES)
    form = UploadForm()
    if request.method == "GET":
        form.submission.data = new_token()
    elif form.validate_on_submit():
        def save(remember: Remember) -> str:
            job = jobs.create_job(form.kind.data, form.file.data.filename or "", form.file.data.read(),
                                  bool(form.overwrite.data), me())
            remember(str(job.id))
            return str(job.id)

        ref, _ = submit_once(me(), "admin:import", form.submission.data or "", save)
        return _after_commit(redirect_with_message("admin.import_job", "File uploaded. It is being checked: "
                                                   "nothing is imported until you confirm.", job_id=int(ref)))
    latest = db.session.scalars(db.select(ImportJob).order_by(ImportJob.id.desc()).limit(20)).all()
    return render_template("admin/imports.html", form=form, latest=latest, labels=KIND_LABELS), \
        400 if form.errors else 200


@bp.get("/imports/<int:job_id>")
@roles_required("admin")
def import_job(job_id: int) -> str | Response:
    """A job's progress, then its preview (rows to add, change and keep) or its errors, or what it imported."""
    job = db.get_or_404(ImportJob, job_id)
    page = render_template("admin/import_job.html", job=job, labels=KIND_LABELS, form=EmptyForm(),
                           running=job.status in ("queued", *jobs.RUNNING))
    # A job still waiting (no worker took it yet): look again for work after this page (the claim is atomic).
    return _after_commit(FlaskResponse(page)) if job.status == "queued" else page


@bp.post("/imports/<int:job_id>/confirm")
@roles_required("admin")
def confirm_import(job_id: int) -> Response:
    """Import a previewed file for real (checked again as it is written: the data may have changed since)."""
    job = db.get_or_404(ImportJob, job_id)
    form = EmptyForm()
    if not form.validate_on_submit() or not jobs.confirm_job(job):
        return redirect_with_message("admin.import_job", "This file cannot be imported now: it was imported "
                                     "already, or it has errors.", "warning", job_id=job_id)
    return _after_commit(redirect_with_message("admin.import_job", "Import started.", job_id=job_id))


@bp.get("/imports/templates/<kind>.csv")
@roles_required("admin")
def import_template(kind: str) -> FlaskResponse:
    """The template file of a kind: its header row and an example row."""
    if kind not in KINDS:
        abort(404)
    return FlaskResponse(template_csv(kind), mimetype="text/csv",
                         headers={"Content-Disposition": f'attachment; filename="{kind}-template.csv"'})
