"""Running one import: read and check every row, refuse the file if any row is wrong, else write it all."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.orm import Session

from tracker.imports.assessments import ImpactAssessmentImporter
from tracker.imports.base import Importer, Settings
from tracker.imports.concerns import ConcernImporter
from tracker.imports.events import EventImporter
from tracker.imports.organisations import HwbImporter, ProviderImporter
from tracker.imports.plans import BoardMemberImporter, PlanImporter
from tracker.imports.reader import FileRefused, Problems, read_rows
from tracker.imports.store import Counts, Lookups

IMPORTERS: dict[str, type[Importer]] = {importer.kind: importer for importer in (
    HwbImporter, ProviderImporter, PlanImporter, BoardMemberImporter, EventImporter, ConcernImporter,
    ImpactAssessmentImporter)}
KINDS = tuple(IMPORTERS)


class ImportRefused(Exception):
    """The file has problems; nothing was written. `messages` are `PATH:LINE: message` lines."""

    def __init__(self, problems: Problems) -> None:
        super().__init__(f"{len(problems)} problem(s) in {problems.path}")
        self.messages = problems.messages()
        self.found = list(problems.found)  # (line or None, message), for callers that name the file otherwise


@dataclass(frozen=True)
class Outcome:
    """What an import did."""

    kind: str
    path: str
    rows: int
    counts: Counts
    # `line N: kept …` for each row kept as people changed it in the tracker, and each stored participation the
    # file does not give, in line order.
    kept: list[str] = field(default_factory=list)
    overwrite: bool = False

    def summary(self) -> str:
        """One line for the person who ran it."""
        c = self.counts
        text = f"{self.kind}: {self.rows} rows read, {c.created} created, {c.updated} updated, {c.unchanged} unchanged"
        text += f", {c.removed} removed" if c.removed else ""
        text += f", {c.kept} kept as changed in the tracker" if c.kept else ""
        return text + (f", {c.absent} participation{'s' if c.absent != 1 else ''} not in the file kept" if c.absent
                       else "")

    def report(self) -> str:
        """The summary, then each row kept, one a line."""
        return "\n".join([self.summary(), *self.kept])

    def audit(self) -> dict[str, object]:
        """What the audit trail keeps about the run."""
        c = self.counts
        after: dict[str, object] = {"path": self.path, "created": c.created, "updated": c.updated,
                                    "unchanged": c.unchanged}
        for name in ("removed", "kept", "absent"):
            if getattr(c, name):
                after[name] = getattr(c, name)
        if self.overwrite:
            after["overwrite"] = True
        return after


PROGRESS_EVERY = 5_000  # rows between two calls of run_import's on_rows


def run_import(session: Session, kind: str, path: str, settings: Settings,
               on_rows: Callable[[int], None] | None = None) -> Outcome:
    """Import the file in the caller's transaction; raises ImportRefused, having written nothing, on any problem.
    `on_rows(n)`, when given, is told every PROGRESS_EVERY rows how many have been read and checked so far. To
    see what an import would do without doing it (a preview), the caller rolls its transaction back."""
    problems = Problems(path)
    importer = IMPORTERS[kind](session, Lookups(session), settings)
    rows = 0
    try:
        for row in read_rows(Path(path), importer.columns, kind, problems, importer.optional):
            rows += 1
            importer.accept(row)
            if on_rows is not None and rows % PROGRESS_EVERY == 0:
                on_rows(rows)
    except FileRefused as refused:
        problems.add(refused.line, refused.message)
    if problems:
        raise ImportRefused(problems)
    counts = importer.write()
    return Outcome(kind, path, rows, counts, importer.report(), settings.overwrite)
