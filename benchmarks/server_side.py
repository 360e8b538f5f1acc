"""Server-side request times, measured in-process: the real app on the real database, through Flask's test client.

    python -m benchmarks.server_side SPEC_JSON   (run by benchmarks/run.py, in the database's environment)

With spec["databases"], the same plan's pages on several databases, their requests taken in turn (compare).
spec["as_of"] is the past date of the evidence as at a date (AS_OF when not given).
Each request is timed with time.perf_counter() around the whole request (routing, access checks, queries,
templates, JSON) after a warm-up; no network and no server in between. Prints one JSON object.
"""
from __future__ import annotations

import json
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

from flask.testing import FlaskClient
from werkzeug.test import TestResponse

WARM_UP = 5
AS_OF = "2015-12-31"  # a past date after every event of the data set: its whole history counts


def summary(samples_ms: list[float]) -> dict[str, float]:
    """Median, 95th percentile (nearest rank), mean, min and max of the samples, in milliseconds."""
    ordered = sorted(samples_ms)
    rank = max(0, min(len(ordered) - 1, round(0.95 * len(ordered) + 0.5) - 1))
    return {"n": len(ordered), "median_ms": round(statistics.median(ordered), 2), "p95_ms": round(ordered[rank], 2),
            "mean_ms": round(statistics.fmean(ordered), 2), "min_ms": round(ordered[0], 2),
            "max_ms": round(ordered[-1], 2)}


def interleaved(sends: dict[str, Callable[[int], TestResponse]], samples: int,
                status: int = 200) -> dict[str, dict[str, float]]:
    """Time `samples` requests of each kind after a warm-up, taking the kinds in turn (so that a change in the
    machine's load falls on all of them alike); every answer must have the status."""
    taken: dict[str, list[float]] = {name: [] for name in sends}
    for n in range(WARM_UP + samples):
        for name, send in sends.items():
            started = time.perf_counter()
            response = send(n)
            elapsed = (time.perf_counter() - started) * 1000
            if response.status_code != status:
                raise RuntimeError(f"{response.request.path} answered {response.status_code}: {response.text[:300]}")
            if n >= WARM_UP:
                taken[name].append(elapsed)
    return {name: summary(samples_ms) for name, samples_ms in taken.items()}


def timed(send: Callable[[int], TestResponse], samples: int, status: int = 200) -> dict[str, float]:
    """Time `samples` requests after a warm-up; every answer must have the status."""
    return interleaved({"only": send}, samples, status)["only"]


HTTPS = "https://localhost"  # production session cookies are secure: the client speaks https


def signed_in_client(app: Any, email: str) -> FlaskClient:
    """A test client with the user's session, as after signing in."""
    import sqlalchemy as sa

    from tracker.models import User
    from tracker.web.extensions import db

    with app.app_context():
        user = db.session.scalar(sa.select(User).where(User.email == email))
        session_id = user.get_id()
    client = app.test_client()
    with client.session_transaction(base_url=HTTPS) as session:
        session["_user_id"] = session_id
        session["_fresh"] = True
    return client


def event_body(n: int, providers: list[str]) -> dict[str, Any]:
    """The n-th event a board records through the API (a realistic one: two or three providers)."""
    return {"date": "2015-01-15", "kind": "meeting", "depth": 1 + n % 5, "topics": ["schemes", "acute_impact"],
            "summary": f"Benchmark meeting {n}", "participations": [
                {"provider_code": code, "leadership": i == 0} for i, code in enumerate(providers[:2 + n % 2])]}


def measure(spec: dict[str, Any]) -> dict[str, Any]:
    """The reads (unless spec["reads"] is false) and, when spec["record"] > 0, recording that many events."""
    from tracker import create_app

    app = create_app()
    plan = f"/api/v1/plans/{spec['hwb']}/2015-16"
    client = signed_in_client(app, spec["assurer_email"])
    reader = {"Authorization": f"Bearer {spec['token']}"}

    def get(path: str, headers: dict[str, str] | None = None) -> TestResponse:
        return client.get(path, base_url=HTTPS, headers=headers)

    past = spec.get("as_of", AS_OF)
    reads = {
        "overview_page": (lambda n: get("/assurance/"), spec["page_samples"]),
        "plan_page": (lambda n: get(f"/assurance/plans/{spec['hwb']}/2015-16"), spec["page_samples"]),
        "evidence_api": (lambda n: get(f"{plan}/evidence", reader), spec["api_samples"]),
        # Evidence as at a past date reads the records and their history, not the summaries.
        "evidence_api_as_of": (lambda n: get(f"{plan}/evidence?as_of={past}", reader), spec["api_samples"]),
        "plan_page_as_of": (lambda n: get(f"/assurance/plans/{spec['hwb']}/2015-16?as_of={past}"),
                            spec["page_samples"]),
        "membership_api": (lambda n: get("/api/v1/statistics/board-membership?as_of=2015-01-01", reader),
                           spec["api_samples"]),
    }
    results = {name: timed(send, samples) for name, (send, samples) in reads.items()} if spec.get("reads", True) \
        else {}
    if spec.get("record"):
        board = {"Authorization": f"Bearer {spec['hwb_token']}"}
        results["record_event_api"] = timed(lambda n: client.post(
            f"{plan}/events", base_url=HTTPS, json=event_body(n, spec["providers"]), headers=board),
            spec["record"], status=201)
    return results


def compare(spec: dict[str, Any]) -> dict[str, Any]:
    """The same plan's evidence page and evidence API on several databases (spec["databases"]: label -> url,
    instance and token), their requests taken in turn in one process."""
    import os

    from tracker import create_app

    pages, calls = {}, {}
    for label, target in spec["databases"].items():
        os.environ["TRACKER_INSTANCE_PATH"] = target["instance"]
        app = create_app({"SQLALCHEMY_DATABASE_URI": target["url"]})
        client = signed_in_client(app, spec["assurer_email"])
        bearer = {"Authorization": f"Bearer {target['token']}"}
        plan = f"/api/v1/plans/{spec['hwb']}/2015-16"
        pages[label] = lambda n, c=client, path=f"/assurance/plans/{spec['hwb']}/2015-16": c.get(path, base_url=HTTPS)
        calls[label] = lambda n, c=client, h=bearer, path=f"{plan}/evidence": c.get(path, base_url=HTTPS, headers=h)
    page_times, call_times = interleaved(pages, spec["page_samples"]), interleaved(calls, spec["api_samples"])
    return {label: {"plan_page": page_times[label], "evidence_api": call_times[label]} for label in pages}


def main() -> None:
    spec = json.loads(sys.argv[1])
    print(json.dumps(compare(spec) if "databases" in spec else measure(spec)))


if __name__ == "__main__":
    main()
