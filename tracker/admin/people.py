"""A person's data: an admin exports everything held about them (a subject access request) as JSON or as one CSV,
and anonymises the account of a person who has left, after a page that says what will happen.
The rules are tracker.domain.subject_access and tracker.domain.anonymise; both are audited."""
from __future__ import annotations

import json

from flask import Response, render_template
from werkzeug.wrappers import Response as BaseResponse

from tracker.admin.audit import csv_lines
from tracker.admin.blueprint import bp
from tracker.domain import anonymise as anonymising
from tracker.domain import subject_access
from tracker.domain.accounts import AccountError
from tracker.models import User
from tracker.web.access import roles_required
from tracker.web.clock import today
from tracker.web.extensions import db
from tracker.web.forms import EmptyForm
from tracker.web.helpers import me, redirect_with_message


def _download(body: str, user: User, extension: str, mimetype: str) -> Response:
    filename = f"subject-access-user-{user.id}-{today().isoformat()}.{extension}"
    return Response(body, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{filename}"',
                                                      "Cache-Control": "private, no-store"})


@bp.get("/users/<int:user_id>/subject-access.json")
@roles_required("admin")
def subject_access_json(user_id: int) -> Response:
    """Everything held about the person, as one JSON document."""
    user = db.get_or_404(User, user_id)
    held = subject_access.export(db.session, user, "json", actor=me())
    return _download(json.dumps(held, indent=2, ensure_ascii=False), user, "json", "application/json")


@bp.get("/users/<int:user_id>/subject-access.csv")
@roles_required("admin")
def subject_access_csv(user_id: int) -> Response:
    """Everything held about the person, as one CSV: a line per field, named by record type and item."""
    user = db.get_or_404(User, user_id)
    held = subject_access.export(db.session, user, "csv", actor=me())
    return _download("".join(csv_lines(subject_access.CSV_HEADER, subject_access.csv_rows(held))), user, "csv",
                     "text/csv")


@bp.route("/users/<int:user_id>/anonymise", methods=["GET", "POST"])
@roles_required("admin")
def anonymise(user_id: int) -> str | BaseResponse | tuple[str, int]:
    """What anonymising the account does, then a button to do it."""
    user = db.get_or_404(User, user_id)
    form = EmptyForm()
    problem = None
    if form.validate_on_submit():
        try:
            anonymising.anonymise(db.session, user, actor=me())
            return redirect_with_message("admin.edit_user", f"The account is anonymised: it is now {user.email}.",
                                         user_id=user.id)
        except AccountError as error:
            db.session.rollback()
            problem = str(error)
    elif anonymising.is_anonymised(user):
        problem = "This account is already anonymised"
    new_name, new_email = anonymising.new_identity(user)
    return render_template("admin/anonymise.html", user=user, confirm_form=form, problem=problem,
                           new_name=new_name, new_email=new_email), (400 if problem and form.is_submitted() else 200)
