"""Snapshot the rendered pages and JSON API answers of the tracker on the demo data, to prove a refactor changed
no output: run it on the old code and on the new code, then `diff -r` the two folders.

Usage (from the root of the checkout to snapshot; that checkout's `tracker` is imported, not the installed one):

    python tools/snapshot_pages.py OUTDIR

It makes a throw-away instance folder and SQLite database, builds the app with TODAY pinned to 2026-12-02, makes
the schema with the migrations (as tests/conftest.py does) and runs `flask seed-demo`. Then, signed out and as each
demo user, it GETs the role's fixed pages (SEEDS) and crawls same-site <a href> links from them, breadth first in
sorted order, MAX_PAGES URLs per role at most (never /sign-out or static assets). Each demo user also gets an API
token (`flask create-token`) and GETs every GET path of /api/v1/openapi.json (the document itself is stored once,
signed out), path and required query parameters filled with year 2015-16, as_of TODAY and the board codes of the
user's own /plans answer (first 3) plus the demo board user's code.

Output: OUTDIR/<role>/<page|api>-<path and query, unsafe characters as _>.txt (a hash suffix when long or taken):
`STATUS <code>`, the HEADERS present, a blank line, the body. JSON is pretty-printed with sorted keys; a PDF is stored
as the text pypdf extracts; an XLSX as each zip member's text in name order; other binary bodies, and any body over
2 MB, as size and sha256. OUTDIR/index.txt: role, URL, status and sha256 of the stored file, tab-separated, sorted.

Normalised (replaced by a fixed placeholder), and nothing else:
  * CSP nonces: nonce="..." attributes and 'nonce-...' in the Content-Security-Policy header -> NONCE
  * CSRF tokens: value of inputs named csrf_token, content of <meta name="csrf-token"> -> CSRF-TOKEN
  * one-time form tokens: a 32-hex value of an input named `submission` or containing "token" -> ONE-TIME-TOKEN
  * the API tokens this script created, and their 12-character prefixes (API tokens page) -> API-TOKEN
  * on the API tokens page, the Created date of those tokens (the wall-clock day of the run) -> TOKEN-CREATED
    (a run with the timestamp columns' clock moved to another day changed nothing else)
  * XLSX docProps/core.xml dcterms:created / dcterms:modified times (set when the workbook is generated) -> GENERATED
"""
from __future__ import annotations

import hashlib
import io
import json
import os
import re
import shutil
import sys
import tempfile
import time
import zipfile
from collections import deque
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode, urljoin, urlsplit

sys.path.insert(0, os.getcwd())  # the checkout in the current directory, ahead of the editable install

TODAY, YEAR, MAX_PAGES, MAX_BYTES = "2026-12-02", "2015-16", 150, 2 * 1024 * 1024
USERS = [("signed-out", None, None),
         ("provider", "provider@demo.bcf.example", "demo-provider-2014"),
         ("hwb", "hwb@demo.bcf.example", "demo-board-2014"),
         ("assurer", "assurer@demo.bcf.example", "demo-assurer-2014"),
         ("assurer-london", "assurer.london@demo.bcf.example", "demo-london-2014"),
         ("admin", "admin@demo.bcf.example", "demo-admin-2014")]
# Fixed pages per role ({code}: each plan code the role's API /plans lists, at most 3), fetched before the crawl.
SEEDS = {
    "signed-out": ["/", "/sign-in", "/healthz"],
    "provider": ["/provider/", "/provider/plans/{code}/{year}", "/provider/plans/{code}/{year}/assessment"],
    "hwb": ["/board/", "/board/plan", "/board/events", "/board/concerns", "/board/members", "/board/export/summary"],
    "assurer": ["/assurance/", "/assurance/escalations", "/assurance/plans/{code}/{year}",
                "/assurance/plans/{code}/{year}/pack", "/assurance/plans/{code}/{year}/pack.pdf",
                "/assurance/plans/{code}/{year}/peers", "/assurance/plans/{code}/{year}/review",
                "/assurance/export.csv", "/assurance/export.xlsx"],
    "admin": ["/admin/users"],
}
SEEDS["assurer-london"] = SEEDS["assurer"]
SKIP = re.compile(r"^/(sign-out|assets/|nhsuk/|static/)")
HEADERS = ("Content-Type", "Content-Disposition", "Location", "Content-Security-Policy", "X-Pagination")
PLACEHOLDERS = {"nonce": "NONCE", "csrf": "CSRF-TOKEN", "once": "ONE-TIME-TOKEN", "api": "API-TOKEN"}


class Links(HTMLParser):
    """The href of every <a> in a page, in document order."""

    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.hrefs.append(href)


def _input_tag(match: re.Match) -> str:
    tag = match.group(0)
    name = (re.search(r'\bname="([^"]*)"', tag) or [None, ""])[1]
    value = re.search(r'\bvalue="([^"]*)"', tag)
    if not value:
        return tag
    if name == "csrf_token":
        placeholder = PLACEHOLDERS["csrf"]
    elif (name == "submission" or "token" in name) and re.fullmatch(r"[0-9a-f]{32}", value[1]):
        placeholder = PLACEHOLDERS["once"]
    else:
        return tag
    return tag[:value.start(1)] + placeholder + tag[value.end(1):]


