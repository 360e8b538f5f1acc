"""The settings an admin changes in the browser: the thresholds of the criteria (E2, E3, E4, E5, E7 and the
rating's) and the working days a board has to acknowledge and to answer a concern.

They live in the one settings record (criteria_settings, id 1) and take effect the moment they are saved. Each
change is audited with the values before and after; a review keeps the thresholds it was made with (its own copy).
Working days left unset (NULL) fall back to the configured defaults (CONCERN_ACKNOWLEDGE_WORKING_DAYS and
CONCERN_RESPONSE_WORKING_DAYS), so an installation that never saved them behaves as configured.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from tracker.domain import audit
from tracker.domain.evidence.queries import load_thresholds
from tracker.domain.evidence.rules import Thresholds
from tracker.models import CriteriaSettings, User


@dataclass(frozen=True)
class Setting:
    """One value an admin may set: its name in the record, its words, its kind and its bounds."""

    name: str
    label: str
    hint: str
    percent: bool  # shown and typed as a percentage, stored as a ratio 0-1
    minimum: int
    maximum: int


SETTINGS: tuple[Setting, ...] = (
    Setting("coverage_min", "E3 coverage", "Share of footprint providers that took part", True, 0, 100),
    Setting("corroboration_min", "E4 corroboration", "Share of counted participations confirmed by the other side",
            True, 0, 100),
    Setting("sustained_share_min", "E5 sustained involvement", "Share of engaged providers that are sustained",
            True, 0, 100),
    Setting("sustained_months_min", "Months that make a provider sustained",
            "Distinct calendar months with a counted participation", False, 1, 12),
    Setting("shared_view_min", "E7 shared view", "Share of impact assessments that agree or partly agree",
            True, 0, 100),
    Setting("acute_depth_min", "E2 depth for acute providers", "Lowest IAP2 depth each acute provider must reach "
            "(1 inform to 5 empower)", False, 1, 5),
    Setting("acknowledge_working_days", "Working days to acknowledge a concern",
            "Counted from the day the concern was raised", False, 1, 60),
    Setting("respond_working_days", "Working days to answer a concern",
            "Counted from the day the concern was raised", False, 1, 120),
)
BY_NAME = {setting.name: setting for setting in SETTINGS}


class SettingsRejected(ValueError):
    """A value cannot be saved; `field` names it."""

    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class Deadlines:
    """Working days the board has to acknowledge and to answer a concern."""

    acknowledge: int
    respond: int


def concern_deadlines(session: Session, default: Deadlines) -> Deadlines:
    """The working days in force: the saved ones, or `default` (the configured values) where none was saved."""
    row = session.execute(sa.select(CriteriaSettings.acknowledge_working_days,
                                    CriteriaSettings.respond_working_days).where(CriteriaSettings.id == 1)).first()
    if row is None:
        return default
    return Deadlines(row[0] or default.acknowledge, row[1] or default.respond)


def in_force(session: Session, default: Deadlines) -> dict[str, float | int]:
    """Every setting's value now, by name (ratios as stored, 0-1)."""
    deadlines = concern_deadlines(session, default)
    values: dict[str, float | int] = dict(load_thresholds(session).as_dict())
    values.update(acknowledge_working_days=deadlines.acknowledge, respond_working_days=deadlines.respond)
    return {setting.name: values[setting.name] for setting in SETTINGS}


def shown(setting: Setting, value: float | int) -> int | float:
    """A stored value as a person reads and types it (a ratio as a whole or decimal percentage)."""
    if not setting.percent:
        return int(value)
    percent = round(float(value) * 100, 2)
    return int(percent) if percent == int(percent) else percent


def parse(typed: dict[str, str]) -> dict[str, float | int]:
    """The typed values as stored values; SettingsRejected naming the first field at fault."""
    values: dict[str, float | int] = {}
    for setting in SETTINGS:
        text = (typed.get(setting.name) or "").strip().rstrip("%").strip()
        unit = "a percentage" if setting.percent else "a whole number"
        if not text:
            raise SettingsRejected(f"Enter {setting.label[0].lower() + setting.label[1:]}", setting.name)
        try:
            number = float(text) if setting.percent else int(text)
        except ValueError:
            raise SettingsRejected(f"{setting.label} must be {unit}", setting.name) from None
        if not setting.minimum <= number <= setting.maximum:
            suffix = "%" if setting.percent else ""
            raise SettingsRejected(f"{setting.label} must be between {setting.minimum}{suffix} and "
                                   f"{setting.maximum}{suffix}", setting.name)
        if setting.percent and round(number, 2) != number:
            raise SettingsRejected(f"{setting.label} must have at most 2 decimal places", setting.name)
        values[setting.name] = round(number / 100, 4) if setting.percent else number
    if values["respond_working_days"] < values["acknowledge_working_days"]:
        raise SettingsRejected("Working days to answer a concern must be at least the working days to acknowledge "
                               "it", "respond_working_days")
    return values


def changes(before: dict[str, float | int], after: dict[str, float | int]) -> list[tuple[Setting, Any, Any]]:
    """The settings whose value would change, with the value before and after (as a person reads them)."""
    return [(s, shown(s, before[s.name]), shown(s, after[s.name])) for s in SETTINGS
            if shown(s, before[s.name]) != shown(s, after[s.name])]


def save(session: Session, after: dict[str, float | int], default: Deadlines, *, actor: User) -> int:
    """Save the values (effective at once), auditing the change; the number of settings changed."""
    before = in_force(session, default)
    changed = changes(before, after)
    if not changed:
        return 0
    record = session.get(CriteriaSettings, 1)
    if record is None:
        defaults = Thresholds().as_dict()
        record = CriteriaSettings(id=1, **defaults)
        session.add(record)
    for name, value in after.items():
        setattr(record, name, value)
    record.updated_by_id = actor.id
    session.flush()
    names = [s.name for s, _, _ in changed]
    audit.record(session, "settings_changed", "criteria_settings", 1,
                 before={n: before[n] for n in names}, after={n: after[n] for n in names}, actor=actor)
    return len(changed)
