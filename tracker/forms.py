"""Form pieces shared by every area: the button-only form, the NHS.UK date input and multiple checkboxes."""
from __future__ import annotations

from datetime import date
from typing import Any

from flask_wtf import FlaskForm
from wtforms import Field, SelectMultipleField
from wtforms.validators import ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from tracker.clock import today


class EmptyForm(FlaskForm):
    """A form with no fields, so that button-only POSTs (sign out, revoke, withdraw) still carry CSRF."""


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
    except ValueError:
        return None, f"{label} must be a real date"
