"""Throughput under concurrent load: the production server (gunicorn, `tracker.wsgi:app`, two sync workers, as
`make serve` runs it) on loopback, driven by benchmarks/loadgen.py in its own process."""
from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from benchmarks.databases import ROOT, Database

GUNICORN = str(Path(sys.executable).with_name("gunicorn"))
WORKERS = 2
# The health check: the cheapest route of the app itself (it answers after one SELECT 1).
TRIVIAL = "/healthz"
STATIC = "/static/css/tracker.css"  # a static file served by the app: an even lower ceiling, for comparison


def free_port() -> int:
    """A port nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def gunicorn(database: Database, log: Path) -> Iterator[str]:
    """Serve the app on the database with WORKERS sync workers; yields its base URL, stops it afterwards."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with log.open("w") as output:
        server = subprocess.Popen(  # noqa: S603 - the project's own server
            [GUNICORN, "--workers", str(WORKERS), "--bind", f"127.0.0.1:{port}", "--timeout", "120",
             "tracker.wsgi:app"], cwd=ROOT, env=database.env(), stdout=output, stderr=subprocess.STDOUT,
            start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(base + TRIVIAL, timeout=5) as answer:  # noqa: S310 - our own loopback server
                    if answer.status == 200:
                        break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"gunicorn did not start; see {log}") from None
                time.sleep(0.2)
        yield base
    finally:
        os.killpg(server.pid, signal.SIGTERM)  # the group this benchmark started: gunicorn and its workers
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def drive(base: str, paths: list[str], headers: dict[str, str], concurrency: int, seconds: float,
          warm_up: float) -> dict[str, Any]:
    """Run the load generator against the server; its JSON result."""
    spec = {"base": base, "paths": paths, "headers": headers, "concurrency": concurrency, "seconds": seconds,
            "warm_up": warm_up}
    command = [sys.executable, "-m", "benchmarks.loadgen", json.dumps(spec)]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=True)  # noqa: S603 - ours
    return json.loads(done.stdout)


def throughput(database: Database, token: str, boards: list[str], work: Path, concurrency: int,
               seconds: float, warm_up: float, rounds: int = 3) -> dict[str, Any]:
    """Requests a second of the plan evidence API (every plan in turn) beside the trivial endpoints', each run in
    `rounds` parts taken in turn, so that a change in the machine's load falls on all of them alike."""
    bearer = {"Authorization": f"Bearer {token}"}
    runs = {"trivial": ([TRIVIAL], {}), "static": ([STATIC], {}),
            "evidence_api": ([f"/api/v1/plans/{code}/2015-16/evidence" for code in boards], bearer)}
    parts: dict[str, list[dict[str, Any]]] = {name: [] for name in runs}
    with gunicorn(database, work / f"gunicorn-{database.backend}.log") as base:
        for _ in range(rounds):
            for name, (paths, headers) in runs.items():
                parts[name].append(drive(base, paths, headers, concurrency, seconds / rounds, warm_up))
    results: dict[str, Any] = {}
    for name, done in parts.items():
        requests = sum(part["requests"] for part in done)
        results[name] = {"requests": requests, "seconds": seconds, "requests_per_s": round(requests / seconds, 1),
                         "failures": sum(sum(part["failures"].values()) for part in done),
                         "latency_median_ms": sorted(part["latency_median_ms"] or 0 for part in done)[rounds // 2],
                         "rounds": done}
    trivial = results["trivial"]["requests_per_s"]
    results["evidence_share_of_trivial"] = round(results["evidence_api"]["requests_per_s"] / trivial, 3) \
        if trivial else None
    results.update(workers=WORKERS, concurrency=concurrency, trivial_path=TRIVIAL, static_path=STATIC)
    return results
