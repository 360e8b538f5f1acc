"""Form pieces shared by every area: the button-only form, a form that refuses unstorable characters, the NHS.UK
date input, multiple checkboxes, and service messages put onto fields."""
from __future__ import annotations

import re
from datetime import date
from typing import Any

from flask import request
from flask_wtf import FlaskForm
from wtforms import Field, RadioField, SelectMultipleField, TextAreaField
from wtforms.validators import ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from tracker.web.clock import today
from tracker.web.kept_forms import kept_formdata

_UNSTORABLE = re.compile(r"[\x00\ud800-\udfff]")  # NUL and lone surrogates: PostgreSQL cannot store them


class TrackerForm(FlaskForm):
    """Every form of the tracker: on a GET it shows what the person typed into it before their session ended
    (tracker.web.kept_forms), when this browser kept that for this page."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        if not args and "formdata" not in kwargs:
            names = {name for name, _ in type(self)._unbound_fields or ()}
            kept = kept_formdata(names) if request.method == "GET" else None
            if kept is not None:
                kwargs["formdata"] = kept
        super().__init__(*args, **kwargs)


class EmptyForm(TrackerForm):
    """A form with no fields, so that button-only POSTs (sign out, revoke, withdraw) still carry CSRF."""


class StorableForm(TrackerForm):
    """A form that refuses characters no database can store, on the field they were typed in, before any query."""

    def validate(self, extra_validators: dict | None = None) -> bool:
        """The fields' own validation, then a check of every text value."""
        valid = super().validate(extra_validators)
        for field in self:
            values = field.data if isinstance(field.data, list) else [field.data]
            if any(isinstance(v, str) and _UNSTORABLE.search(v) for v in values):
                field.errors = [*field.errors, f"{field.label.text} must not contain control characters"]
                if isinstance(field.data, list):
                    field.data = [v for v in field.data if not (isinstance(v, str) and _UNSTORABLE.search(v))]
                elif isinstance(field.data, str):
                    field.data = _UNSTORABLE.sub("", field.data)
                valid = False
        return valid


def put_errors(form: FlaskForm, errors: dict[str, str], fields: dict[str, str] | None = None) -> None:
    """Put each service message on its form field (renamed through `fields`), unless the field has one already."""
    for name, message in errors.items():
        field: Any = getattr(form, (fields or {}).get(name, name), None)
        if field is None:
            continue
        if not isinstance(field.errors, list):
            field.errors = list(field.errors)
        if not field.errors:
            field.errors.append(message)


class AnswerEventForm(StorableForm):
    """Confirm or dispute an event the other side recorded (the provider's or the board's)."""

    status = RadioField("Did this event happen as it was recorded?",
                        choices=[("confirmed", "Yes, confirm it"), ("disputed", "No, dispute it")],
                        validate_choice=False)
    note = TextAreaField("Why do you dispute it?")

    def validate_status(self, field: RadioField) -> None:
        """Confirm or dispute must be chosen."""
        if field.data not in ("confirmed", "disputed"):
            raise ValidationError("Select whether you confirm or dispute the event")


YES_NO = [("yes", "Yes"), ("no", "No")]


class ConcernActionForm(StorableForm):
    """Act on a concern. The actions offered depend on who acts and on the concern's status (tracker.domain.concerns);
    each area names the fields in its own words."""

    action = RadioField("What do you want to do?", choices=[], validate_choice=False)
    message = TextAreaField("Your message")

    def validate_action(self, field: RadioField) -> None:
        """One of the offered actions must be chosen."""
        if not field.data:
            raise ValidationError("Select what you want to do")


class WithdrawEventForm(StorableForm):
    """Withdraw an event its own side recorded: it stops counting but is kept."""

    reason = TextAreaField("Why are you withdrawing it? (optional)")

    def validate_reason(self, field: TextAreaField) -> None:
        """Keep the reason to a readable length."""
        if len(field.data or "") > 2000:
            raise ValidationError("Reason must be 2,000 characters or fewer")


class MultiCheckboxField(SelectMultipleField):
    """A list of checkboxes (rendered with the NHS.UK checkboxes macro)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class DateField(Field):
    """The NHS.UK date input: three boxes named NAME[day], NAME[month] and NAME[year].

    Error messages follow the NHS.UK pattern ("Date must include a month", "Date must be a real date").
    What was typed is kept in `raw_parts`, so a form shown again with errors keeps it.
    """

    def __init__(self, label: str | None = None, validators: list[Any] | None = None, *,
                 earliest: date | None = None, latest_today: bool = False, required: bool = True,
                 **kwargs: Any) -> None:
        super().__init__(label, validators, **kwargs)
        self.earliest = earliest
        self.latest_today = latest_today
        self.required = required
        self.raw_parts: dict[str, str] = {}
        self.parse_error: str | None = None

    @property
    def error_target(self) -> str:
        """The error summary links to the day box."""
        return f"{self.id}-day"

    def process_formdata(self, valuelist: list[Any]) -> None:  # noqa: D102 - WTForms hook
        pass

    def process(self, formdata: Any, data: Any = None, extra_filters: Any = None) -> None:
        """Read the three boxes from the request, or the date given as the field's data."""
        super().process(formdata, data, extra_filters)
        if formdata is not None and any(f"{self.name}[{p}]" in formdata for p in ("day", "month", "year")):
            self.raw_parts = {p: (formdata.get(f"{self.name}[{p}]") or "").strip()[:10]
                              for p in ("day", "month", "year")}
            self.data, self.parse_error = parse_date_parts(self.raw_parts, self.label.text)
        elif isinstance(self.data, date):
            self.raw_parts = {"day": str(self.data.day), "month": str(self.data.month), "year": str(self.data.year)}

    def pre_validate(self, form: Any) -> None:
        """Refuse a missing, impossible or out-of-range date with a message naming what is wrong."""
        if self.parse_error:
            raise ValidationError(self.parse_error)
        if self.data is None:
            if self.required:
                raise ValidationError(f"Enter {self.label.text.lower()}")
            return
        if self.earliest and self.data < self.earliest:
            raise ValidationError(f"{self.label.text} must be on or after {self.earliest.day} {self.earliest:%B %Y}")
        if self.latest_today and self.data > today():
            raise ValidationError(f"{self.label.text} must be today or in the past")


def parse_date_parts(parts: dict[str, str], label: str) -> tuple[date | None, str | None]:
    """Turn day, month and year boxes into a date, or an NHS.UK-style message saying what is missing or wrong."""
    if not any(parts.values()):
        return None, None
    missing = [p for p in ("day", "month", "year") if not parts.get(p)]
    if missing:
        return None, f"{label} must include a {' and a '.join(missing)}"
    try:
        day, month, year = (int(parts[p]) for p in ("day", "month", "year"))
    except ValueError:
        return None, f"{label} must be a real date"
    if year < 1000 or year > 9999:
        return None, f"{label} year must include 4 numbers"
    try:
        return date(year, month, day), None
    except (ValueError, OverflowError):  # a day or month of 2**63 overflows before it is found out of range
        return None, f"{label} must be a real date"
