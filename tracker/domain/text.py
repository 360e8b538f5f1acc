"""What a typed text may hold: the one check behind every service's text fields. No Flask."""
from __future__ import annotations

import re

# Control characters a person does not type; tabs and line breaks are allowed in several-line texts only.
_CONTROL_MULTILINE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_CONTROL_ONE_LINE = re.compile(r"[\x00-\x1f\x7f]")


def text_problem(value: str, *, label: str, maximum: int, missing: str, multiline: bool = True) -> str | None:
    """The NHS.UK-style message for what is wrong with a required text (judged stripped), or None."""
    text = value.strip()
    if not text:
        return missing
    if len(text) > maximum:
        return f"{label} must be {maximum:,} characters or fewer"
    if (_CONTROL_MULTILINE if multiline else _CONTROL_ONE_LINE).search(text):
        return f"{label} must not contain control characters"
    return None
