"""Forms of the assurance workspace: the overview's filters, the membership date, and the review."""
from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, SelectField, TextAreaField
from wtforms.validators import Length, Optional, StopValidation

from tracker.assurance.overview_table import CONDITION_FILTERS
from tracker.domain import vocab
from tracker.web.forms import DateField, StorableForm

TRANCHE_CHOICES = [("1", "Tranche 1"), ("2", "Tranche 2"), ("3", "Tranche 3"),
                   ("none", "No tranche: intervention")]
NO_PEER = "none"
SORTABLE_DIRECTIONS = ("asc", "desc")


class ChoiceRequired(RadioField):
    """Radios where one must be chosen; the one message says what to select (not 'Not a valid choice')."""

    def __init__(self, label: str, message: str, **kwargs: Any) -> None:
        super().__init__(label, **kwargs)
        self.message = message
        self.type = "RadioField"  # rendered as radios by the shared macros (which check the field's type)

    def pre_validate(self, form: Any) -> None:
        if self.data in (None, "") or self.data not in {str(value) for value, _ in self.choices}:
            raise StopValidation(self.message)


class FilterForm(FlaskForm):
    """The overview's filters, read from the query string (a GET form, so no CSRF)."""

    class Meta:
        csrf = False

    region = SelectField("Region", choices=[("", "All regions"), *vocab.REGIONS.items()], validators=[Optional()])
    rating = SelectField("Rating", choices=[("", "Any rating"), *vocab.RATINGS.items()], validators=[Optional()])
    status = SelectField("Assurance status", choices=[("", "Any status"), *vocab.PLAN_STATUSES.items()],
                         validators=[Optional()])
    gap = SelectField("Sector not heard", choices=[("", "Any"), *vocab.SECTORS.items()], validators=[Optional()])
    conditions = SelectField("Conditions", choices=[("", "Any"), *((k, label) for k, (label, _) in
                                                                    CONDITION_FILTERS.items())],
                             validators=[Optional()])
    # The years with plans in scope, set by the overview (tracker/assurance/overview.py: chosen_years).
    year = SelectField("Financial year", choices=[], validators=[Optional()], validate_choice=False)
    compare = SelectField("Compare with", choices=[], validators=[Optional()], validate_choice=False)

    def chosen(self) -> dict[str, str]:
        """The valid filters chosen (an unknown value is ignored rather than failing the page)."""
        values = {}
        for name in ("region", "rating", "status", "gap", "conditions"):
            field = getattr(self, name)
            if field.data and field.data in dict(field.choices):
                values[name] = field.data
        return values


class AsOfForm(FlaskForm):
    """The date the board-membership statistics are taken on."""

    class Meta:
        csrf = False

    as_of = DateField("Statistics date", required=False)


def _condition_field(code: str, text: str) -> ChoiceRequired:
    return ChoiceRequired(text, f"Select your view of: {text.lower()}", choices=list(vocab.CONDITION_VIEWS.items()))


# Made before the form's other fields, so the conditions come first in the error summary as on the page.
_CONDITION_FIELDS = {f"condition_{code}": _condition_field(code, text)
                     for code, text in vocab.NATIONAL_CONDITIONS.items()}


class ReviewForm(FlaskForm):
    """An assurer's review of one plan. Condition fields are named condition_<code>."""

    evidence_rating = HiddenField()
    rating = ChoiceRequired("Your rating of the plan", "Select a rating", choices=list(vocab.RATINGS.items()))
    decision = ChoiceRequired("Decision", "Select a decision", choices=list(vocab.DECISIONS.items()))
    tranche = ChoiceRequired("Tranche", "Select a tranche, or intervention", choices=TRANCHE_CHOICES)
    conditions = TextAreaField("Conditions, one a line", validators=[
        Length(max=20000, message="Conditions must be 20000 characters or fewer in all")])
    intervention = TextAreaField("Intervention", validators=[Length(max=5000, message="Intervention must be "
                                                                                       "5000 characters or fewer")])
    peer = RadioField("Peer board to pair with", choices=[(NO_PEER, "No peer match")], validate_choice=False)
    override_reason = TextAreaField("Reason for going against the evidence", validators=[
        Length(max=5000, message="The reason must be 5000 characters or fewer")])

    def condition_fields(self) -> list[tuple[str, ChoiceRequired]]:
        """(condition code, field) for the six national conditions, in PRODUCT.md's order."""
        return [(code, getattr(self, f"condition_{code}")) for code in vocab.NATIONAL_CONDITIONS]

    def tranche_value(self) -> int | None:
        """The chosen tranche as a number, or None for intervention."""
        return int(self.tranche.data) if self.tranche.data and self.tranche.data.isdigit() else None


for _name, _field in _CONDITION_FIELDS.items():
    setattr(ReviewForm, _name, _field)


class ConditionDecisionForm(StorableForm):
    """The assurer's verdict on one condition: met (on a date), or not met yet (with the reason the board sees)."""

    met = ChoiceRequired("Is the condition met?", "Select whether the condition is met",
                         choices=[("yes", "Yes, it is met"), ("no", "No, not yet")])
    met_on = DateField("Date the condition was met", required=False, latest_today=True)
    not_met_reason = TextAreaField("Why is it not met yet?", validators=[
        Length(max=5000, message="The reason must be 5000 characters or fewer")])
