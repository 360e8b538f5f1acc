"""Column helpers shared by the model modules."""
from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

import sqlalchemy as sa


def utcnow() -> datetime:
    """The current time in UTC, as stored in every timestamp column."""
    return datetime.now(UTC)


def one_of(column: str, values: Iterable[object], name: str | None = None) -> sa.CheckConstraint:
    """A CHECK constraint that keeps a column within an enumeration (NULL is left to nullable=)."""
    listed = ", ".join(repr(v) if isinstance(v, str) else str(v) for v in values)
    return sa.CheckConstraint(f"{column} IN ({listed})", name=name or f"{column}_valid")


class UTCDateTime(sa.types.TypeDecorator):
    """A timezone-aware UTC timestamp on every database (SQLite keeps no zone of its own)."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):  # noqa: ANN001, ANN201 - SQLAlchemy's signature
        if value is not None and value.tzinfo is None:
            raise ValueError("naive datetime given for a UTC column")
        return value.astimezone(UTC) if value is not None else None

    def process_result_value(self, value, dialect):  # noqa: ANN001, ANN201
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value
