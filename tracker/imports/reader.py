"""Reading an import CSV: UTF-8 lines with their numbers, the header check, and typed values from each row."""
from __future__ import annotations

import csv
import re
import sys
from collections.abc import Iterator, Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import BinaryIO

from tracker.domain.vocab import year_problem

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_WHOLE = re.compile(r"-?\d+")
_NUMBER = re.compile(r"-?\d+(\.\d+)?")
YES_NO = {"yes": True, "no": False}


class FileRefused(Exception):
    """The file as a whole cannot be read (missing, empty, not UTF-8, wrong header); nothing is imported."""

    def __init__(self, line: int | None, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


class Problems:
    """Every problem found in the file, each tied to the physical line it is on."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.found: list[tuple[int | None, str]] = []

    def add(self, line: int | None, message: str) -> None:
        """Note one problem."""
        self.found.append((line, message))

    def __bool__(self) -> bool:
        return bool(self.found)

    def __len__(self) -> int:
        return len(self.found)

    def messages(self) -> list[str]:
        """Each problem as `PATH:LINE: message` (or `PATH: message` for the file as a whole)."""
        return [f"{self.path}:{line}: {message}" if line else f"{self.path}: {message}" for line, message in self.found]


def _listing(values: Mapping[str, object] | tuple[str, ...]) -> str:
    """The allowed values, comma-separated, for a message."""
    return ", ".join(str(v) for v in values)


class Row:
    """One data row: its line number and raw values, with typed readers that note problems instead of raising."""

    __slots__ = ("line", "values", "problems", "ok")

    def __init__(self, line: int, values: dict[str, str], problems: Problems) -> None:
        self.line = line
        self.values = values
        self.problems = problems
        self.ok = True

    def fail(self, message: str) -> None:
        """Note a problem with this row."""
        self.ok = False
        self.problems.add(self.line, message)

    def text(self, column: str, *, required: bool = True, max_length: int = 200) -> str:
        """Free text, trimmed; must be given unless not required, and not too long."""
        value = self.values[column]
        if required and not value:
            self.fail(f"{column} is empty; it must be given")
        elif len(value) > max_length:
            self.fail(f"{column} is {len(value):,} characters long; it can be at most {max_length:,}")
        return value

    def choice(self, column: str, allowed: Mapping[str, object]) -> str | None:
        """One value of an enumeration."""
        value = self.values[column]
        if value in allowed:
            return sys.intern(value)  # one string object per allowed value, however many rows keep it
        shown = f'"{value}"' if value else "(empty)"
        self.fail(f"{column} {shown} is not one of {_listing(allowed)}")
        return None

    def year(self, column: str) -> str | None:
        """A financial year like 2015-16 (tracker.domain.vocab.is_year)."""
        value = self.values[column]
        problem = year_problem(value)
        if problem:
            self.fail(f"{column} {problem}")
            return None
        return sys.intern(value)

    def yes_no(self, column: str) -> bool | None:
        """A yes/no answer (any capitalisation)."""
        value = YES_NO.get(self.values[column].lower())
        if value is None:
            self.fail(f'{column} "{self.values[column]}" must be yes or no')
        return value

    def date(self, column: str, *, required: bool = True) -> date | None:
        """A YYYY-MM-DD date; an empty value is None when not required."""
        value = self.values[column]
        if not value:
            if required:
                self.fail(f"{column} is empty; it must be a date in the form YYYY-MM-DD")
            return None
        if not _DATE.fullmatch(value):
            self.fail(f'{column} "{value}" is not a date in the form YYYY-MM-DD')
            return None
        try:
            return date.fromisoformat(value)
        except ValueError:
            self.fail(f'{column} "{value}" is not a real date (use YYYY-MM-DD)')
            return None

    def pounds(self, column: str, *, minimum: int | None = 0, limit: int = 10**12) -> int | None:
        """A whole number of pounds (digits only, optionally negative when minimum is None)."""
        value = self.values[column]
        if not _WHOLE.fullmatch(value):
            if _NUMBER.fullmatch(value):
                self.fail(f'{column} "{value}" is not a whole number of pounds (give pounds only, like 1250000)')
            else:
                self.fail(f'{column} "{value}" is not a number of pounds (give digits only, like 1250000)')
            return None
        amount = int(value)
        if minimum is not None and amount < minimum:
            self.fail(f"{column} {value} must be {minimum} or more")
            return None
        if abs(amount) > limit:
            self.fail(f"{column} {value} is too large; it can be at most {limit:,}")
            return None
        return amount

    def number(self, column: str, low: Decimal, high: Decimal, places: int = 2) -> Decimal | None:
        """A decimal number within a range, with at most `places` decimal places (a trailing % is allowed)."""
        value = self.values[column]
        text = value[:-1].rstrip() if value.endswith("%") else value
        try:
            number = Decimal(text) if _NUMBER.fullmatch(text) else None
        except InvalidOperation:  # pragma: no cover - the pattern admits only valid decimals
            number = None
        if number is None:
            self.fail(f'{column} "{value}" is not a number (like -3.5)')
        elif not low <= number <= high:
            self.fail(f"{column} {value} must be between {low} and {high}")
        elif number != number.quantize(Decimal(1).scaleb(-places)):
            self.fail(f"{column} {value} has more than {places} decimal places")
        else:
            return number
        return None

    def whole(self, column: str, low: int, high: int) -> int | None:
        """A whole number within a range."""
        value = self.values[column]
        if _WHOLE.fullmatch(value) and low <= int(value) <= high:
            return int(value)
        self.fail(f'{column} "{value}" must be a whole number from {low} to {high}')
        return None

    def code(self, column: str, known: Mapping[str, int], what: str, *, required: bool = True) -> int | None:
        """The id of the record a code names; empty gives None when not required."""
        value = self.values[column]
        if not value:
            if required:
                self.fail(f"{column} is empty; it must be the code of {what}")
            return None
        found = known.get(value)
        if found is None:
            self.fail(f"{column} {value} is not a known {what}")
        return found


def _decoded(handle: BinaryIO, position: list[int]) -> Iterator[str]:
    """The file's lines as text, counting them into position[0]; stops at the first line that is not UTF-8."""
    for number, raw in enumerate(handle, 1):
        position[0] = number
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise FileRefused(number, "this line is not UTF-8 text; save the file as \"CSV UTF-8\" and try "
                                      "again") from None
        if number == 1 and text.startswith("\ufeff"):
            text = text[1:]
        yield text


def _check_header(header: list[str], columns: tuple[str, ...], kind: str, optional: tuple[str, ...] = ()) -> None:
    """Refuse a header that is not exactly the kind's columns in order (with its optional last columns or not)."""
    if header in (list(columns), [*columns, *optional]):
        return
    expected = ",".join(columns) + "".join(f"[,{column}]" for column in optional)
    columns = (*columns, *optional)
    missing = [c for c in columns if c not in header and c not in optional]
    unexpected = [c for c in header if c not in columns]
    repeated = sorted({c for c in header if header.count(c) > 1})
    parts = []
    if missing:
        parts.append("missing " + ", ".join(missing))
    if unexpected:
        parts.append("unexpected " + ", ".join(f'"{c}"' for c in unexpected))
    if repeated:
        parts.append("repeated " + ", ".join(repeated))
    what = "; ".join(parts) if parts else "the columns are in the wrong order"
    raise FileRefused(1, f"the header is not that of a {kind} file ({what}); it must be exactly: {expected}")


def read_rows(path: Path, columns: tuple[str, ...], kind: str, problems: Problems,
              optional: tuple[str, ...] = ()) -> Iterator[Row]:
    """Each data row of the file, after checking the header; blank lines are skipped. Optional last columns the file
    leaves out read as empty."""
    if not path.exists():
        raise FileRefused(None, "there is no such file")
    if not path.is_file():
        raise FileRefused(None, "this is not a file")
    try:
        handle = path.open("rb")
    except OSError as error:
        raise FileRefused(None, f"the file cannot be opened ({error.strerror})") from None
    position = [0]
    with handle:
        reader = csv.reader(_decoded(handle, position), strict=True)
        end = 0
        try:
            header = next(reader, None)
            if not header or header == [""]:
                raise FileRefused(1, f"the file is empty; its first line must be the header: {','.join(columns)}")
            _check_header(header, columns, kind, optional)
            given = tuple(header)
            absent = {column: "" for column in optional if column not in given}
            width = len(given)
            end = position[0]
            for fields in reader:
                line, end = end + 1, position[0]
                if not fields:
                    continue
                if len(fields) != width:
                    problems.add(line, f"this row has {len(fields)} values but a {kind} row has {width} "
                                       f"({','.join(given)})")
                    continue
                yield Row(line, {**dict(zip(given, (f.strip() for f in fields), strict=True)), **absent}, problems)
        except csv.Error as error:
            raise FileRefused(end + 1, f"this line cannot be read as CSV ({error})") from None
