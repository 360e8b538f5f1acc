"""Every page a browser GETs (their filter, search and paging forms send their fields in the query string): who
reads it and what it shows. test_page_fuzz.py fails when a GET route of the pages is missing here.
"""
from __future__ import annotations

from tests.reliability import world
from tests.reliability.form_table import FORMS, ON_PLAN, FormSpec
from tests.reliability.harness import YEAR

ASSURANCE_PLAN = "/assurance/plans/{board}/" + YEAR
PROVIDER_PLAN = "/provider/plans/{board}/" + YEAR


def _event(recorded_by: str) -> dict[str, object]:
    return {"ref": world.event(recorded_by)}


def _concern() -> dict[str, object]:
    return {"ref": world.concern()}


EVENT_TAMPERED = {"tampered": lambda: [{"ref": world.event("stranger", world.OTHER_BOARD, ("RA2",))}]}

PAGES: dict[str, FormSpec] = {
    # The pages that show a form (and post it to themselves).
    **{endpoint: FormSpec(spec.role, spec.page, target=spec.target, variants=spec.variants, tampered=spec.tampered,
                          prepare=spec.prepare) for endpoint, spec in FORMS.items() if not spec.action},
    "main.start": FormSpec("anon", "/"),
    "main.accessibility": FormSpec("anon", "/accessibility"),
    "main.cookies": FormSpec("anon", "/cookies"),
    "main.privacy": FormSpec("anon", "/privacy"),
    "account.own_sessions": FormSpec("provider", "/account/sessions", target=lambda: {"id": world.user_session()}),
    "notifications.index": FormSpec("provider", "/notifications/", target=lambda: {"id": world.notification()}),
    "notifications.open_item": FormSpec("provider", "/notifications/{id}",
                                        target=lambda: {"id": world.notification()},
                                        tampered=lambda: [{"id": world.notification("hwb")}, {"id": 10**12}]),
    "admin.audit_trail": FormSpec("admin", "/admin/audit", target=lambda: {"id": world.audit_entry()}),
    "admin.audit_entry": FormSpec("admin", "/admin/audit/{id}", target=lambda: {"id": world.audit_entry()},
                                  tampered=lambda: [{"id": 10**12}, {"id": -1}]),
    "admin.audit_export": FormSpec("admin", "/admin/audit.csv", target=lambda: {"id": world.audit_entry()}),
    "admin.subject_access_json": FormSpec("admin", "/admin/users/{id}/subject-access.json",
                                          target=lambda: {"id": world.user("provider").id},
                                          tampered=lambda: [{"id": 10**12}]),
    "admin.subject_access_csv": FormSpec("admin", "/admin/users/{id}/subject-access.csv",
                                         target=lambda: {"id": world.user("provider").id},
                                         tampered=lambda: [{"id": 10**12}]),
    "admin.organisations_list": FormSpec("admin", "/admin/organisations", target=lambda: {"id": world.provider()}),
    "admin.boards": FormSpec("admin", "/admin/organisations/boards"),
    "admin.import_job": FormSpec("admin", "/admin/imports/{id}", target=lambda status: {"id": world.import_job(status)},
                                 variants=({"status": "queued"}, {"status": "previewed"}, {"status": "failed"},
                                           {"status": "done"}),
                                 tampered=lambda: [{"id": 10**12}, {"id": -1}]),
    "admin.import_template": FormSpec("admin", "/admin/imports/templates/{kind}.csv",
                                      target=lambda kind: {"kind": kind},
                                      variants=({"kind": "hwbs"}, {"kind": "providers"}, {"kind": "events"}),
                                      tampered=lambda: [{"kind": "nosuch"}, {"kind": "hwbs%00"}]),
    "account.home": FormSpec("provider", "/account/"),
    "admin.users": FormSpec("admin", "/admin/users"),
    "assurance.overview": FormSpec("assurer", "/assurance/"),
    "assurance.concerns": FormSpec("assurer", "/assurance/concerns"),
    "assurance.escalations": FormSpec("assurer", "/assurance/escalations"),
    "assurance.export_csv": FormSpec("assurer", "/assurance/export.csv"),
    "assurance.export_xlsx": FormSpec("assurer", "/assurance/export.xlsx"),
    "assurance.plan": FormSpec("assurer", ASSURANCE_PLAN, **ON_PLAN),
    "assurance.pack": FormSpec("assurer", ASSURANCE_PLAN + "/pack", **ON_PLAN),
    "assurance.pack_pdf": FormSpec("assurer", ASSURANCE_PLAN + "/pack.pdf", **ON_PLAN),
    "assurance.peers": FormSpec("assurer", ASSURANCE_PLAN + "/peers", **ON_PLAN),
    "hwb.dashboard": FormSpec("hwb", "/board/"),
    "hwb.concerns": FormSpec("hwb", "/board/concerns"),
    "hwb.events": FormSpec("hwb", "/board/events"),
    "hwb.event": FormSpec("hwb", "/board/events/{ref}", target=_event, variants=({"recorded_by": "provider"},),
                          **EVENT_TAMPERED),
    "hwb.export": FormSpec("hwb", "/board/export/{kind}.csv", target=lambda kind: {"kind": kind},
                           variants=({"kind": "events"}, {"kind": "concerns"}, {"kind": "members"})),
    "hwb.summary": FormSpec("hwb", "/board/export/summary"),
    "hwb.board": FormSpec("hwb", "/board/members"),
    "hwb.plan": FormSpec("hwb", "/board/plan"),
    "hwb.outcome_page": FormSpec("hwb", "/board/review", target=lambda: world.condition()),
    "provider.home": FormSpec("provider", "/provider/"),
    "provider.plan": FormSpec("provider", PROVIDER_PLAN, **ON_PLAN),
    "provider.event": FormSpec("provider", "/provider/events/{ref}", target=_event,
                               variants=({"recorded_by": "provider"}, {"recorded_by": "hwb"}), **EVENT_TAMPERED),
    "provider.concern_raised": FormSpec("provider", "/provider/concerns/{ref}/raised", target=_concern,
                                        tampered=lambda: [{"ref": world.concern(author="stranger",
                                                                                board=world.OTHER_BOARD)}]),
    "provider.document": FormSpec("provider", "/provider/events/{ref}/documents/{id}",
                                  target=lambda: world.document()),
    "provider.export": FormSpec("provider", PROVIDER_PLAN + "/export/{kind}.csv",
                                target=lambda kind: {"board": world.BOARD, "kind": kind},
                                variants=({"kind": "events"}, {"kind": "concerns"}, {"kind": "impact-assessments"})),
}

# GET routes that are not pages of the tracker's own, and why they are not fuzzed here.
NOT_PAGES = {"static": "files", "main.health": "the health check, which reads no input (test_foundation.py)",
             "main.nhsuk_assets": "NHS.UK frontend files", "main.nhsuk_dist": "NHS.UK frontend files",
             "api": "the JSON API: test_hostile_input.py and test_schemathesis.py",
             "api-docs": "the OpenAPI document: test_schemathesis.py"}
