"""Admins list, create and change users, deactivate them and reset their passwords; and start a board's next plan."""
from __future__ import annotations

import sqlalchemy as sa
from flask import abort, render_template, request, url_for
from werkzeug.wrappers import Response

from tracker.admin.blueprint import bp
from tracker.admin.forms import EditUserForm, NewUserForm, ResetPasswordForm
from tracker.domain import accounts
from tracker.models import HWB, User
from tracker.web.access import roles_required
from tracker.web.extensions import db
from tracker.web.helpers import me, page_number, redirect_with_message
from tracker.web.next_plan import next_plan_page, started

FIELD_FOR = {"provider": "provider_code", "hwb": "hwb_code"}


def _scope(form: NewUserForm | EditUserForm) -> accounts.Scope:
    return accounts.Scope(role=form.role.data or "", provider_code=form.provider_code.data,
                          hwb_code=form.hwb_code.data, region=form.region.data or None)


def _show_error(form: NewUserForm | EditUserForm | ResetPasswordForm, error: accounts.AccountError) -> None:
    """Put a refused change back on the field it concerns, for the error summary and inline message."""
    db.session.rollback()
    field = getattr(form, FIELD_FOR.get(error.field, error.field), None) or getattr(form, "email", None)
    field.errors = [*field.errors, str(error)]


@bp.get("/users")
@roles_required("admin")
def users() -> str:
    """Every user, fifty to a page, optionally filtered by e-mail."""
    query = sa.select(User).order_by(User.email)
    # What can be typed into the box: control characters (a NUL, which PostgreSQL refuses) are dropped.
    search = "".join(ch for ch in request.args.get("q", "") if ch.isprintable()).strip()[:100]
    if search:
        query = query.where(User.email.contains(search.lower()))
    page = db.paginate(query, page=page_number(), per_page=50, error_out=False)
    return render_template("admin/users.html", page=page, search=search)


@bp.route("/users/new", methods=["GET", "POST"])
@roles_required("admin")
def new_user() -> str | Response:
    """Create an account with a temporary password."""
    form = NewUserForm()
    if form.validate_on_submit():
        try:
            user = accounts.create_user(db.session, form.email.data or "", form.password.data or "", _scope(form),
                                        name=form.name.data or "", actor=me())
            return redirect_with_message("admin.users", f"Account created for {user.email}.")
        except accounts.AccountError as error:
            _show_error(form, error)
    return render_template("admin/user_new.html", form=form)


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@roles_required("admin")
def edit_user(user_id: int) -> str | Response:
    """Change a user's role and scope, or deactivate them."""
    user = db.get_or_404(User, user_id)
    form = EditUserForm(data={"role": user.role, "provider_code": user.provider.code if user.provider else "",
                              "hwb_code": user.hwb.code if user.hwb else "", "region": user.region or "",
                              "active": "yes" if user.active else "no"})
    if form.validate_on_submit():
        try:
            accounts.change_scope(db.session, user, _scope(form), actor=me())
            accounts.set_active(db.session, user, form.active.data == "yes", actor=me())
            return redirect_with_message("admin.users", f"Changes to {user.email} saved.")
        except accounts.AccountError as error:
            _show_error(form, error)
    return render_template("admin/user_edit.html", form=form, edit_form=form, user=user,
                           reset_form=ResetPasswordForm(formdata=None))


@bp.post("/users/<int:user_id>/password")
@roles_required("admin")
def reset_password(user_id: int) -> str | Response:
    """Set a new password for a user; their sessions end."""
    user = db.get_or_404(User, user_id)
    reset_form = ResetPasswordForm()
    if reset_form.validate_on_submit():
        try:
            accounts.reset_password(db.session, user, reset_form.password.data or "", actor=me())
            return redirect_with_message("admin.edit_user", f"Password for {user.email} reset.", user_id=user.id)
        except accounts.AccountError as error:
            _show_error(reset_form, error)
    form = EditUserForm(formdata=None, data={"role": user.role, "active": "yes" if user.active else "no"})
    return render_template("admin/user_edit.html", form=reset_form, edit_form=form, user=user,
                           reset_form=reset_form), 400


@bp.route("/boards/<hwb_code>/next-plan", methods=["GET", "POST"])
@roles_required("admin")
def next_plan(hwb_code: str) -> str | Response:
    """Start any board's plan for the year after its latest, from that plan's figures (tracker.web.next_plan)."""
    if len(hwb_code) != 9 or not hwb_code.isalnum():
        abort(404)  # not a board code: nothing to look up (and PostgreSQL refuses NUL bytes)
    hwb = db.one_or_404(sa.select(HWB).where(HWB.code == hwb_code))
    return next_plan_page(hwb, back=url_for("assurance.overview"),
                          done=started("assurance.plan", hwb_code=hwb.code))
