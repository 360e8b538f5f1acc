"""`make bench`: the national-scale benchmarks of issue 9 on SQLite and PostgreSQL, printed beside their targets.

    python benchmarks/run.py [--backends sqlite,postgresql] [--scale 1.0] [--small-events 0.1] [--keep]
                             [--only-server]

For each backend: a fresh database loaded with the national data set through the import CLI (timed); server-side
times of the national overview, a plan's evidence page and the APIs; throughput of the evidence API under load
against gunicorn beside a trivial endpoint's; the export of every participation; the same plan's pages on the
same data set with a tenth of the events (the same providers, boards, concerns and assessments: does a read's
cost grow with events?), their requests in turn with the national database's; and last, recording events
through the API.
PostgreSQL is skipped, with the reason, only when it does not answer. Writes benchmarks/results/latest.json
(and a copy named by the time of the run).
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a script: import benchmarks.*

import sqlalchemy as sa  # noqa: E402

from benchmarks import databases, report  # noqa: E402
from benchmarks.datasets import DATA, ROOT, dataset  # noqa: E402
from benchmarks.export_bench import export  # noqa: E402
from benchmarks.load import throughput  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results"
ASSURER, BOARD_USER = "bench-assurer@example.org", "bench-board@example.org"
STARTED = time.perf_counter()


def say(message: str) -> None:
    """Progress, with the time since the start."""
    print(f"[{time.perf_counter() - STARTED:6.0f} s] {message}", flush=True)


def server_side(database: databases.Database, spec: dict[str, Any]) -> dict[str, Any]:
    """Run benchmarks/server_side.py in the database's environment; its figures."""
    command = [sys.executable, "-m", "benchmarks.server_side", json.dumps(spec)]
    done = subprocess.run(command, cwd=ROOT, env=database.env(), capture_output=True, text=True)  # noqa: S603
    if done.returncode != 0:
        raise RuntimeError(f"server-side measurements failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def bench_backend(backend: str, args: argparse.Namespace, work: Path, postgres_url: str | None) -> dict[str, Any]:
    """Every figure of one backend."""
    results: dict[str, Any] = {}
    folder, counts = dataset(args.scale)
    made: list[databases.Database] = []
    try:
        database = databases.create(backend, work, f"scale-{args.scale:g}", postgres_url)
        made.append(database)
        say(f"{backend}: importing the data set at scale {args.scale:g} ({counts['participations']:,} participations)")
        results["import"] = databases.load(database, folder)
        say(f"{backend}: imported in {results['import']['total_s']} s; measuring server-side times")
        token = databases.create_actor(database, ASSURER, "assurer")
        hwb, providers, boards = databases.busiest_plan(database)
        hwb_token = databases.create_actor(database, BOARD_USER, "hwb", "--hwb", hwb)
        spec = {"hwb": hwb, "assurer_email": ASSURER, "token": token, "hwb_token": hwb_token,
                "providers": providers, "page_samples": args.page_samples, "api_samples": args.api_samples}
        results["plan"] = hwb
        results["server"] = server_side(database, spec)
        if args.only_server:
            return results
        say(f"{backend}: throughput under load ({args.load_seconds:g} s an endpoint, in 3 rounds taken in turn)")
        results["load"] = throughput(database, token, boards, work, args.concurrency, args.load_seconds, 2)
        say(f"{backend}: exporting every participation")
        results["export"] = export(database, work / f"{backend}-participations.csv")
        small = databases.create(backend, work, f"events-{args.small_events:g}", postgres_url)
        made.append(small)
        small_folder, small_counts = dataset(args.scale, events_scale=args.small_events)
        say(f"{backend}: the same plan with events at scale {args.small_events:g} ({small_counts['participations']:,} "
            "participations), its requests in turn with the national one's")
        results["small_import"] = databases.load(small, small_folder)
        targets = {"large": {"url": database.url, "instance": str(database.instance), "token": token},
                   "small": {"url": small.url, "instance": str(small.instance),
                             "token": databases.create_actor(small, ASSURER, "assurer")}}
        results["scales"] = server_side(database, {**spec, "databases": targets})
        say(f"{backend}: recording events through the API")
        results["server"].update(server_side(database, {**spec, "reads": False, "record": args.record_samples}))
    finally:
        if not args.keep:
            for made_database in made:
                made_database.drop()
    return results


def postgres_version(url: str) -> str:
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        version = conn.execute(sa.text("SHOW server_version")).scalar_one()
    engine.dispose()
    return version


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--small-events", type=float, default=0.1,
                        help="the events' scale of the data set the national one is compared with")
    parser.add_argument("--page-samples", type=int, default=30)
    parser.add_argument("--api-samples", type=int, default=200)
    parser.add_argument("--record-samples", type=int, default=200)
    parser.add_argument("--load-seconds", type=float, default=15)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--keep", action="store_true", help="keep the databases (SQLite files, PostgreSQL DBs)")
    parser.add_argument("--only-server", action="store_true",
                        help="the import and the server-side times only: no load, export or smaller data set")
    args = parser.parse_args()
    work = DATA / "work"
    work.mkdir(parents=True, exist_ok=True)
    postgres_url, why_not = databases.postgres_server()
    machine = report.machine(postgres_version(postgres_url) if postgres_url else None)
    load_before = os.getloadavg()
    results: dict[str, Any] = {}
    skipped: dict[str, str] = {}
    for backend in args.backends.split(","):
        if backend == "postgresql" and postgres_url is None:
            skipped[backend] = why_not
            say(f"Skipping PostgreSQL: {why_not}. Start it, or set BENCH_POSTGRES_URL, to measure it too.")
            continue
        results[backend] = bench_backend(backend, args, work, postgres_url)
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    rows = report.evaluate(results)
    machine.update(load_average_before=load_before, load_average_after=os.getloadavg())
    labels = [f"Machine: {machine['cpu']}, {machine['cores']} cores, {machine['ram_gib']} GiB; Python "
              f"{machine['python']}, SQLite {machine['sqlite']}, PostgreSQL {machine['postgresql'] or '-'}; "
              f"load average before {load_before[0]:.1f}, after {machine['load_average_after'][0]:.1f}",
              f"Data: scale {args.scale:g} (compared with its events at {args.small_events:g}); plan pages on the "
              "busiest plan "
              f"({', '.join(backend + ': ' + str(found.get('plan')) for backend, found in results.items())})",
              "Server-side times are measured in-process (Flask test client, perf_counter per request).", ""]
    print()
    print(report.table(rows, labels))
    for backend, reason in skipped.items():
        print(f"\n{backend} skipped: {reason}")
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    document = {"run_at": stamp, "seconds": round(time.perf_counter() - STARTED), "machine": machine,
                "method": report.METHOD, "scale": args.scale, "small_events": args.small_events,
                "skipped": skipped, "targets": rows, "results": results}
    report.write(RESULTS / "latest.json", document)
    report.write(RESULTS / f"{stamp}.json", document)
    say(f"Written {(RESULTS / 'latest.json').relative_to(ROOT)}")


if __name__ == "__main__":
    main()
