"""A person's own account: their name, their password and their signed-in sessions."""
from __future__ import annotations

from flask import abort, render_template, session
from werkzeug.wrappers import Response

from tracker.account.blueprint import bp
from tracker.account.forms import NameForm, PasswordForm
from tracker.domain import accounts, sessions
from tracker.web.access import signed_in
from tracker.web.extensions import db
from tracker.web.forms import EmptyForm
from tracker.web.helpers import me, redirect_with_message
from tracker.web.signed_in_sessions import SID, sign_in_again


@bp.route("/name", methods=["GET", "POST"])
@signed_in
def name() -> str | Response:
    """Change the name shown for you."""
    user = me()
    form = NameForm(data={"name": user.name})
    if form.validate_on_submit():
        try:
            accounts.change_own_name(db.session, user, form.name.data or "")
        except accounts.AccountError as error:
            form.name.errors = [str(error)]
        else:
            return redirect_with_message("account.home", "Your name was changed.")
    return render_template("account/name.html", form=form)


@bp.route("/password", methods=["GET", "POST"])
@signed_in
def password() -> str | Response:
    """Change your password; your other sessions end, this one stays signed in."""
    user = me()
    form = PasswordForm()
    if form.validate_on_submit():
        try:
            accounts.change_own_password(db.session, user, form.current_password.data or "",
                                         form.new_password.data or "")
        except accounts.AccountError as error:
            getattr(form, error.field).errors = [str(error)]
        else:
            sessions.end_others(db.session, user, session.get(SID), actor=user)
            sign_in_again(user)
            return redirect_with_message("account.home", "Your password was changed. You were signed out "
                                         "everywhere else.")
    return render_template("account/password.html", form=form)


@bp.get("/sessions")
@signed_in
def own_sessions() -> str:
    """Where you are signed in, and a way to end the other sessions."""
    current = sessions.current_id(db.session, session.get(SID))
    return render_template("account/sessions.html", records=sessions.open_sessions(db.session, me()),
                           current=current, form=EmptyForm())


@bp.post("/sessions/<int:session_id>/end")
@signed_in
def end_session(session_id: int) -> Response:
    """Sign out one of your other sessions."""
    if not EmptyForm().validate_on_submit():
        abort(400)
    if not sessions.end(db.session, me(), session_id, actor=me()):
        abort(404)
    return redirect_with_message("account.own_sessions", "That session was ended: it is signed out.")


@bp.post("/sessions/end-others")
@signed_in
def end_other_sessions() -> Response:
    """Sign out every session but this one."""
    if not EmptyForm().validate_on_submit():
        abort(400)
    count = sessions.end_others(db.session, me(), session.get(SID), actor=me())
    return redirect_with_message("account.own_sessions", f"{count} other session{'' if count == 1 else 's'} "
                                 "ended." if count else "You had no other sessions.")
