"""Forms for the account pages."""
from __future__ import annotations

from wtforms import PasswordField, RadioField, StringField
from wtforms.validators import DataRequired, Length

from tracker.domain.accounts import TOKEN_DAYS
from tracker.web.forms import TrackerForm


class NewTokenForm(TrackerForm):
    """Name a new API token so it can be told apart later."""

    name = StringField("Name this token", validators=[DataRequired("Enter a name for the token"),
                                                     Length(max=100, message="Name must be 100 characters or fewer")])
    days = RadioField("How long should it work?", choices=[(str(d), f"{d} days") for d in TOKEN_DAYS], default="90",
                      validators=[DataRequired("Select how long the token works")])


class NameForm(TrackerForm):
    """The name shown for the person."""

    name = StringField("Your name", validators=[DataRequired("Enter your name"),
                                                Length(max=200, message="Name must be 200 characters or fewer")])


class PasswordForm(TrackerForm):
    """A new password, after the current one."""

    current_password = PasswordField("Current password", validators=[DataRequired("Enter your current password")])
    new_password = PasswordField("New password", validators=[DataRequired("Enter a new password"),
                                                             Length(max=256, message="Password must be 256 "
                                                                    "characters or fewer")])
