"""Sign in with e-mail and password, rate limited per address and per account; sign out."""
from __future__ import annotations

from datetime import timedelta

from flask import current_app, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from tracker.auth.blueprint import bp
from tracker.auth.forms import SignInForm
from tracker.domain import accounts
from tracker.web import signed_in_sessions
from tracker.web.access import public
from tracker.web.extensions import db, limiter
from tracker.web.forms import EmptyForm
from tracker.web.home import home_url
from tracker.web.kept_forms import safe_next


def _account_key() -> str:
    """Limit attempts per account named in the form, whether or not it exists (so nothing is revealed)."""
    return "account:" + accounts.normalise_email(request.form.get("email", ""))[:254]


def _failed(response: Response) -> bool:
    """Only failed attempts count against the limits: a successful sign-in redirects."""
    return response.status_code != 302


def _sign_in_limit() -> str:
    return current_app.config["RATELIMIT_SIGN_IN"]


@bp.route("/sign-in", methods=["GET", "POST"])
@public
@limiter.limit(_sign_in_limit, methods=["POST"], deduct_when=_failed, scope="sign-in-address")
@limiter.limit(_sign_in_limit, methods=["POST"], deduct_when=_failed, key_func=_account_key, scope="sign-in-account")
def sign_in() -> str | Response:
    """Show the sign-in form; on success go to the user's home."""
    form = SignInForm()
    if form.validate_on_submit():
        user = accounts.authenticate(db.session, form.email.data or "", form.password.data or "")
        if user is not None:
            signed_in_sessions.sign_in(user, remember=bool(form.remember.data), duration=timedelta(days=14))
            return redirect(safe_next(request.args.get("next")) or home_url(user))
        # The audit entry of the failed attempt is kept: the page answers 200, so the request's work commits.
        form.email.errors.append("Enter a correct email address and password")
    return render_template("auth/sign_in.html", form=form, next=safe_next(request.args.get("next")))


@bp.post("/sign-out")
@public
def sign_out() -> Response:
    """End the session (a POST with CSRF, so another site cannot sign people out)."""
    form = EmptyForm()
    if form.validate_on_submit():
        signed_in_sessions.sign_out()
        flash("You have signed out.", "info")
    return redirect(url_for("main.start"))
