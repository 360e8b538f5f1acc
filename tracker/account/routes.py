"""The account page and API tokens: create one (shown once), revoke one."""
from __future__ import annotations

import sqlalchemy as sa
from flask import abort, render_template
from flask_login import current_user
from werkzeug.wrappers import Response

from tracker.account.blueprint import bp
from tracker.account.forms import NewTokenForm
from tracker.domain import accounts
from tracker.models import ApiToken
from tracker.models._types import utcnow
from tracker.web.access import signed_in
from tracker.web.extensions import db
from tracker.web.forms import EmptyForm
from tracker.web.helpers import me, redirect_with_message


@bp.get("/")
@signed_in
def home() -> str:
    """Who is signed in, their role and scope, and the workspaces they can use."""
    return render_template("account/home.html")


@bp.route("/tokens", methods=["GET", "POST"])
@signed_in
def tokens() -> str:
    """List the user's own tokens and create a new one; its value is shown once only."""
    form = NewTokenForm()
    new_token = None
    if form.validate_on_submit():
        new_token = accounts.create_token(db.session, me(), form.name.data or "", days=int(form.days.data),
                                          actor=me())
        form = NewTokenForm(formdata=None)
    records = db.session.scalars(
        sa.select(ApiToken).where(ApiToken.user_id == current_user.id).order_by(ApiToken.created_at.desc())
    ).all()
    return render_template("account/tokens.html", form=form, records=records, new_token=new_token,
                           revoke_form=EmptyForm(), now_utc=utcnow())


@bp.post("/tokens/<int:token_id>/revoke")
@signed_in
def revoke_token(token_id: int) -> Response:
    """Revoke one of the user's own tokens (another user's answers 404)."""
    if not EmptyForm().validate_on_submit():
        abort(400)
    record = db.session.scalar(sa.select(ApiToken).where(ApiToken.id == token_id,
                                                        ApiToken.user_id == current_user.id))
    if record is None:
        abort(404)
    accounts.revoke_token(db.session, record, actor=me())
    return redirect_with_message("account.tokens", f"Token {record.prefix}… revoked. It no longer works.")
