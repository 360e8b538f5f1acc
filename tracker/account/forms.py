"""Forms for the account pages."""
from __future__ import annotations

from wtforms import StringField
from wtforms.validators import DataRequired, Length

from tracker.web.forms import TrackerForm


class NewTokenForm(TrackerForm):
    """Name a new API token so it can be told apart later."""

    name = StringField("Name this token", validators=[DataRequired("Enter a name for the token"),
                                                     Length(max=100, message="Name must be 100 characters or fewer")])
