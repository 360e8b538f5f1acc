"""Concurrent clients: many threads recording events through POST /api/v1/plans/{hwb}/{year}/events and, as a
browser does, through the pages' record-event forms (tests/reliability/browser.py).

Every answer is kept, so the tests can hold the database to what the clients were told. Some API requests carry
an Idempotency-Key and are sent twice, one after the other (a client that retries after a lost answer) or at the
same moment from two threads (a client that retries too eagerly); some forms are sent twice in the same ways (a
resend, a double click), with the one-time submission token their page gave.
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

from tests.reliability.browser import Browser, Browsers, FormAnswer, PageFailed, form_path
from tests.reliability.harness import YEAR, Caller, World

KINDS = ("board_meeting", "workshop", "meeting", "consultation", "written_submission", "data_sharing", "other")
TOPICS = ("schemes", "acute_impact", "risk_sharing", "workforce", "seven_day_services", "data_sharing",
          "transition", "metrics")
SUMMARIES = ("Workshop on admission avoidance — 7-day discharge", "Données partagées: NHS number «pilot»",
             "<b>Joint</b> review & sign-off of the £ pooled budget", "Care homes\tand housing:\nnext steps")
# Share of each mode: plain (no key), keyed (sent once), retried (sent twice in turn), concurrent (twice at once).
MODES = (("plain", 0.80), ("keyed", 0.05), ("retried", 0.10), ("concurrent", 0.05))
# The accounts that also use the forms (a board, an acute trust and the ambulance trust serving every board).
FORM_CALLERS = ("hwb-E06000101", "provider-RA1", "provider-RS1")


@dataclass(frozen=True)
class Job:
    """One event to record: through the API (with an Idempotency-Key or not), or through the caller's form."""

    index: int
    caller: Caller
    hwb: str
    path: str
    body: dict
    key: str | None
    mode: str
    channel: str = "api"  # or "form"

    @property
    def token(self) -> str:
        return self.caller.token

    @property
    def retry_safe(self) -> bool:
        """Whether it may be sent again after a cut-off answer: with a key, or as a form (its submission token)."""
        return self.key is not None or self.channel == "form"


@dataclass(frozen=True)
class Answer:
    job: int
    status: int  # 0 when no answer came (connection refused or cut)
    ref: str | None  # the event recorded, when the answer acknowledged the write (a 201, or a form's redirect)
    replayed: bool
    text: str = ""

    @property
    def acked(self) -> bool:
        return self.ref is not None


@dataclass
class LoadResult:
    jobs: list[Job]
    answers: list[Answer] = field(default_factory=list)
    unanswered: set[int] = field(default_factory=set)  # jobs with no answer at all, outcome unknown to the client
    elapsed: float = 0.0
    requests: int = 0  # API requests and form posts sent, retries included
    page_requests: int = 0  # the forms' other requests: sign-in, opening the form, following its redirect
    sign_ins: int = 0
    form_keys: dict[int, str] = field(default_factory=dict)  # form job -> the submission token its page gave

    def acknowledged(self) -> dict[str, Answer]:
        """Every acknowledging answer by event ref (the last one seen for a ref)."""
        return {a.ref: a for a in self.answers if a.acked}

    def refs_of(self, job: int) -> set[str]:
        return {a.ref for a in self.answers if a.job == job and a.acked}

    def keys_match(self, job: Job, keys: list[str]) -> bool:
        """Whether the idempotency rows kept for the job's event are the ones it should have: its Idempotency-Key
        (none without), or for a form the one submission token its page gave (under the app's own key prefix), kept
        once by token and once by what the form recorded (tracker/web/submissions.py, `same_as`)."""
        if job.channel == "form":
            token = self.form_keys[job.index]
            return len(keys) == 2 and all(key.endswith(token) for key in keys) and \
                sum(":same:" in key for key in keys) == 1
        return keys == ([job.key] if job.key else [])


