"""Forms of the provider workspace. The rules live in the services; these only carry what was typed."""
from __future__ import annotations

from flask_wtf.file import FileField
from wtforms import HiddenField, RadioField, StringField, TextAreaField
from wtforms.validators import ValidationError

from tracker.domain import vocab
from tracker.web.forms import YES_NO, DateField, MultiCheckboxField, StorableForm
from tracker.web.forms import ConcernActionForm as SharedConcernActionForm


class ProviderForm(StorableForm):
    """The base of this area's forms (tracker.web.forms.StorableForm)."""


class EventForm(ProviderForm):
    """Record or change an engagement event. Choices are checked by tracker.domain.engagement, not here."""

    date = DateField("Date of the event", required=False)  # a missing date is reported by the event rules
    kind = RadioField("What kind of event was it?", choices=list(vocab.EVENT_KINDS.items()), validate_choice=False)
    depth = RadioField("How deeply were you involved?",
                       choices=[(str(level), f"{level} {name}") for level, (name, _) in vocab.DEPTHS.items()],
                       validate_choice=False)
    topics = MultiCheckboxField("Which topics did it cover?", choices=list(vocab.TOPICS.items()),
                                validate_choice=False)
    leadership = RadioField("Did your organisation's leadership take part?", choices=YES_NO, validate_choice=False)
    others = MultiCheckboxField("Other providers that took part", choices=[], validate_choice=False)
    summary = TextAreaField("Summary of what happened")
    evidence_url = StringField("Link to evidence (optional)")
    evidence_file = FileField("Upload a document as evidence (optional)")
    submission = HiddenField()

    def validate_leadership(self, field: RadioField) -> None:
        """Yes or no must be chosen."""
        if field.data not in ("yes", "no"):
            raise ValidationError("Select yes if your organisation's board or executive took part")

    def validate_others(self, field: MultiCheckboxField) -> None:
        """Only providers offered in the list (those serving the board) may be named."""
        offered = {value for value, _ in field.choices}
        if any(code not in offered for code in field.data or []):
            raise ValidationError("Select other providers from the list")


class ConcernForm(ProviderForm):
    """Raise a concern; checked by tracker.domain.concerns before the check-your-answers page."""

    category = RadioField("What is the concern about?", choices=list(vocab.CONCERN_CATEGORIES.items()),
                          validate_choice=False)
    severity = RadioField("How serious is it?", choices=list(vocab.SEVERITIES.items()), validate_choice=False)
    text = TextAreaField("Describe your concern")
    confidential = RadioField("Who should see it?", choices=[
        ("no", "The board and assurers"), ("yes", "Assurers only (confidential)")], validate_choice=False)

    def validate_confidential(self, field: RadioField) -> None:
        """One of the two audiences must be chosen."""
        if field.data not in ("yes", "no"):
            raise ValidationError("Select who should see the concern")


class ConcernActionForm(SharedConcernActionForm):
    """Reply to, reopen, escalate or resolve a concern."""

    action = RadioField("What do you want to do next?", choices=[], validate_choice=False)


class AssessmentForm(ProviderForm):
    """The provider's impact assessment of a plan; parsed and checked by tracker.domain.assessments."""

    emergency_admissions_change_pct = StringField("Expected change in your emergency admissions")
    financial_impact_gbp = StringField("Expected financial impact on your organisation")
    agreement = RadioField("Do you agree with the plan's own assessment?", choices=list(vocab.AGREEMENTS.items()),
                           validate_choice=False)
    comments = TextAreaField("Comments (optional)")
