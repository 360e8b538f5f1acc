"""What every kind of import shares: its columns, the check for repeated keys, and the keyed upsert."""
from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, ClassVar

from sqlalchemy.orm import Session

from tracker.domain import audit
from tracker.imports import provenance
from tracker.imports.reader import Row
from tracker.imports.store import Counts, Lookups, Merge, apply_merge, merge, stored_by_key


@dataclass(frozen=True)
class Settings:
    """Settings an import needs from the app's configuration."""

    acknowledge_days: int = 3
    respond_days: int = 20
    # Replace what people changed in the tracker since a record was last imported, instead of keeping it.
    overwrite: bool = False
    # Who the audit entries of the rows name: the command line, or the admin who confirmed an import in the browser.
    actor: str = "cli"


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
        self.line = 0  # the line of the row being staged
        self.kept: list[provenance.Kept] = []  # rows kept as people changed them in the tracker (write() adds)
        self.notes: list[tuple[int, str]] = []  # other things the person who ran the import is told, by line

    def report(self) -> list[str]:
        """What the import kept and why, in the file's line order (after write())."""
        return [message for _, message in sorted([*provenance.report(self.session, self.kept), *self.notes])]

    def audit_rows(self, entity_type: str, created: Iterable[tuple[object, Any]],
                   changed: Iterable[tuple[object, Any, Any]]) -> None:
        """An audit entry for each row created (entity id, after) and each row changed (entity id, before, after)."""
        audit.record_rows(self.session, "import_row_created", entity_type,
                          ((entity_id, None, after) for entity_id, after in created), actor=self.settings.actor)
        audit.record_rows(self.session, "import_row_changed", entity_type, changed, actor=self.settings.actor)

    def shown(self, values: dict[str, Any], names: dict[str, str] | None = None) -> dict[str, Any]:
        """Stored values as the audit trail keeps them: in the file's terms (codes for ids, ISO dates, decimals as
        text). `names` renames a field (e.g. provider_id -> organisation_code)."""
        names = names or {}
        shown: dict[str, Any] = {}
        for name, value in values.items():
            if name == "plan_id":
                shown["hwb_code"], shown["year"] = self.lookups.plan_keys.get(value, ("", ""))
            elif name == "hwb_id":
                shown[names.get(name, "hwb_code")] = self.lookups.hwb_codes.get(value, value)
            elif name == "provider_id":
                shown[names.get(name, "provider_code")] = (
                    "" if value is None else self.lookups.provider_codes.get(value, value))
            elif isinstance(value, date):
                shown[names.get(name, name)] = value.isoformat()
            elif isinstance(value, Decimal):  # the same number the same way, stored (0.00) or from the file (0)
                shown[names.get(name, name)] = format(value.normalize(), "f")
            else:
                shown[names.get(name, name)] = value
        return shown

    def accept(self, row: Row) -> None:
        """Check the row's key is new in the file, then stage it."""
        self.line = row.line
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
    audit_entity: ClassVar[str]  # the entity_type of its rows' audit entries
    audit_by_key: ClassVar[bool] = False  # name a row in the audit trail by its key (a code, a ref), not its id
    audit_names: ClassVar[dict[str, str]] = {}  # fields shown under another name (see Importer.shown)

    def __init__(self, session: Session, lookups: Lookups, settings: Settings) -> None:
        super().__init__(session, lookups, settings)
        self.staged: dict[Hashable, dict[str, Any]] = {}
        self.lines: dict[Hashable, int] = {}  # the line each staged key is on
        self.before: dict[Hashable, tuple[int, dict[str, Any]]] = {}  # what was stored, by key (during write)

    @property
    def key_fields(self) -> tuple[str, ...]:
        """The table fields that match a row with a stored record."""
        return self.fields[:len(self.key)]

    def keep(self, values: dict[str, Any]) -> Hashable:
        """Stage one valid row's table values; returns its key."""
        names = self.key_fields
        key = tuple(values[n] for n in names) if len(names) > 1 else values[names[0]]
        self.staged[key] = values
        self.lines[key] = self.line
        return key

    def stored(self) -> dict[Hashable, tuple[int, dict[str, Any]]]:
        """The records already stored, by key."""
        return stored_by_key(self.session, self.model, self.key_fields, self.fields + self.also_load)

    def write(self) -> Counts:
        """Insert new records, update changed ones, each with its audit entry, and count them."""
        self.before = self.stored()
        result = merge(self.staged, self.before)
        self.adjust(result)
        apply_merge(self.session, self.model, self.staged, result, self.on_insert())
        self.after_write(result)
        self.audit_merge(result)
        return counted(result)

    def audit_merge(self, result: Merge) -> None:
        """An entry for each record inserted (its values) and updated (the values that changed, before and after)."""
        ids = {} if self.audit_by_key else self.ids_of(result.inserts)
        created = [(self.audit_id(key, ids.get(key)), self.shown(self.audit_values(key, self.staged[key], None),
                                                                 self.audit_names))
                   for key in result.inserts]
        changed = []
        for key, record_id, _ in result.updates:
            before, after = differences(self.audit_values(key, self.before[key][1], self.before[key][0]),
                                        self.audit_values(key, self.staged[key], None), self.key_fields)
            if before != after:
                changed.append((self.audit_id(key, record_id), self.shown(before, self.audit_names),
                                self.shown(after, self.audit_names)))
        self.audit_rows(self.audit_entity, created, changed)

    def audit_id(self, key: Hashable, record_id: int | None) -> object:
        """How the audit trail names the record: its id, or its key for kinds named by a code or a ref."""
        return key if self.audit_by_key else record_id

    def audit_values(self, key: Hashable, values: dict[str, Any], record_id: int | None) -> dict[str, Any]:  # noqa: ARG002
        """The values of a record that its audit entry compares (by default the fields the file sets); `record_id` is
        the stored record's, None for the file's values."""
        return {name: values.get(name) for name in self.staged[key]}

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


def differences(before: dict[str, Any], after: dict[str, Any], always: Iterable[str] = ()) -> tuple[dict, dict]:
    """The fields that differ, before and after, with the `always` ones (a record's key) in both."""
    always = set(always)
    names = [name for name in after if name in always or before.get(name) != after[name]]
    return {name: before.get(name) for name in names}, {name: after[name] for name in names}


def counted(result: Merge) -> Counts:
    """How the rows fared: a row kept as changed in the tracker counts as kept, whether or not the rest of it was
    written."""
    return Counts(created=len(result.inserts), updated=sum(key not in result.kept for key, _, _ in result.updates),
                  unchanged=sum(key not in result.kept for key, _ in result.unchanged), kept=len(result.kept))
