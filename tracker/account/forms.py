"""Forms for the account pages."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length


class NewTokenForm(FlaskForm):
    """Name a new API token so it can be told apart later."""

    name = StringField("Name this token", validators=[DataRequired("Enter a name for the token"),
                                                     Length(max=100, message="Name must be 100 characters or fewer")])
