"""The preferences form: one choice per kind the person can receive; a duty offers no "Off"."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import RadioField
from wtforms.validators import InputRequired

from tracker.domain.notifications.inbox import MODE_LABELS
from tracker.domain.notifications.kinds import Kind


def preferences_form(kinds: list[Kind], modes: dict[str, str]) -> FlaskForm:
    """A form with a radio group per kind, filled in with the person's current choices."""

    class PreferencesForm(FlaskForm):
        pass

    for kind in kinds:
        choices = [(mode, label) for mode, label in MODE_LABELS.items() if not (kind.duty and mode == "off")]
        setattr(PreferencesForm, kind.name, RadioField(
            kind.label, choices=choices, default=modes.get(kind.name, "now"),
            validators=[InputRequired("Select how you want to hear about this")]))
    return PreferencesForm()
