"""Forms for managing users."""
from __future__ import annotations

from wtforms import EmailField, PasswordField, RadioField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional

from tracker.domain import vocab
from tracker.web.forms import TrackerForm


class ScopeFields(TrackerForm):
    """A role and the organisation or region it is tied to."""

    role = RadioField("Role", choices=list(vocab.ROLES.items()), validators=[DataRequired("Select a role")])
    provider_code = StringField("Provider code (for a provider user)", validators=[Optional(), Length(max=20)])
    hwb_code = StringField("Board code (for a health and wellbeing board user)", validators=[Optional(), Length(max=9)])
    region = SelectField("Region (for a regional assurer)", choices=[("", "National: every region")]
                         + list(vocab.REGIONS.items()), validators=[Optional()])


class NewUserForm(ScopeFields):
    """Create an account."""

    email = EmailField("Email address", validators=[DataRequired("Enter an email address"), Length(max=254)])
    name = StringField("Full name", validators=[Optional(), Length(max=200)])
    password = PasswordField("Temporary password", validators=[DataRequired("Enter a temporary password"),
                                                               Length(max=256)])


class EditUserForm(ScopeFields):
    """Change an account's role, scope and whether it may sign in."""

    active = RadioField("Can this person sign in?", choices=[("yes", "Yes"), ("no", "No, deactivate the account")],
                        validators=[DataRequired("Select whether this person can sign in")])


class ResetPasswordForm(TrackerForm):
    """Set a new password for someone."""

    password = PasswordField("New password", validators=[DataRequired("Enter a new password"), Length(max=256)])
