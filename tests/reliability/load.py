"""Concurrent API clients: many threads recording events through POST /api/v1/plans/{hwb}/{year}/events.

Every answer is kept, so the tests can hold the database to what the clients were told. Some requests carry an
Idempotency-Key and are sent twice, one after the other (a client that retries after a lost answer) or at the
same moment from two threads (a client that retries too eagerly).
"""
from __future__ import annotations

import queue
import random
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

import httpx

from tests.reliability.harness import YEAR, World

KINDS = ("board_meeting", "workshop", "meeting", "consultation", "written_submission", "data_sharing", "other")
TOPICS = ("schemes", "acute_impact", "risk_sharing", "workforce", "seven_day_services", "data_sharing",
          "transition", "metrics")
SUMMARIES = ("Workshop on admission avoidance — 7-day discharge", "Données partagées: NHS number «pilot»",
             "<b>Joint</b> review & sign-off of the £ pooled budget", "Care homes\tand housing:\nnext steps")
# Share of each mode: plain (no key), keyed (sent once), retried (sent twice in turn), concurrent (twice at once).
MODES = (("plain", 0.80), ("keyed", 0.05), ("retried", 0.10), ("concurrent", 0.05))


@dataclass(frozen=True)
class Job:
    index: int
    token: str
    path: str
    body: dict
    key: str | None
    mode: str


@dataclass(frozen=True)
class Answer:
    job: int
    status: int  # 0 when no answer came (connection refused or cut)
    ref: str | None
    replayed: bool
    text: str = ""


@dataclass
class LoadResult:
    jobs: list[Job]
    answers: list[Answer] = field(default_factory=list)
    unanswered: set[int] = field(default_factory=set)  # jobs with no answer at all, outcome unknown to the client
    elapsed: float = 0.0
    requests: int = 0
    marks: dict[str, int] = field(default_factory=dict)

    def acknowledged(self) -> dict[str, Answer]:
        """Every 201 answer by event ref (the last one seen for a ref)."""
        return {a.ref: a for a in self.answers if a.status == 201 and a.ref}

    def refs_of(self, job: int) -> set[str]:
        return {a.ref for a in self.answers if a.job == job and a.status == 201 and a.ref}


def make_jobs(world: World, total: int, seed: int, modes: tuple[tuple[str, float], ...] = MODES) -> list[Job]:
    """`total` distinct events spread over every caller and plan, reproducibly from `seed`."""
    rng = random.Random(seed)
    names, weights = zip(*modes, strict=True)
    jobs: list[Job] = []
    for index in range(total):
        caller = world.callers[index % len(world.callers)]
        hwb = rng.choice(caller.hwb_codes)
        others = [p for p in caller.providers_by_hwb[hwb] if p != caller.own_provider]
        named = rng.sample(others, k=rng.randint(0 if caller.own_provider else 1, min(2, len(others))))
        if caller.own_provider:
            named.append(caller.own_provider)
        body = {
            "date": (date(2014, 1, 1) + timedelta(days=rng.randrange(450))).isoformat(),
            "kind": rng.choice(KINDS), "depth": rng.randint(1, 5),
            "topics": rng.sample(TOPICS, k=rng.randint(1, 3)),
            "summary": f"#{index} {rng.choice(SUMMARIES)}",
            "participations": [{"provider_code": p, "leadership": rng.random() < 0.3} for p in named],
        }
        mode = rng.choices(names, weights)[0]
        key = None if mode == "plain" else f"load-{seed}-{index}-{uuid.uuid4().hex}"
        jobs.append(Job(index, caller.token, f"/api/v1/plans/{hwb}/{YEAR}/events", body, key, mode))
    return jobs


class Load:
    """Run jobs from `threads` client threads; `retry_until` makes keyed jobs retry through outages."""

    def __init__(self, base_url: str, jobs: list[Job], threads: int = 8, retry_until: float | None = None) -> None:
        self.base_url, self.threads, self.retry_until = base_url, threads, retry_until
        self.result = LoadResult(jobs=jobs)
        self._queue: queue.Queue[Job] = queue.Queue()
        for job in jobs:
            self._queue.put(job)
        self._lock = threading.Lock()
        self.done = 0
        self.acked = 0

    def run(self, controller: Callable[[Load], None] | None = None) -> LoadResult:
        """Send every job; `controller(load)` runs alongside in its own thread (to back up, or to kill)."""
        started = time.monotonic()
        workers = [threading.Thread(target=self._worker, name=f"client-{n}") for n in range(self.threads)]
        for worker in workers:
            worker.start()
        control = threading.Thread(target=controller, args=(self,), name="controller") if controller else None
        if control:
            control.start()
        for worker in workers:
            worker.join()
        if control:
            control.join()
        self.result.elapsed = time.monotonic() - started
        return self.result

    @property
    def finished(self) -> bool:
        return self.done >= len(self.result.jobs)

    def _worker(self) -> None:
        with httpx.Client(base_url=self.base_url, timeout=60) as client:
            while True:
                try:
                    job = self._queue.get_nowait()
                except queue.Empty:
                    return
                if job.mode == "concurrent":
                    barrier = threading.Barrier(2)
                    twin = threading.Thread(target=self._twin, args=(job, barrier))
                    twin.start()
                    barrier.wait()
                    self._send(client, job)
                    twin.join()
                else:
                    self._send(client, job)
                    if job.mode == "retried":
                        self._send(client, job)
                with self._lock:
                    self.done += 1

    def _twin(self, job: Job, barrier: threading.Barrier) -> None:
        with httpx.Client(base_url=self.base_url, timeout=60) as client:
            barrier.wait()
            self._send(client, job)

    def _send(self, client: httpx.Client, job: Job) -> None:
        headers = {"Authorization": f"Bearer {job.token}"}
        if job.key:
            headers["Idempotency-Key"] = job.key
        while True:
            with self._lock:
                self.result.requests += 1
            try:
                response = client.post(job.path, json=job.body, headers=headers)
            except httpx.TransportError as exc:
                # Refused: the server never saw the request, so sending it again is always safe. Cut off: the
                # write may or may not have happened, so only a request with an Idempotency-Key may be sent again.
                safe = isinstance(exc, httpx.ConnectError) or job.key is not None
                if safe and self.retry_until and time.monotonic() < self.retry_until:
                    time.sleep(0.05)
                    continue
                with self._lock:
                    self.result.unanswered.add(job.index)
                    self.result.answers.append(Answer(job.index, 0, None, False, "no answer"))
                return
            ref = None
            if response.status_code == 201:
                ref = response.json().get("event_ref")
            answer = Answer(job.index, response.status_code, ref, response.headers.get("Idempotent-Replayed") == "true",
                            "" if response.status_code == 201 else response.text[:2000])
            with self._lock:
                self.result.answers.append(answer)
                if response.status_code == 201:
                    self.acked += 1
            return