def normalise(text: str, secrets: list[str]) -> str:
    """Replace the volatile parts listed in the module docstring; everything else is kept as it is."""
    text = re.sub(r'\bnonce="[^"]*"', f'nonce="{PLACEHOLDERS["nonce"]}"', text)
    text = re.sub(r"'nonce-[^']*'", f"'nonce-{PLACEHOLDERS['nonce']}'", text)
    text = re.sub(r"<input\b[^>]*>", _input_tag, text)
    text = re.sub(r'(<meta\b[^>]*name="csrf-token"[^>]*content=")[^"]*', rf'\g<1>{PLACEHOLDERS["csrf"]}', text)
    for secret in sorted(secrets, key=len, reverse=True):
        text = text.replace(secret, PLACEHOLDERS["api"])
    # The API tokens page's Created cell is the wall-clock date this script made the token (not the pinned TODAY).
    return re.sub(rf'(<code>{PLACEHOLDERS["api"]}…</code></td>\s*<td[^>]*>)[^<]*', r"\1TOKEN-CREATED", text)


def body_text(response) -> str:  # noqa: ANN001 - a werkzeug test response
    """The body as text to store (see the docstring for each kind)."""
    data, mimetype = response.get_data(), response.mimetype
    if len(data) > MAX_BYTES:
        return f"<body over 2 MB: {len(data)} bytes, sha256 {hashlib.sha256(data).hexdigest()}>\n"
    if mimetype == "application/json":
        return json.dumps(json.loads(data), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    if mimetype == "application/pdf":
        from pypdf import PdfReader

        pages = PdfReader(io.BytesIO(data)).pages
        return "".join(f"--- PDF page {n} ---\n{p.extract_text()}\n" for n, p in enumerate(pages, 1))
    if data[:2] == b"PK" and "spreadsheet" in mimetype:
        with zipfile.ZipFile(io.BytesIO(data)) as book:
            parts = [f"--- {name} ---\n{book.read(name).decode()}\n" for name in sorted(book.namelist())]
        return re.sub(r"(<dcterms:(created|modified)\b[^>]*>)[^<]*", r"\1GENERATED", "".join(parts))
    if mimetype.startswith("text/") or mimetype.endswith(("+json", "+xml", "/xml", "/javascript")):
        return data.decode("utf-8")
    return f"<binary {mimetype}: {len(data)} bytes, sha256 {hashlib.sha256(data).hexdigest()}>\n"


class Snapshot:
    """Writes one file per (role, URL) and remembers the index lines."""

    def __init__(self, out: Path, secrets: list[str]) -> None:
        self.out, self.secrets, self.index, self.names = out, secrets, [], set()
        self.counts: dict[tuple[str, str], int] = {}
        self.errors: list[str] = []

    def store(self, role: str, kind: str, url: str, response) -> str:  # noqa: ANN001
        """Record one answer; returns the stored body text (before normalisation) for link finding."""
        raw = body_text(response)
        headers = "".join(f"{h}: {response.headers[h]}\n" for h in HEADERS if h in response.headers)
        text = normalise(f"STATUS {response.status_code}\n{headers}\n{raw}", self.secrets)
        name = re.sub(r"[^A-Za-z0-9._=-]+", "_", url.strip("/")) or "root"
        if len(name) > 120 or (role, name) in self.names:
            name = f"{name[:100]}-{hashlib.sha256(url.encode()).hexdigest()[:12]}"
        self.names.add((role, name))
        path = self.out / role / f"{kind}-{name}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        digest = hashlib.sha256(text.encode()).hexdigest()
        self.index.append(f"{role}\t{url}\t{response.status_code}\t{digest}")
        self.counts[role, kind] = self.counts.get((role, kind), 0) + 1
        if response.status_code >= 500:
            self.errors.append(f"{role} {url} {response.status_code}")
        return raw


def same_site(base: str, href: str) -> str | None:
    """The site-relative URL (path and query, no fragment) of a link, or None for other sites and skipped paths."""
    parts = urlsplit(urljoin("http://localhost" + base, href))
    if parts.scheme not in ("http", "https") or parts.netloc != "localhost" or SKIP.match(parts.path):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def crawl(app, snap: Snapshot, role: str, email: str | None, password: str | None, codes: list[str]) -> None:  # noqa: ANN001
    """GET the role's fixed pages, then follow same-site links breadth first, in sorted order, up to MAX_PAGES."""
    client = app.test_client()
    start: list[str] = []
    if email:
        answer = client.post("/sign-in", data={"email": email, "password": password})
        if answer.status_code != 302:
            sys.exit(f"signing in as {email} answered {answer.status_code}")
        start.append(same_site("/sign-in", answer.headers["Location"]) or "/")
    start += [s.format(code=c, year=YEAR) for s in SEEDS.get(role, []) for c in (codes[:3] if "{code}" in s else [""])]
    queue, seen, fetched = deque(dict.fromkeys(start)), set(start), 0
    while queue and fetched < MAX_PAGES:
        url, fetched = queue.popleft(), fetched + 1
        response = client.get(url)
        raw = snap.store(role, "page", url, response)
        found = [response.headers["Location"]] if "Location" in response.headers else []
        if response.mimetype == "text/html":
            parser = Links()
            parser.feed(raw)
            found += parser.hrefs
        for link in sorted({u for u in (same_site(url, h) for h in found) if u} - seen):
            seen.add(link)
            queue.append(link)


def api(app, snap: Snapshot, role: str, token: str, spec: dict, extra_codes: list[str]) -> list[str]:  # noqa: ANN001
    """GET every GET path of the OpenAPI document as this role; returns the plan codes the role's /plans lists."""
    client = app.test_client()
    auth = {"Authorization": f"Bearer {token}"}
    values = {"year": YEAR, "as_of": TODAY}
    plans = client.get(f"/api/v1/plans?{urlencode({'year': YEAR})}", headers=auth).get_json()
    codes = sorted(p["hwb_code"] for p in plans) if isinstance(plans, list) else []
    for path in sorted(spec["paths"]):
        operation = spec["paths"][path].get("get")
        if not operation:
            continue
        parameters = operation.get("parameters", [])
        required = sorted(p["name"] for p in parameters if p["in"] == "query" and p.get("required"))
        query = urlencode({name: values.get(name, "") for name in required})
        for code in dict.fromkeys(codes[:3] + extra_codes) if "{hwb_code}" in path else [""]:
            url = path.replace("{hwb_code}", code).replace("{year}", YEAR) + (f"?{query}" if query else "")
            snap.store(role, "api", url, client.get(url, headers=auth))
    return codes


def main() -> None:
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    started = time.perf_counter()
    out = Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    if any(out.iterdir()):
        sys.exit(f"{out} is not empty")
    instance = tempfile.mkdtemp(prefix="tracker-snapshot-")
    for name in ("SECRET_KEY", "UPLOAD_FOLDER", "RATELIMIT_STORAGE_URI", "CONCERN_ACKNOWLEDGE_WORKING_DAYS",
                 "CONCERN_RESPONSE_WORKING_DAYS"):
        os.environ.pop(name, None)  # settings tracker/config.py reads from the environment: the defaults hold here
    os.environ.update(TRACKER_INSTANCE_PATH=instance, TRACKER_ENV="development",
                      DATABASE_URL=f"sqlite:///{instance}/tracker.sqlite")
    import tracker

    print("tracker.__file__ =", tracker.__file__)
    app = tracker.create_app({"TODAY": TODAY, "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False, "TESTING": True,
                              "SECRET_KEY": "snapshot-secret-key-not-for-production",
                              "UPLOAD_FOLDER": str(Path(instance) / "uploads")})
    with app.app_context():
        from flask_migrate import upgrade

        upgrade()
    runner = app.test_cli_runner()
    seeded = runner.invoke(args=["seed-demo"])
    if seeded.exit_code != 0:
        sys.exit(f"seed-demo failed ({seeded.exit_code}): {seeded.output}{seeded.exception!r}")
    tokens = {}
    for role, email, _ in USERS[1:]:
        made = runner.invoke(args=["create-token", email])
        if made.exit_code != 0:
            sys.exit(f"create-token {email} failed: {made.output}")
        tokens[role] = made.output.strip().splitlines()[-1].strip()
    # The API tokens page shows each token's first characters; those are as random as the tokens themselves.
    snap = Snapshot(out, [s for t in tokens.values() for s in (t, t[:12])])
    board_plans = app.test_client().get(f"/api/v1/plans?year={YEAR}",
                                        headers={"Authorization": f"Bearer {tokens['hwb']}"})
    board = [p["hwb_code"] for p in board_plans.get_json()][:1]  # the demo board's code, asked of every role
    spec = app.test_client().get("/api/v1/openapi.json")  # public: stored once, with the signed-out pages
    snap.store("signed-out", "api", "/api/v1/openapi.json", spec)
    for role, email, password in USERS:
        codes = api(app, snap, role, tokens[role], spec.get_json(), board) if email else []
        crawl(app, snap, role, email, password, codes)
    (out / "index.txt").write_text("\n".join(sorted(snap.index)) + "\n", encoding="utf-8")
    for role, _, _ in USERS:
        pages, answers = snap.counts.get((role, "page"), 0), snap.counts.get((role, "api"), 0)
        print(f"{role:15} pages {pages:3}   API answers {answers:3}")
    print("status >= 500:", ", ".join(snap.errors) or "none")
    shutil.rmtree(instance, ignore_errors=True)
    print(f"{len(snap.index)} answers in {time.perf_counter() - started:.1f} s; written to {out}")


if __name__ == "__main__":
    main()
