"""What the domain answers when a request breaks its rules."""
from __future__ import annotations


class Rejected(ValueError):
    """The request breaks a rule and nothing was changed; `errors` maps each field at fault to its message."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{field}: {message}" for field, message in errors.items()))
        self.errors = errors
