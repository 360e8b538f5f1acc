"""The notifications list (newest first; opening one marks it read and goes to its record) and the preferences."""
from __future__ import annotations

from flask import abort, redirect, render_template
from werkzeug.wrappers import Response

from tracker.domain.notifications import inbox
from tracker.domain.notifications.kinds import kinds_for
from tracker.notifications_web.blueprint import bp
from tracker.notifications_web.forms import preferences_form
from tracker.web.access import signed_in
from tracker.web.extensions import db
from tracker.web.forms import EmptyForm
from tracker.web.helpers import me, redirect_with_message


@bp.get("/")
@signed_in
def index() -> str:
    """The person's notifications, newest first, unread ones marked."""
    return render_template("notifications/index.html", items=inbox.newest(db.session, me()), form=EmptyForm())


@bp.get("/<int:notification_id>")
@signed_in
def open_item(notification_id: int) -> Response:
    """Mark one of the person's own notifications read and go to its record (another person's answers 404)."""
    row = inbox.open_notification(db.session, me(), notification_id)
    if row is None:
        abort(404)
    return redirect(row.link or "/notifications/", 303)


@bp.post("/read")
@signed_in
def read_all() -> Response:
    """Mark every notification read."""
    if not EmptyForm().validate_on_submit():
        abort(400)
    inbox.mark_all_read(db.session, me())
    return redirect_with_message("notifications.index", "All your notifications are marked as read.")


@bp.route("/settings", methods=["GET", "POST"])
@signed_in
def preferences() -> str | Response:
    """How the person wants to hear each kind: at once, in a daily summary, or off (not for a duty)."""
    kinds = kinds_for(me().role)
    form = preferences_form(kinds, inbox.chosen_modes(db.session, me()))
    if form.validate_on_submit():
        try:
            inbox.set_modes(db.session, me(), {kind.name: form[kind.name].data for kind in kinds})
        except inbox.PreferencesRejected as exc:
            for name, message in exc.errors.items():
                form[name].errors = [message]
        else:
            return redirect_with_message("notifications.preferences", "Your notification settings are saved.")
    return render_template("notifications/preferences.html", form=form, kinds=kinds)
