"""The targets of issue 9, the figures beside them (pass or miss), the machine, and the JSON written for the run."""
from __future__ import annotations

import json
import operator
import os
import platform
import sqlite3
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchmarks.databases import ROOT

BACKENDS = ("sqlite", "postgresql")
METHOD = {
    "server_side": "in-process: the real app (production settings) on the real database through Flask's test "
                   "client; each request timed with time.perf_counter() after 5 warm-up requests; the plan pages "
                   "and the evidence API on the plan with the most participations (the worst case), today's and as "
                   "at a past date after every event (?as_of=2015-12-31: the records and their history); the 1M / 100k "
                   "ratios from the same plan's requests on both databases taken in turn in one process; the 100k "
                   "database is the national data set with a tenth of its events (the same providers, boards, "
                   "concerns and assessments)",
    "throughput": "gunicorn tracker.wsgi:app with 2 sync workers on 127.0.0.1, driven by benchmarks/loadgen.py "
                  "(its own process, closed loop, a new connection per request) on the same 2 cores; the evidence "
                  "API cycles through every plan; the trivial endpoint is the health check /healthz (one "
                  "SELECT 1); a static file served by the app is shown for comparison",
    "import": "the seven files imported in README order with `flask --app tracker import`, each a new process "
              "(start-up included); PostgreSQL then VACUUM ANALYZE, as autovacuum would",
    "export": "`flask --app tracker export participations PATH` as a new process: rows a second over the export "
              "itself (the command's own timing, printed on standard error) and over the whole command (start-up "
              "included); peak memory = the process's maximum resident set size",
}


def _get(results: dict[str, Any], path: str) -> Any:
    """A figure by dotted path, or None when it was not measured."""
    value: Any = results
    for part in path.split("."):
        if not isinstance(value, dict) or part not in value:
            return None
        value = value[part]
    return value


def _ratio(top: str, bottom: str) -> Callable[[dict[str, Any]], float | None]:
    """A figure that is one measured figure divided by another."""
    def compute(results: dict[str, Any]) -> float | None:
        a, b = _get(results, top), _get(results, bottom)
        return round(a / b, 2) if a is not None and b else None
    return compute


@dataclass(frozen=True)
class Target:
    """One figure of the issue, how it is read from a backend's results, and its target (None: shown only)."""

    label: str
    figure: str | Callable[[dict[str, Any]], float | None]
    unit: str
    limit: float | None = None
    below: bool = True  # the figure must stay below the limit (else reach it)
    backends: tuple[str, ...] = BACKENDS  # where the target applies

    def value(self, results: dict[str, Any]) -> float | None:
        return self.figure(results) if callable(self.figure) else _get(results, self.figure)

    def verdict(self, backend: str, value: float | None) -> str:
        if self.limit is None or backend not in self.backends:
            return ""
        if value is None:
            return "not measured"
        return "pass" if (operator.lt if self.below else operator.ge)(value, self.limit) else "MISS"

    def shown(self) -> str:
        if self.limit is None:
            return ""
        where = "" if self.backends == BACKENDS else f" ({', '.join(self.backends)})"
        return f"{'<' if self.below else '>='} {self.limit:g} {self.unit}{where}"


