"""Access rows of the audit trail for people (admins all of it, assurers the entries about plans in their scope,
never those about accounts) and of a person's data (subject access export and anonymising: admins only).
extend_world adds an entry about each board's plan, one about an account, and a person who has left."""
from __future__ import annotations

from typing import Any

from tests.factories import make_user
from tests.matrix_rows import Case, only
from tracker.domain import audit
from tracker.web.extensions import db

TRAIL = only({"assurer", "regional", "admin"})
ADMIN = only({"admin"})
ADMIN_404 = only({"admin"}, code=404)

ROWS: dict[str, list[Case]] = {
    "admin.audit_trail": [
        Case("GET", "/admin/audit", TRAIL),
        Case("GET", "/admin/audit?action=plan_started&date_from[day]=1&date_from[month]=4&date_from[year]=2014",
             TRAIL),
        Case("GET", "/admin/audit?date_from[day]=31&date_from[month]=2&date_from[year]=2015",
             only({"assurer", "regional", "admin"}, code=400)),
    ],
    "admin.audit_entry": [
        Case("GET", "/admin/audit/{entry_in}", {**TRAIL, "regional": 404}),
        Case("GET", "/admin/audit/{entry_out}", TRAIL),
        Case("GET", "/admin/audit/{entry_user}", {**TRAIL, "assurer": 404, "regional": 404}),
        Case("GET", "/admin/audit/999999", only({"assurer", "regional", "admin"}, code=404)),
    ],
    "admin.audit_export": [Case("GET", "/admin/audit.csv", TRAIL),
                           Case("GET", "/admin/audit.csv?action=plan_started", TRAIL)],
    "admin.subject_access_json": [Case("GET", "/admin/users/{hwb_user}/subject-access.json", ADMIN),
                                  Case("GET", "/admin/users/999999/subject-access.json", ADMIN_404)],
    "admin.subject_access_csv": [Case("GET", "/admin/users/{hwb_user}/subject-access.csv", ADMIN)],
    "admin.anonymise": [
        Case("GET", "/admin/users/{leaver}/anonymise", ADMIN),
        Case("POST", "/admin/users/{leaver}/anonymise", only({"admin"}, code=303)),
        Case("GET", "/admin/users/999999/anonymise", ADMIN_404),
    ],
}


def extend_world(world: dict[str, Any]) -> dict[str, Any]:
    """An entry about board IN's plan, one about board OUT's, one about an account; and a person who has left."""
    admin = world["users"]["admin"]
    entries = [audit.record(db.session, "plan_started", "plan", world["plans"][side].id, actor=admin,
                            after={"year": "2015-16"}) for side in ("in", "out")]
    leaver = make_user("provider", provider=world["providers"]["in"])
    entries.append(audit.record(db.session, "user_created", "user", leaver.id, actor=admin,
                                after={"email": leaver.email}))
    db.session.flush()
    return {"entry_in": entries[0].id, "entry_out": entries[1].id, "entry_user": entries[2].id, "leaver": leaver.id}
