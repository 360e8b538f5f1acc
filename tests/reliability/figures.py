"""The figures of the last run (writes under load, kills survived, inputs tried), kept for the README.

Printed at the end of the pytest session, and written to test-results/reliability.json (ignored by git; any
pytest session with pytest-playwright empties that folder when it starts).
"""
from __future__ import annotations

import json
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

PATH = Path(__file__).resolve().parents[2] / "test-results" / "reliability.json"
_lock = threading.Lock()
THIS_RUN: dict[str, dict[str, Any]] = {}  # printed at the end of the session by conftest.py


def record(section: str, figures: dict[str, Any]) -> None:
    """Keep these figures under `section`, with the time of the run."""
    with _lock:
        THIS_RUN[section] = figures
        PATH.parent.mkdir(parents=True, exist_ok=True)
        try:
            data = json.loads(PATH.read_text())
        except (OSError, ValueError):
            data = {}
        data[section] = {**figures, "at": datetime.now(UTC).isoformat(timespec="seconds")}
        PATH.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n")
