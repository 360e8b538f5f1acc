"""What every kind of import shares: its columns, the check for repeated keys, and the keyed upsert."""
from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Hashable
from dataclasses import dataclass
from typing import Any, ClassVar

from sqlalchemy.orm import Session

from tracker.imports.reader import Row
from tracker.imports.store import Counts, Lookups, Merge, apply_merge, merge, stored_by_key


@dataclass(frozen=True)
class Settings:
    """Settings an import needs from the app's configuration."""

    acknowledge_days: int = 3
    respond_days: int = 20


class Importer(ABC):
    """One kind of CSV file: reads each row into staged records, then writes them all at once."""

    kind: ClassVar[str]
    columns: ClassVar[tuple[str, ...]]
    optional: ClassVar[tuple[str, ...]] = ()  # last columns a file may leave out (they then read as empty)
    key: ClassVar[tuple[str, ...]] = ()  # the file's key columns, checked for repeats on their raw values

    def __init__(self, session: Session, lookups: Lookups, settings: Settings) -> None:
        self.session = session
        self.lookups = lookups
        self.settings = settings
        self._first_lines: dict[tuple[str, ...], int] = {}

    def accept(self, row: Row) -> None:
        """Check the row's key is new in the file, then stage it."""
        if self.key:
            raw = tuple(row.values[c] for c in self.key)
            first = self._first_lines.setdefault(raw, row.line)
            if first != row.line:
                given = ", ".join(f"{c} {v or '(empty)'}" for c, v in zip(self.key, raw, strict=True))
                row.fail(f"{given}: already given on line {first}; each may appear only once in the file")
                return
        self.stage(row)

    def plan_id(self, row: Row, hwb_id: int | None, year: str | None) -> int | None:
        """The plan of the row's board and year, noting a problem when there is none yet."""
        if hwb_id is None or year is None:
            return None
        plan_id = self.lookups.plans.get((hwb_id, year))
        if plan_id is None:
            row.fail(f"there is no {year} plan for {row.values['hwb_code']} (import the plans first)")
        return plan_id

    @abstractmethod
    def stage(self, row: Row) -> None:
        """Read the row's values, noting every problem on the row; keep it for writing when it is valid."""

    @abstractmethod
    def write(self) -> Counts:
        """Write every staged record (only called when the whole file is valid)."""


class KeyedImporter(Importer):
    """A kind whose rows map one-to-one onto rows of one table, matched on key fields of that table."""

    model: ClassVar[type]
    fields: ClassVar[tuple[str, ...]]  # the table's key fields first, then the others the file sets
    also_load: ClassVar[tuple[str, ...]] = ()  # stored columns read for adjust() but not compared

    def __init__(self, session: Session, lookups: Lookups, settings: Settings) -> None:
        super().__init__(session, lookups, settings)
        self.staged: dict[Hashable, dict[str, Any]] = {}

    @property
    def key_fields(self) -> tuple[str, ...]:
        """The table fields that match a row with a stored record."""
        return self.fields[:len(self.key)]

    def keep(self, values: dict[str, Any]) -> Hashable:
        """Stage one valid row's table values; returns its key."""
        names = self.key_fields
        key = tuple(values[n] for n in names) if len(names) > 1 else values[names[0]]
        self.staged[key] = values
        return key

    def stored(self) -> dict[Hashable, tuple[int, dict[str, Any]]]:
        """The records already stored, by key."""
        return stored_by_key(self.session, self.model, self.key_fields, self.fields + self.also_load)

    def write(self) -> Counts:
        """Insert new records, update changed ones, and count them."""
        result = merge(self.staged, self.stored())
        self.adjust(result)
        apply_merge(self.session, self.model, self.staged, result, self.on_insert())
        self.after_write(result)
        return Counts(created=len(result.inserts), updated=len(result.updates), unchanged=len(result.unchanged))

    def adjust(self, result: Merge) -> None:
        """Change the staged values or the merge before writing (by default nothing)."""

    def on_insert(self) -> dict[str, Any]:
        """Values set on new records only."""
        return {}

    def after_write(self, result: Merge) -> None:
        """Write what goes with the records (by default nothing)."""

    def ids_of(self, keys: list[Hashable]) -> dict[Hashable, int]:
        """Key -> id for the given staged keys, as now stored."""
        if not keys:
            return {}
        wanted = set(keys)
        return {key: record_id for key, (record_id, _) in self.stored().items() if key in wanted}
