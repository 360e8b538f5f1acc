"""Forms of the HWB workspace. The rules live in the services; these carry what was typed."""
from __future__ import annotations

from wtforms import HiddenField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import ValidationError

from tracker.domain import vocab
from tracker.web.forms import YES_NO, DateField, MultiCheckboxField, StorableForm
from tracker.web.forms import ConcernActionForm as SharedConcernActionForm


class BoardForm(StorableForm):
    """The base of this area's forms (tracker.web.forms.StorableForm)."""


class EventForm(BoardForm):
    """Record a board-convened event. Choices and content are checked by tracker.domain.engagement, not here."""

    date = DateField("Date of the event", required=False)  # a missing date is reported by the event rules
    kind = RadioField("What kind of event was it?", choices=list(vocab.EVENT_KINDS.items()), validate_choice=False)
    depth = RadioField("How deeply were the providers involved?",
                       choices=[(str(level), f"{level} {name}") for level, (name, _) in vocab.DEPTHS.items()],
                       validate_choice=False)
    topics = MultiCheckboxField("Which topics did it cover?", choices=list(vocab.TOPICS.items()),
                                validate_choice=False)
    took_part = MultiCheckboxField("Which providers took part?", choices=[], validate_choice=False)
    leadership = MultiCheckboxField("Whose leadership (board or executive) took part? (optional)", choices=[],
                                    validate_choice=False)
    invited = MultiCheckboxField("Which providers were invited but did not take part? (optional)", choices=[],
                                 validate_choice=False)
    summary = TextAreaField("Summary of what happened")
    evidence_url = StringField("Link to evidence, such as the minutes (optional)")
    submission = HiddenField()

    def _offered(self, field: MultiCheckboxField) -> None:
        offered = {value for value, _ in field.choices}
        if any(code not in offered for code in field.data or []):
            raise ValidationError("Select providers from the list")

    def validate_took_part(self, field: MultiCheckboxField) -> None:
        """Only providers serving the board may be named."""
        self._offered(field)

    def validate_leadership(self, field: MultiCheckboxField) -> None:
        """Leadership can only be recorded for a provider that took part."""
        self._offered(field)
        if set(field.data or []) - set(self.took_part.data or []):
            raise ValidationError("Select leadership only for providers that took part")

    def validate_invited(self, field: MultiCheckboxField) -> None:
        """A provider either took part or was invited and did not."""
        self._offered(field)
        if set(field.data or []) & set(self.took_part.data or []):
            raise ValidationError("A provider that took part cannot also be listed as not taking part")


class ConcernActionForm(SharedConcernActionForm):
    """Acknowledge, respond to or (once responded) resolve a concern."""

    message = TextAreaField("Your message to the provider")


class MemberForm(BoardForm):
    """Add a member to the board. Checked by tracker.domain.membership."""

    member_name = StringField("Member's name")
    seat = SelectField("Seat", choices=[("", "Select a seat"), *vocab.SEATS.items()], validate_choice=False)
    provider = SelectField("Provider organisation represented (if any)", choices=[], validate_choice=False)
    voting = RadioField("Does the member vote?", choices=YES_NO, validate_choice=False)
    start = DateField("Start date", required=False)
    end = DateField("End date (optional)", required=False)


class MemberChangeForm(BoardForm):
    """Change a membership: whether it votes, the organisation it represents, when it ends."""

    provider = SelectField("Provider organisation represented (if any)", choices=[], validate_choice=False)
    voting = RadioField("Does the member vote?", choices=YES_NO, validate_choice=False)
    end = DateField("End date (optional)", required=False)
