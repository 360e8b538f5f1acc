"""Exporting every participation as CSV with `flask --app tracker export participations PATH`: wall time as the
operator waits for it (process start included), the command's own time for the export (it prints it), rows a
second by each, and the process's peak memory (maximum resident set size)."""
from __future__ import annotations

import os
import re
import subprocess
import time
from pathlib import Path
from typing import Any

from benchmarks.databases import FLASK, ROOT, Database


def export(database: Database, target: Path) -> dict[str, Any]:
    """Run the export command to `target`; its figures (the file is removed afterwards)."""
    log = target.with_suffix(".log")
    with log.open("w") as messages:
        started = time.perf_counter()
        command = subprocess.Popen([*FLASK, "export", "participations", str(target)],  # noqa: S603 - our CLI
                                   cwd=ROOT, env=database.env(), stdout=subprocess.DEVNULL, stderr=messages)
        _, status, usage = os.wait4(command.pid, 0)  # this child's own resource usage, peak memory included
        seconds = time.perf_counter() - started
    command.returncode = os.waitstatus_to_exitcode(status)
    if command.returncode != 0:
        raise RuntimeError(f"the export failed: {log.read_text()[-2000:]}")
    with target.open("rb") as handle:
        rows = sum(1 for _ in handle) - 1  # less the header (no summary in this data spans lines)
    size = target.stat().st_size
    target.unlink()
    streaming = float(re.search(r"in ([0-9.]+) s", log.read_text()).group(1))
    return {"rows": rows, "seconds": round(seconds, 2), "rows_per_s": round(rows / seconds),
            "streaming_seconds": streaming, "streaming_rows_per_s": round(rows / streaming),
            "peak_rss_mb": round(usage.ru_maxrss / 1024, 1), "file_mb": round(size / 1e6, 1)}