def make_jobs(world: World, total: int, seed: int, modes: tuple[tuple[str, float], ...] = MODES,
              forms: float = 0.0) -> list[Job]:
    """`total` distinct events spread over every caller and plan, reproducibly from `seed`; about `forms` of them
    (a share) go through the record-event forms of the FORM_CALLERS' workspaces."""
    rng = random.Random(seed)
    names, weights = zip(*modes, strict=True)
    form_odds = min(1.0, forms * len(world.callers) / len(FORM_CALLERS))
    jobs: list[Job] = []
    for index in range(total):
        caller = world.callers[index % len(world.callers)]
        channel = "form" if caller.name in FORM_CALLERS and rng.random() < form_odds else "api"
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
            # A provider states leadership for its own organisation only (the others' is theirs to state).
            "participations": [{"provider_code": p, "leadership": rng.random() < 0.3 and (
                caller.own_provider in (None, p))} for p in named],
        }
        mode = rng.choices(names, weights)[0]
        if channel == "form":
            jobs.append(Job(index, caller, hwb, form_path(caller, hwb), body, None, mode, channel))
            continue
        key = None if mode == "plain" else f"load-{seed}-{index}-{uuid.uuid4().hex}"
        jobs.append(Job(index, caller, hwb, f"/api/v1/plans/{hwb}/{YEAR}/events", body, key, mode))
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
        browsers = Browsers(self.base_url, self.retry_until, self._count_page_request)
        with httpx.Client(base_url=self.base_url, timeout=60) as client:
            while True:
                try:
                    job = self._queue.get_nowait()
                except queue.Empty:
                    browsers.close()
                    return
                if job.channel == "form":
                    self._form_job(browsers(job.caller), job)
                elif job.mode == "concurrent":
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

    def _count_page_request(self) -> None:
        with self._lock:
            self.result.page_requests += 1

    def _form_job(self, browser: Browser, job: Job) -> None:
        """Open the form, post it (twice for a resend or a double click), follow each redirect."""
        try:
            if not browser.signed_in:
                with self._lock:
                    self.result.sign_ins += 1
            hidden = browser.open_event_form(job.hwb)
            with self._lock:
                self.result.form_keys[job.index] = hidden["submission"]
            if job.mode == "concurrent":
                tab = browser.twin()
                barrier = threading.Barrier(2)
                twin = threading.Thread(target=self._post_form, args=(tab, job, hidden, barrier))
                twin.start()
                self._post_form(browser, job, hidden, barrier)
                twin.join()
                tab.close()
            else:
                for _ in range(2 if job.mode == "retried" else 1):
                    self._post_form(browser, job, hidden)
        except PageFailed as failed:
            self._answer(job, FormAnswer(failed.status, None, False, f"{failed}\n{failed.text}"))
        except httpx.TransportError:
            with self._lock:
                self.result.unanswered.add(job.index)
            self._answer(job, FormAnswer(0, None, False, "no answer (opening the form)"))

    def _post_form(self, browser: Browser, job: Job, hidden: dict[str, str],
                   barrier: threading.Barrier | None = None) -> None:
        if barrier is not None:
            barrier.wait()
        with self._lock:
            self.result.requests += 1
        try:
            self._answer(job, browser.send_event_form(job.hwb, job.body, hidden))
        except PageFailed as failed:
            self._answer(job, FormAnswer(failed.status, None, False, f"{failed}\n{failed.text}"))
        except httpx.TransportError:  # given up: only without retry_until, and then its outcome is unknown
            with self._lock:
                self.result.unanswered.add(job.index)
            self._answer(job, FormAnswer(0, None, False, "no answer"))

    def _answer(self, job: Job, answer: FormAnswer) -> None:
        with self._lock:
            self.result.answers.append(Answer(job.index, answer.status, answer.ref, answer.replayed, answer.text))
            self.acked += answer.ref is not None

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
                safe = isinstance(exc, httpx.ConnectError) or job.retry_safe
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
