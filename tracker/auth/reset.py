"""Forgotten password: ask for a link by e-mail (always the same answer, rate limited), then set a new password
with it (tracker.domain.password_resets)."""
from __future__ import annotations

from flask import current_app, flash, g, make_response, redirect, render_template, request, url_for
from flask_login import current_user, logout_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired, EqualTo, Length

from tracker.auth.blueprint import bp
from tracker.domain import accounts, password_resets
from tracker.web.access import public
from tracker.web.extensions import db, limiter


class ForgotPasswordForm(FlaskForm):
    """The address to send the link to."""

    email = EmailField("Email address", validators=[DataRequired("Enter your email address"), Length(max=254)])


class NewPasswordForm(FlaskForm):
    """The new password, twice."""

    password = PasswordField("New password", validators=[DataRequired("Enter a new password"), Length(max=256)])
    confirm = PasswordField("Confirm new password", validators=[
        DataRequired("Enter the new password again"), EqualTo("password", "The passwords do not match")])


def _reset_limit() -> str:
    return current_app.config["RATELIMIT_PASSWORD_RESET"]


def _asked(_response: Response) -> bool:
    """Only requests that could send an e-mail count against the limits (not a form shown again with an error)."""
    return bool(g.get("reset_requested"))


def _account_key() -> str:
    return "reset:" + accounts.normalise_email(request.form.get("email", ""))[:254]


@bp.route("/forgot-password", methods=["GET", "POST"])
@public
@limiter.limit(_reset_limit, methods=["POST"], deduct_when=_asked, scope="reset-address")
@limiter.limit(_reset_limit, methods=["POST"], deduct_when=_asked, key_func=_account_key, scope="reset-account")
def forgot_password() -> str:
    """Ask for a reset link; the answer is the same whether or not the address has an account."""
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        g.reset_requested = True
        password_resets.request_reset(db.session, form.email.data or "")
        return render_template("auth/reset_sent.html", email=form.email.data)
    return render_template("auth/forgot_password.html", form=form)


@bp.route("/reset-password/<token>", methods=["GET", "POST"])
@public
def reset_password(token: str) -> str | Response:
    """Set a new password with a link from the e-mail: once, within an hour."""
    if password_resets.user_for_token(db.session, token) is None:
        return _no_referrer(make_response(render_template("auth/reset_expired.html"), 404))
    form = NewPasswordForm()
    if form.validate_on_submit():
        try:
            password_resets.complete_reset(db.session, token, form.password.data or "")
        except accounts.AccountError as exc:
            form.password.errors = [str(exc)]
        else:
            if current_user.is_authenticated:
                logout_user()
            flash("Your password has been changed. Sign in with your new password.", "success")
            return redirect(url_for("auth.sign_in"), 303)
    return _no_referrer(make_response(render_template("auth/reset_password.html", form=form, token=token)))


def _no_referrer(response: Response) -> Response:
    """The link's token is in the address: never send it on to another page."""
    response.headers["Referrer-Policy"] = "no-referrer"
    return response
