"""The benchmark data sets: generated once by benchmarks/generate.py into benchmarks/data/ (kept out of git)."""
from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "benchmarks" / "data"
GENERATOR = ROOT / "benchmarks" / "generate.py"
SEED = 2014
# The import order of README.md: each file refers only to what an earlier one made.
KINDS = ("hwbs", "providers", "plans", "board-members", "events", "concerns", "impact-assessments")


def dataset(scale: float, seed: int = SEED, events_scale: float | None = None) -> tuple[Path, dict[str, int]]:
    """The folder of the data set at this scale, its events at `events_scale` if given (generating it when missing
    or made by another generator), and its row counts."""
    events = "" if events_scale is None else f"-events-{events_scale:g}"
    folder = DATA / f"scale-{scale:g}{events}-seed-{seed}"
    stamp = folder / "dataset.json"
    version = hashlib.sha256(GENERATOR.read_bytes()).hexdigest()[:16]
    if stamp.exists():
        made = json.loads(stamp.read_text())
        if made.get("generator") == version and all((folder / f"{kind}.csv").exists() for kind in KINDS):
            return folder, made["counts"]
    print(f"Generating the data set at scale {scale:g}{events} into {folder.relative_to(ROOT)} ...", flush=True)
    command = [sys.executable, str(GENERATOR), str(folder), "--scale", str(scale), "--seed", str(seed),
               *(["--events-scale", str(events_scale)] if events_scale is not None else [])]
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout  # noqa: S603 - our script
    counts = {kind: int(number.replace(",", "")) for kind, number in
              (line.split(": ") for line in output.splitlines() if ": " in line)}
    stamp.write_text(json.dumps({"generator": version, "scale": scale, "events_scale": events_scale, "seed": seed,
                                  "counts": counts}, indent=1))
    return folder, counts
