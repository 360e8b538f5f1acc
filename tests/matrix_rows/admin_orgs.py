"""Access rows of organisations and imports in the browser (admins only). extend_world adds a refused import job.

POSTs here are incomplete or refused (shown again with their errors, nothing written: 400), or answered with a
redirect that changes nothing (303): no import worker starts.
"""
from __future__ import annotations

from typing import Any

from tests.matrix_rows import Case, only
from tracker.models import ImportJob
from tracker.web.extensions import db

ADMIN = only({"admin"})
REFUSED = only({"admin"}, code=400)
REDIRECT = only({"admin"}, code=303)
MISSING = only({"admin"}, code=404)

ROWS: dict[str, list[Case]] = {
    "admin.organisations_list": [Case("GET", "/admin/organisations", ADMIN),
                                 Case("GET", "/admin/organisations?q=RIN&page=2", ADMIN)],
    "admin.new_provider": [Case("GET", "/admin/organisations/providers/new", ADMIN),
                           Case("POST", "/admin/organisations/providers/new", REFUSED, data={"submission": "x"})],
    "admin.edit_provider": [
        Case("GET", "/admin/organisations/providers/{provider_id}", ADMIN),
        Case("POST", "/admin/organisations/providers/{provider_id}", REFUSED, data={"code_kind": "ods", "code": ""}),
        Case("GET", "/admin/organisations/providers/999999", MISSING),
    ],
    "admin.close_provider": [Case("POST", "/admin/organisations/providers/{provider_id}/close", REFUSED)],
    "admin.reopen_provider": [Case("POST", "/admin/organisations/providers/{provider_id}/reopen", REDIRECT)],
    "admin.boards": [Case("GET", "/admin/organisations/boards", ADMIN)],
    "admin.edit_board": [
        Case("GET", "/admin/organisations/boards/{hwb_out}", ADMIN),
        Case("POST", "/admin/organisations/boards/{hwb_in}", REFUSED, data={"name": "", "region": "north"}),
        Case("GET", "/admin/organisations/boards/E06999999", MISSING),
    ],
    "admin.imports": [Case("GET", "/admin/imports", ADMIN), Case("POST", "/admin/imports", REFUSED, data={})],
    "admin.import_job": [Case("GET", "/admin/imports/{import_job}", ADMIN),
                         Case("GET", "/admin/imports/999999", MISSING)],
    "admin.confirm_import": [Case("POST", "/admin/imports/{import_job}/confirm", REDIRECT)],
    "admin.import_template": [Case("GET", "/admin/imports/templates/events.csv", ADMIN),
                              Case("GET", "/admin/imports/templates/nothing.csv", MISSING)],
}


def extend_world(world: dict[str, Any]) -> dict[str, Any]:
    """A job whose file was refused (so confirming it changes nothing), and the inside provider's id."""
    job = ImportJob(kind="hwbs", filename="bad.csv", content=b"nope\n", overwrite=False, status="failed",
                    rows_total=0, rows_done=0, error_count=1, errors=["line 1: the header is wrong"],
                    created_by_id=world["users"]["admin"].id)
    db.session.add(job)
    db.session.flush()
    return {"import_job": job.id, "provider_id": world["providers"]["in"].id}