TARGETS = [
    Target("Import of the whole data set", "import.total_s", "s", 120, backends=("sqlite",)),
    Target("  of which events", "import.import_s.events", "s"),
    Target("National overview page, median", "server.overview_page.median_ms", "ms", 50),
    Target("National overview page, p95", "server.overview_page.p95_ms", "ms", 150),
    Target("Plan evidence page, median", "server.plan_page.median_ms", "ms", 50),
    Target("Plan evidence page, p95", "server.plan_page.p95_ms", "ms", 150),
    Target("Evidence API, median", "server.evidence_api.median_ms", "ms"),
    Target("Evidence API, p95", "server.evidence_api.p95_ms", "ms"),
    Target("Evidence API as at a past date, median", "server.evidence_api_as_of.median_ms", "ms", 200),
    Target("Evidence API as at a past date, p95", "server.evidence_api_as_of.p95_ms", "ms"),
    Target("Plan evidence page as at a past date, median", "server.plan_page_as_of.median_ms", "ms"),
    Target("Board-membership API, median", "server.membership_api.median_ms", "ms"),
    Target("Board-membership API, p95", "server.membership_api.p95_ms", "ms"),
    Target("Trivial endpoint (/healthz), 2 workers", "load.trivial.requests_per_s", "req/s"),
    Target("Static file, 2 workers (lower ceiling)", "load.static.requests_per_s", "req/s"),
    Target("Evidence API, 2 workers", "load.evidence_api.requests_per_s", "req/s"),
    Target("Evidence API throughput / trivial endpoint's", "load.evidence_share_of_trivial", "", 0.30, below=False),
    Target("Evidence API median, 1M / 100k participations", _ratio("scales.large.evidence_api.median_ms",
                                                                   "scales.small.evidence_api.median_ms"), "x", 1.5),
    Target("  at 1M participations", "scales.large.evidence_api.median_ms", "ms"),
    Target("  at 100k participations", "scales.small.evidence_api.median_ms", "ms"),
    Target("Plan evidence page median, 1M / 100k participations", _ratio("scales.large.plan_page.median_ms",
                                                                         "scales.small.plan_page.median_ms"), "x", 1.5),
    Target("  at 1M participations", "scales.large.plan_page.median_ms", "ms"),
    Target("  at 100k participations", "scales.small.plan_page.median_ms", "ms"),
    Target("Recording an event (API, summary upkeep), median", "server.record_event_api.median_ms", "ms", 20),
    Target("Recording an event, p95", "server.record_event_api.p95_ms", "ms"),
    Target("Export of all participations, peak memory", "export.peak_rss_mb", "MB", 200),
    Target("Export of all participations, rows a second", "export.streaming_rows_per_s", "rows/s", 100_000,
           below=False),
    Target("  the same, whole command with its start-up", "export.rows_per_s", "rows/s"),
    Target("Export of all participations, time (whole command)", "export.seconds", "s"),
]


def evaluate(results: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """Each target with every backend's figure and verdict."""
    rows = []
    for target in TARGETS:
        row: dict[str, Any] = {"figure": target.label.strip(), "unit": target.unit, "target": target.shown()}
        for backend in BACKENDS:
            if backend in results:
                value = target.value(results[backend])
                row[backend] = {"value": value, "verdict": target.verdict(backend, value)}
        rows.append(row)
    return rows


def _cell(entry: dict[str, Any] | None) -> str:
    if entry is None:
        return "skipped"
    value = entry["value"]
    text = "—" if value is None else (f"{value:,.0f}" if abs(value) >= 1000 else f"{value:g}")
    return f"{text} {entry['verdict']}".strip()


def table(rows: list[dict[str, Any]], labels: list[str]) -> str:
    """The figures as a plain-text table."""
    lines = [("Figure", "Target", "SQLite", "PostgreSQL")]
    for target, row in zip(TARGETS, rows, strict=True):
        lines.append((target.label, row["target"], _cell(row.get("sqlite")), _cell(row.get("postgresql"))))
    widths = [max(len(line[i]) for line in lines) for i in range(4)]
    out = [" | ".join(text.ljust(width) for text, width in zip(line, widths, strict=True)) for line in lines]
    out.insert(1, "-+-".join("-" * width for width in widths))
    return "\n".join([*labels, *out])


def machine(postgres_version: str | None) -> dict[str, Any]:
    """The machine and software the figures were measured on."""
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    memory_kb = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                     if line.startswith("MemTotal"))
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,  # noqa: S607
                            text=True).stdout.strip()
    return {"cpu": cpu, "cores": os.cpu_count(), "ram_gib": round(memory_kb / 1024 ** 2, 1),
            "python": platform.python_version(), "sqlite": sqlite3.sqlite_version, "postgresql": postgres_version,
            "platform": platform.platform(), "git_commit": commit or None}


def write(path: Path, document: dict[str, Any]) -> None:
    """Write the run's JSON."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document, indent=2) + "\n")
