"""The audit walk's steps for the organisations and the imports in the browser (audit_walk.py runs them, with its
helpers): the admin adds a provider, changes it, closes and reopens it, renames a board, and uploads a file to
import, each through its page as a person would (the page opened, its form posted with its hidden fields).
"""
from __future__ import annotations

import io
import re
from typing import TYPE_CHECKING

from tests.reliability import world
from tests.reliability.pages import Form, form_for

if TYPE_CHECKING:
    from tests.reliability.audit_walk import Walk

PROVIDERS = "/admin/organisations/providers"
CODE = "VCS-WALK"


def _page_form(walk: Walk, page: str, action: str) -> Form:
    """The form posting to `action` on the admin's page."""
    response = walk.browser("admin").get(page)
    assert response.status_code == 200, (page, response.status_code)
    return form_for(response.get_data(as_text=True), action)


def _as_sent(form: Form) -> dict[str, list[str]]:
    """What the browser sends if nothing is touched, by field (a checkbox group's every ticked box)."""
    sent: dict[str, list[str]] = {}
    for name, value in form.filled():
        sent.setdefault(name, []).append(value)
    return sent


def organisations(walk: Walk) -> None:
    """A provider added, renamed, closed and reopened; a board renamed."""
    new = f"{PROVIDERS}/new"
    form = _page_form(walk, new, new)
    added = walk.change("admin", new, {**form.hidden(), "code_kind": "local", "code": CODE, "name": "Walk group",
                                       "sector": "voluntary", "footprint": [world.BOARD]},
                        ("provider_added", "provider", CODE))
    edit = re.search(r"/admin/organisations/providers/\d+", added.headers["Location"]).group(0)
    form = _page_form(walk, edit, edit)
    assert _as_sent(form)["footprint"] == [world.BOARD], form.fields["footprint"]
    walk.change("admin", edit, {**_as_sent(form), "name": "Walk group renamed"},
                ("provider_changed", "provider", CODE))
    form = _page_form(walk, edit, f"{edit}/close")
    walk.change("admin", f"{edit}/close", {**form.hidden(), "closed_on[day]": "30", "closed_on[month]": "9",
                                           "closed_on[year]": "2014"}, ("provider_closed", "provider", CODE))
    form = _page_form(walk, edit, f"{edit}/reopen")
    walk.change("admin", f"{edit}/reopen", form.hidden(), ("provider_reopened", "provider", CODE))
    board = f"/admin/organisations/boards/{world.OTHER_BOARD}"
    form = _page_form(walk, board, board)
    walk.change("admin", board, {**_as_sent(form), "name": "Renamed board"},
                ("board_changed", "hwb", world.OTHER_BOARD))


def imports(walk: Walk) -> None:
    """A boards file uploaded on the imports page. The inline worker is off for the step: the worker's progress
    and preview are its bookkeeping, and a thread of its own would commit while later steps are watched."""
    walk.app.config["IMPORT_INLINE_WORKER"] = False
    try:
        form = _page_form(walk, "/admin/imports", "/admin/imports")
        assert form.multipart, form.enctype
        walk.change("admin", "/admin/imports", {
            **form.hidden(), "kind": "hwbs", "file": (io.BytesIO(world.HWBS_CSV), "boards.csv")},
            ("import_uploaded", "import_job", lambda location: re.search(r"/imports/(\d+)", location).group(1)),
            content_type="multipart/form-data")
    finally:
        walk.app.config.pop("IMPORT_INLINE_WORKER")
