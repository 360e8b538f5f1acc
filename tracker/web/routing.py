"""The app's URL converters: what an address may carry before any view or query sees it.

A record id is a database integer, so `<int:…>` refuses a number the database cannot hold (PostgreSQL would
fail on it); a code or a reference is printable, so a plain `<…>` segment refuses control characters (a NUL
cannot be sent to PostgreSQL, a line break cannot go back in a Location header). Either way the address matches
no route and the answer is the ordinary "page not found".
"""
from __future__ import annotations

from typing import Any

from flask import Flask
from werkzeug.routing import IntegerConverter, Map, UnicodeConverter

DATABASE_INT_MAX = 2**31 - 1  # the largest INTEGER of PostgreSQL (and of every id column here)


class DatabaseIntegerConverter(IntegerConverter):
    """`<int:…>`: a whole number from 0 (or `min`) up to DATABASE_INT_MAX (or a lower `max`)."""

    def __init__(self, map: Map, fixed_digits: int = 0, min: int | None = None,  # noqa: A002 - werkzeug's names
                 max: int | None = None, signed: bool = False) -> None:  # noqa: A002
        highest = DATABASE_INT_MAX if max is None or max > DATABASE_INT_MAX else max
        super().__init__(map, fixed_digits, min, highest, signed)


class PrintableSegmentConverter(UnicodeConverter):
    """`<…>` and `<string:…>`: one path segment with no control character."""

    def __init__(self, map: Map, *args: Any, **kwargs: Any) -> None:
        super().__init__(map, *args, **kwargs)
        self.regex = self.regex.replace("[^/]", r"[^/\x00-\x1f\x7f]", 1)


def register_converters(app: Flask) -> None:
    """Install the converters; call before any route is added."""
    app.url_map.converters.update(int=DatabaseIntegerConverter, default=PrintableSegmentConverter,
                                  string=PrintableSegmentConverter)
