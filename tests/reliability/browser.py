"""A browser-like client of the pages: it signs in through the sign-in page and records events through the
provider's and the board's record-event forms, carrying the CSRF and one-time submission tokens the pages hand
out, and follows the redirect to the event's page as a browser does.

A form post is acknowledged when it redirects to the recorded event's page (its ref is in the address). Sending
the same form again (a double click, a resend after a lost answer) must lead to the same event: the page says so.
"""
from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import httpx

from tests.reliability.harness import PASSWORD, YEAR, Caller
from tests.reliability.pages import multipart, post_form, urlencoded

EVENT_FORMS = {"provider": "/provider/plans/{hwb}/{year}/events/new", "hwb": "/board/events/new"}
EVENT_PAGE = re.compile(r"/(?:provider|board)/events/(EV-[0-9A-F]+)$")
REPLAYED = "This form was already sent"


class PageFailed(RuntimeError):
    """A page answered something a browser would show as an error (a 500, a lock error, a wrong redirect)."""

    def __init__(self, what: str, response: httpx.Response) -> None:
        super().__init__(f"{what}: {response.status_code} {response.headers.get('location', '')}")
        self.status, self.text = response.status_code, response.text[:2000]


@dataclass(frozen=True)
class FormAnswer:
    """What one form post was answered: its status, the event it led to, and whether the page said it was sent
    already."""

    status: int
    ref: str | None
    replayed: bool
    text: str = ""


def form_path(caller: Caller, hwb: str) -> str:
    """The record-event form of the caller's workspace for this board's plan."""
    return EVENT_FORMS[caller.role].format(hwb=hwb, year=YEAR)


def form_fields(caller: Caller, body: dict, hidden: dict[str, str]) -> list[tuple[str, str]]:
    """The event `body` (as the API takes it) typed into the caller's form, as a browser sends it."""
    day = date.fromisoformat(body["date"])
    pairs = [*hidden.items(), ("date[day]", str(day.day)), ("date[month]", str(day.month)),
             ("date[year]", str(day.year)), ("kind", body["kind"]), ("depth", str(body["depth"])),
             *(("topics", topic) for topic in body["topics"]), ("summary", body["summary"]), ("evidence_url", "")]
    for p in body["participations"]:
        if caller.role == "hwb":
            pairs += [("took_part", p["provider_code"])] + ([("leadership", p["provider_code"])] * p["leadership"])
        elif p["provider_code"] == caller.own_provider:
            pairs.append(("leadership", "yes" if p["leadership"] else "no"))
        else:
            pairs.append(("others", p["provider_code"]))
    return pairs


class Browser:
    """One account's browser: its own cookies (session, CSRF), signed in through the sign-in page on first use.

    `retry_until` (a monotonic time) makes it retry through outages: a refused connection always, and a request
    cut off mid-way too, since every request it sends is safe to repeat (GETs, the sign-in, and form posts that
    carry their one-time submission token). Without it a transport error is raised to the caller.
    """

    def __init__(self, base_url: str, caller: Caller, retry_until: float | None = None,
                 count: Callable[[], None] = lambda: None) -> None:
        self.caller, self.retry_until, self.count = caller, retry_until, count
        self.client = httpx.Client(base_url=base_url, timeout=60)
        self.signed_in = False

    def close(self) -> None:
        self.client.close()

    def twin(self) -> Browser:
        """A second tab of the same browser (same cookies), to send the same form at the same moment."""
        other = Browser(str(self.client.base_url), self.caller, self.retry_until, self.count)
        for cookie in self.client.cookies.jar:
            other.client.cookies.jar.set_cookie(cookie)
        other.signed_in = self.signed_in
        return other

    def request(self, method: str, url: str, **kwargs: object) -> httpx.Response:
        """Send, retrying through an outage while `retry_until` allows; every request here is safe to repeat."""
        while True:
            self.count()
            try:
                response = self.client.request(method, url, **kwargs)
            except httpx.TransportError:
                if self.retry_until is None or time.monotonic() >= self.retry_until:
                    raise
                time.sleep(0.05)
                continue
            finally:
                # The production server marks its cookies Secure (it sits behind TLS); over the loopback this
                # browser stands where the TLS proxy would, so it keeps sending them. Also after an answer cut off
                # mid-way: its headers may already have set a cookie, which the retry must send.
                for cookie in self.client.cookies.jar:
                    cookie.secure = False
            return response

    def page(self, url: str) -> httpx.Response:
        """GET a page that must answer 200."""
        response = self.request("GET", url)
        if response.status_code != 200:
            raise PageFailed(f"GET {url}", response)
        return response

    def sign_in(self) -> None:
        """Through the sign-in page: its CSRF token, the e-mail and password; success redirects home."""
        form = post_form(self.page("/sign-in").text, str(self.client.base_url) + "/sign-in")
        response = self.request("POST", "/sign-in", data={**form.hidden(), "email": self.caller.email,
                                                          "password": PASSWORD})
        if response.status_code != 302 or "/sign-in" in response.headers.get("location", "/sign-in"):
            raise PageFailed("sign in", response)
        self.signed_in = True

    def open_event_form(self, hwb: str) -> dict[str, str]:
        """Open the record-event form (signing in first if need be); its hidden fields (CSRF, submission)."""
        if not self.signed_in:
            self.sign_in()
        url = form_path(self.caller, hwb)
        form = post_form(self.page(url).text, str(self.client.base_url) + url)
        assert set(form.hidden()) >= {"csrf_token", "submission"}, form.hidden()
        return form.hidden()

    def send_event_form(self, hwb: str, body: dict, hidden: dict[str, str]) -> FormAnswer:
        """Post the form filled in with `body`, then follow the redirect to the event's page, as a browser does."""
        pairs = form_fields(self.caller, body, hidden)
        if self.caller.role == "provider":  # that form has a file input: multipart, with no file chosen
            content, content_type = multipart(pairs, [("evidence_file", "", b"")])
        else:
            content, content_type = urlencoded(pairs), "application/x-www-form-urlencoded"
        response = self.request("POST", form_path(self.caller, hwb), content=content,
                                headers={"Content-Type": content_type})
        match = EVENT_PAGE.search(response.headers.get("location", ""))
        if response.status_code != 303 or match is None:
            return FormAnswer(response.status_code, None, False, response.text[:2000])
        shown = self.page(response.headers["location"])
        if match.group(1) not in shown.text:
            raise PageFailed("the event page does not show the event's reference", shown)
        return FormAnswer(303, match.group(1), REPLAYED in shown.text)


class Browsers:
    """A client thread's browsers, one per account it has used (each signs in once, as a person would)."""

    def __init__(self, base_url: str, retry_until: float | None, count: Callable[[], None]) -> None:
        self.base_url, self.retry_until, self.count = base_url, retry_until, count
        self._open: dict[str, Browser] = {}

    def __call__(self, caller: Caller) -> Browser:
        if caller.name not in self._open:
            self._open[caller.name] = Browser(self.base_url, caller, self.retry_until, self.count)
        return self._open[caller.name]

    def close(self) -> None:
        for browser in self._open.values():
            browser.close()
