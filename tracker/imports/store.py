"""Database side of an import: lookups loaded once, and bulk inserts, updates and deletes in batches."""
from __future__ import annotations

from collections.abc import Hashable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from itertools import islice
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.orm import Session

from tracker.models import HWB, Plan, Provider

BATCH = 5_000
T = TypeVar("T")


def batches(items: Iterable[T], size: int = BATCH) -> Iterator[list[T]]:
    """The items in lists of at most `size`."""
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


class Lookups:
    """Codes to ids for the records that import rows refer to, each read from the database once."""

    def __init__(self, session: Session) -> None:
        self.session = session

    @cached_property
    def hwbs(self) -> dict[str, int]:
        """HWB code -> id."""
        return dict(self.session.execute(sa.select(HWB.code, HWB.id)).tuples().all())

    @cached_property
    def providers(self) -> dict[str, int]:
        """Provider code -> id."""
        return dict(self.session.execute(sa.select(Provider.code, Provider.id)).tuples().all())

    @cached_property
    def plans(self) -> dict[tuple[int, str], int]:
        """(HWB id, year) -> plan id."""
        rows = self.session.execute(sa.select(Plan.hwb_id, Plan.year, Plan.id)).tuples()
        return {(hwb_id, year): plan_id for hwb_id, year, plan_id in rows}

    @cached_property
    def hwb_codes(self) -> dict[int, str]:
        """HWB id -> code (for the audit trail's before and after)."""
        return {hwb_id: code for code, hwb_id in self.hwbs.items()}

    @cached_property
    def provider_codes(self) -> dict[int, str]:
        """Provider id -> code."""
        return {provider_id: code for code, provider_id in self.providers.items()}

    @cached_property
    def plan_keys(self) -> dict[int, tuple[str, str]]:
        """Plan id -> (HWB code, year)."""
        return {plan_id: (self.hwb_codes.get(hwb_id, ""), year) for (hwb_id, year), plan_id in self.plans.items()}


def insert_rows(session: Session, table: sa.Table, rows: Sequence[dict[str, Any]]) -> None:
    """Insert the rows with Core executemany, in batches."""
    for chunk in batches(rows):
        session.execute(sa.insert(table), chunk)


def update_rows(session: Session, table: sa.Table, rows: Sequence[dict[str, Any]]) -> None:
    """Update rows by id (given as `_id`) with Core executemany; rows with the same keys are sent together."""
    groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for row in rows:
        groups.setdefault(tuple(sorted(row)), []).append(row)
    statement = sa.update(table).where(table.c.id == sa.bindparam("_id"))
    for group in groups.values():
        for chunk in batches(group):
            session.execute(statement, chunk)


def delete_where_in(session: Session, column: sa.Column, values: Iterable[Any]) -> None:
    """Delete the rows of the column's table whose column value is one of `values`, in batches."""
    for chunk in batches(values):
        session.execute(sa.delete(column.table).where(column.in_(chunk)))


@dataclass
class Counts:
    """How the rows of a file fared."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    kept: int = 0  # rows whose change was not made: people changed the record in the tracker since its last import
    absent: int = 0  # stored rows the file does not give, kept (an events file's participations)


@dataclass
class Merge:
    """The outcome of comparing staged records with those already stored, by key."""

    inserts: list[Hashable] = field(default_factory=list)
    updates: list[tuple[Hashable, int, dict[str, Any]]] = field(default_factory=list)  # key, id, old values
    unchanged: list[tuple[Hashable, int]] = field(default_factory=list)
    kept: set[Hashable] = field(default_factory=set)  # keys kept as changed in the tracker (updated or unchanged)


def merge(staged: dict[Hashable, dict[str, Any]], stored: dict[Hashable, tuple[int, dict[str, Any]]]) -> Merge:
    """Sort staged records into new, changed and unchanged ones (compared on the staged columns)."""
    result = Merge()
    for key, values in staged.items():
        existing = stored.get(key)
        if existing is None:
            result.inserts.append(key)
        elif all(existing[1].get(name) == value for name, value in values.items()):
            result.unchanged.append((key, existing[0]))
        else:
            result.updates.append((key, existing[0], existing[1]))
    return result


def stored_by_key(session: Session, model: type, key: Sequence[str], columns: Sequence[str],
                  where: sa.ColumnElement[bool] | None = None) -> dict[Hashable, tuple[int, dict[str, Any]]]:
    """Existing rows of the model as key -> (id, {column: value}), in one query."""
    table = model.__table__
    wanted = list(dict.fromkeys([*key, *columns]))
    query = sa.select(table.c.id, *(table.c[name] for name in wanted))
    if where is not None:
        query = query.where(where)
    stored = {}
    for row in session.execute(query):
        values = dict(zip(wanted, row[1:], strict=True))
        stored[tuple(values[name] for name in key) if len(key) > 1 else values[key[0]]] = (row[0], values)
    return stored


def apply_merge(session: Session, model: type, staged: dict[Hashable, dict[str, Any]], result: Merge,
                on_insert: dict[str, Any] | None = None) -> None:
    """Update the changed records and insert the new ones (with `on_insert` values added)."""
    table = model.__table__
    update_rows(session, table, [{"_id": record_id, **staged[key]} for key, record_id, _ in result.updates])
    insert_rows(session, table, [{**staged[key], **(on_insert or {})} for key in result.inserts])
