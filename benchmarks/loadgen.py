"""A small closed-loop HTTP load generator for loopback: CONCURRENCY threads, each sending one GET after another.

    python -m benchmarks.loadgen SPEC_JSON   (run by benchmarks/load.py; prints one JSON object)

SPEC: base (http://127.0.0.1:PORT), paths (sent in turn), headers, concurrency, warm_up and seconds. Requests
during the warm-up are not counted. A new connection per request, as gunicorn's sync workers close each one.
"""
from __future__ import annotations

import http.client
import itertools
import json
import sys
import threading
import time
from typing import Any
from urllib.parse import urlsplit


def run(spec: dict[str, Any]) -> dict[str, Any]:
    """Drive the server for warm_up + seconds; throughput and latencies of the counted part."""
    target = urlsplit(spec["base"])
    paths, headers = spec["paths"], spec.get("headers", {})
    turn = itertools.count()
    start = time.perf_counter()
    counting_from = start + spec["warm_up"]
    until = counting_from + spec["seconds"]
    latencies: list[float] = []
    failures: dict[str, int] = {}
    lock = threading.Lock()

    def client() -> None:
        while True:
            sent = time.perf_counter()
            if sent >= until:
                return
            path = paths[next(turn) % len(paths)]
            try:
                connection = http.client.HTTPConnection(target.hostname, target.port, timeout=60)
                connection.request("GET", path, headers=headers)
                response = connection.getresponse()
                response.read()
                connection.close()
                outcome = None if response.status == 200 else str(response.status)
            except OSError as error:
                outcome = type(error).__name__
            done = time.perf_counter()
            if sent >= counting_from and done <= until:
                with lock:
                    if outcome is None:
                        latencies.append((done - sent) * 1000)
                    else:
                        failures[outcome] = failures.get(outcome, 0) + 1

    threads = [threading.Thread(target=client) for _ in range(spec["concurrency"])]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    latencies.sort()
    return {"requests": len(latencies), "failures": failures, "seconds": spec["seconds"],
            "requests_per_s": round(len(latencies) / spec["seconds"], 1),
            "latency_median_ms": round(latencies[len(latencies) // 2], 2) if latencies else None,
            "latency_p95_ms": round(latencies[int(len(latencies) * 0.95)], 2) if latencies else None,
            "concurrency": spec["concurrency"]}


if __name__ == "__main__":
    print(json.dumps(run(json.loads(sys.argv[1]))))
