"""Admins set the criteria thresholds and the working days to acknowledge and answer a concern: the values in
force beside each box, then what would change, then saved (effective at once, audited). The rules are the
domain's (tracker.domain.settings)."""
from __future__ import annotations

from flask import render_template, request
from werkzeug.wrappers import Response
from wtforms import HiddenField, StringField

from tracker.admin.blueprint import bp
from tracker.domain import settings
from tracker.web.access import roles_required
from tracker.web.deadlines import configured
from tracker.web.extensions import db
from tracker.web.forms import TrackerForm
from tracker.web.helpers import me, redirect_with_message


class SettingsForm(TrackerForm):
    """One box per setting (added below from the domain's list), and whether the changes were seen."""

    step = HiddenField(default="check")


for _setting in settings.SETTINGS:
    setattr(SettingsForm, _setting.name, StringField(_setting.label, description=_setting.hint))


@bp.route("/settings", methods=["GET", "POST"])
@roles_required("admin")
def criteria_settings() -> str | Response:
    """The thresholds and deadlines in force; a change is shown before it is saved."""
    now = settings.in_force(db.session, configured())
    form = SettingsForm()
    if request.method == "GET":
        for setting in settings.SETTINGS:
            getattr(form, setting.name).data = str(settings.shown(setting, now[setting.name]))
    elif form.validate_on_submit():
        try:
            after = settings.parse({s.name: getattr(form, s.name).data for s in settings.SETTINGS})
        except settings.SettingsRejected as rejected:
            getattr(form, rejected.field).errors = [str(rejected)]
        else:
            changes = settings.changes(now, after)
            if not changes:
                return redirect_with_message("admin.criteria_settings", "Nothing changed: the values in force "
                                             "are the ones you entered.", "info")
            if form.step.data == "save":
                count = settings.save(db.session, after, configured(), actor=me())
                return redirect_with_message("admin.criteria_settings", f"Saved {count} change"
                                             f"{'' if count == 1 else 's'}. They apply from now; reviews already "
                                             "recorded keep the thresholds they were made with.")
            return render_template("admin/settings_check.html", form=form, changes=changes)
    return render_template("admin/settings.html", form=form, settings=settings.SETTINGS, now=now,
                           shown=settings.shown)
