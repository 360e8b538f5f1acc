"""Every POST form of the pages: who posts it, the page that shows it, what it acts on, and where what it stored
is shown again. test_form_fuzz.py fails when a POST route of the app is missing here, so a new form cannot be
left out of the fuzzing.

Targets are made fresh before each example (a withdrawn event or a resolved concern cannot be fuzzed twice);
`tampered` gives someone else's records (another board's, another provider's, another user's) to put in the
address instead, with hostile strings besides.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from flask.testing import FlaskClient

from tests.reliability import world
from tests.reliability.harness import PASSWORD, YEAR
from tests.reliability.pages import post_form

PLAN = "/provider/plans/{board}/" + YEAR  # a plan form's address; the board is the target, another the tampering
ON_PLAN: dict[str, Callable] = {"target": lambda: {"board": world.BOARD},
                                "tampered": lambda: [{"board": world.OTHER_BOARD}, {"board": "E06000102"}]}
DATE = {"date[day]": "12", "date[month]": "6", "date[year]": "2014"}


@dataclass(frozen=True)
class FormSpec:
    """How to reach one POST form."""

    role: str  # who posts it: "anon", or one of world.EMAILS
    page: str  # the page that shows the form, formatted with the target's values
    action: str = ""  # where it posts, when not to the page itself
    target: Callable[..., dict[str, object]] = dict  # fresh records to act on, made before each example
    variants: tuple[dict[str, object], ...] = ({},)  # the target's kinds (keyword arguments), one drawn per example
    tampered: Callable[[], list[dict[str, object]]] = list  # others' records to put in the address instead
    valid: dict[str, str] = field(default_factory=dict)  # well-formed values for its text fields
    shown: tuple[tuple[str, str], ...] = ()  # (role, page) showing what it stored; {new} is the ref it made
    fresh_session: bool = False  # sign in afresh and open the page again before each example
    prepare: Callable[[FlaskClient], None] | None = None  # what a person does first (fill in a draft)

    @property
    def posts_to(self) -> str:
        return self.action or self.page


def _draft_concern(client: FlaskClient) -> None:
    """The concern form's first page, filled in well: the check page then has a draft to send."""
    page = PLAN.format(board=world.BOARD) + "/concerns/new"
    hidden = post_form(client.get(page).get_data(as_text=True)).hidden()
    response = client.post(page, data={**hidden, "category": "data", "severity": "low", "confidential": "no",
                                       "text": "The data <b>sharing</b> plan leaves us out"})
    assert response.headers.get("Location", "").endswith("/concerns/check"), response.status_code


def _event(recorded_by: str, board: str = world.BOARD, names: tuple[str, ...] = ("RA1", "RC1")):
    return lambda: {"ref": world.event(recorded_by, board, names)}


def _concern(status: str) -> dict[str, object]:
    return {"ref": world.concern(status)}


def _assurers_concern(status: str) -> dict[str, object]:
    """A concern the assurers answer: escalated to them, or confidential."""
    return {"ref": world.concern(status, confidential=status != "escalated")}


def _statuses(*statuses: str) -> tuple[dict[str, object], ...]:
    return tuple({"status": status} for status in statuses)


EVENT_FIELDS = {**DATE, "summary": "Workshop on the <b>discharge</b> schemes",
                "evidence_url": "https://example.org/minutes.pdf"}
PLAN_FIGURES = {"minimum_pool_gbp": "10000000", "total_pool_gbp": "12500000", "nhs_contribution_gbp": "9000000",
                "council_contribution_gbp": "3500000", "claimed_emergency_reduction_pct": "4"}
NAME_FIELDS = {"member_name": "Cllr A. <b>Smith</b>", "start[day]": "1", "start[month]": "4", "start[year]": "2014",
               "end[day]": "", "end[month]": "", "end[year]": ""}

FORMS: dict[str, FormSpec] = {
    # Signing in and out, the account's API tokens, the admin's users.
    "auth.sign_in": FormSpec("anon", "/sign-in", valid={"email": world.EMAILS["provider"], "password": PASSWORD},
                             fresh_session=True),
    "auth.sign_out": FormSpec("provider", "/account/", "/sign-out", fresh_session=True),
    "account.tokens": FormSpec("provider", "/account/tokens", valid={"name": "Nightly <b>export</b>"}),
    "account.revoke_token": FormSpec("provider", "/account/tokens", "/account/tokens/{id}/revoke",
                                     target=lambda: {"id": world.token("provider")},
                                     tampered=lambda: [{"id": world.token("hwb")}, {"id": 10**12}]),
    # A person's own account: their name, password and signed-in sessions.
    "account.name": FormSpec("provider", "/account/name", valid={"name": "Pat <b>Jones</b>"},
                             shown=(("provider", "/account/"), ("admin", "/admin/users"))),
    "account.password": FormSpec("provider", "/account/password", valid={
        "current_password": PASSWORD, "new_password": "a <b>new</b> long passphrase of 2014"}),
    "account.end_session": FormSpec("provider", "/account/sessions", "/account/sessions/{id}/end",
                                    target=lambda: {"id": world.user_session("provider")},
                                    tampered=lambda: [{"id": world.user_session("hwb")}, {"id": 10**12}],
                                    shown=(("provider", "/account/sessions"),)),
    "account.end_other_sessions": FormSpec("provider", "/account/sessions", "/account/sessions/end-others",
                                           target=lambda: {"id": world.user_session("provider")},
                                           shown=(("provider", "/account/sessions"),)),
    # A forgotten password: the link asked for, then used (RA2's, so the other users' passwords stay).
    "auth.forgot_password": FormSpec("anon", "/forgot-password", valid={"email": world.EMAILS["stranger"]},
                                     fresh_session=True),
    "auth.reset_password": FormSpec("anon", "/reset-password/{token}",
                                    target=lambda: {"token": world.reset_token("stranger")},
                                    tampered=lambda: [{"token": world.reset_token("stranger", used=True)},
                                                      {"token": "A" * 43}],
                                    valid={"password": "a <b>new</b> long passphrase of 2014",
                                           "confirm": "a <b>new</b> long passphrase of 2014"}, fresh_session=True),
    # Notifications: how each kind is heard, and all marked read.
    "notifications.preferences": FormSpec("provider", "/notifications/settings",
                                          shown=(("provider", "/notifications/settings"),)),
    "notifications.read_all": FormSpec("provider", "/notifications/", "/notifications/read",
                                       target=lambda: {"id": world.notification("provider")},
                                       shown=(("provider", "/notifications/"),)),
    "admin.new_user": FormSpec("admin", "/admin/users/new", valid={
        "email": "new.person@example.org", "name": "New <b>Person</b>", "password": "a long passphrase of 2014",
        "provider_code": "RC1", "hwb_code": world.BOARD}, shown=(("admin", "/admin/users"),)),
    "admin.edit_user": FormSpec("admin", "/admin/users/{id}", target=lambda: {"id": world.new_user()},
                                valid={"provider_code": "RC1", "hwb_code": world.BOARD},
                                tampered=lambda: [{"id": 10**12}, {"id": -1}], shown=(("admin", "/admin/users"),)),
    "admin.reset_password": FormSpec("admin", "/admin/users/{id}", "/admin/users/{id}/password",
                                     target=lambda: {"id": world.new_user()},
                                     valid={"password": "another long passphrase"},
                                     tampered=lambda: [{"id": 10**12}]),
    # The thresholds and deadlines (saved at once when `step` is left as "save", checked first otherwise), and a
    # person who has left anonymised (the admin's own account is refused).
    "admin.criteria_settings": FormSpec("admin", "/admin/settings", valid={"coverage_min": "75", "step": "save"},
                                        shown=(("admin", "/admin/settings"), ("admin", "/admin/audit"))),
    "admin.anonymise": FormSpec("admin", "/admin/users/{id}/anonymise", target=lambda: {"id": world.new_user()},
                                tampered=lambda: [{"id": world.user("admin").id}, {"id": 10**12}],
                                shown=(("admin", "/admin/users"), ("admin", "/admin/audit"))),
    # The organisations: a provider added, changed, closed and reopened (a closed one's footprint and sector are
    # frozen); a board renamed or moved (another's code, or none, in the address instead).
    "admin.new_provider": FormSpec("admin", "/admin/organisations/providers/new", valid={
        "code_kind": "local", "code": "VCS-NEW", "name": "New <b>Voluntary</b> group", "sector": "voluntary",
        "footprint": [world.BOARD]}, shown=(("admin", "/admin/organisations"), ("admin", "/admin/audit"))),
    "admin.edit_provider": FormSpec("admin", "/admin/organisations/providers/{id}",
                                    target=lambda closed: {"id": world.provider(closed=closed)},
                                    variants=({"closed": False}, {"closed": True}),
                                    tampered=lambda: [{"id": 10**12}, {"id": -1}],
                                    valid={"name": "Renamed <b>group</b>"},
                                    shown=(("admin", "/admin/organisations"), ("admin", "/admin/audit"))),
    "admin.close_provider": FormSpec("admin", "/admin/organisations/providers/{id}",
                                     "/admin/organisations/providers/{id}/close",
                                     target=lambda: {"id": world.provider()},
                                     tampered=lambda: [{"id": world.provider(closed=True)}, {"id": 10**12}],
                                     valid={"closed_on[day]": "30", "closed_on[month]": "9",
                                            "closed_on[year]": "2014"},
                                     shown=(("admin", "/admin/organisations"), ("admin", "/admin/audit"))),
    "admin.reopen_provider": FormSpec("admin", "/admin/organisations/providers/{id}",
                                      "/admin/organisations/providers/{id}/reopen",
                                      target=lambda: {"id": world.provider(closed=True)},
                                      tampered=lambda: [{"id": world.provider()}, {"id": 10**12}],
                                      shown=(("admin", "/admin/organisations"), ("admin", "/admin/audit"))),
    "admin.edit_board": FormSpec("admin", "/admin/organisations/boards/{board}", target=lambda: {"board": world.BOARD},
                                 tampered=lambda: [{"board": world.OTHER_BOARD}, {"board": "E06999999"},
                                                   {"board": "E06000101%00"}],
                                 valid={"name": "Renamed <b>board</b>"},
                                 shown=(("admin", "/admin/organisations/boards"), ("admin", "/admin/audit"),
                                        ("hwb", "/board/"))),
    # Imports in the browser: a file uploaded (the fuzzer attaches one, or none, which is refused), and a previewed
    # job confirmed (one failed or imported already is refused). The fuzzing app runs no inline worker.
    "admin.imports": FormSpec("admin", "/admin/imports", valid={"kind": "hwbs"},
                              shown=(("admin", "/admin/imports"), ("admin", "/admin/audit"))),
    "admin.confirm_import": FormSpec("admin", "/admin/imports/{id}", "/admin/imports/{id}/confirm",
                                     target=lambda: {"id": world.import_job("previewed")},
                                     tampered=lambda: [{"id": world.import_job("failed")},
                                                       {"id": world.import_job("done")}, {"id": 10**12}],
                                     shown=(("admin", "/admin/imports"),)),
    # The provider's workspace.
    "provider.new_event": FormSpec("provider", f"{PLAN}/events/new", valid=EVENT_FIELDS, **ON_PLAN,
                                   shown=(("hwb", "/board/events/{new}"), ("assurer", f"/assurance/plans/"
                                                                                     f"{world.BOARD}/{YEAR}"))),
    "provider.edit_event": FormSpec("provider", "/provider/events/{ref}/edit", target=_event("provider"),
                                    tampered=lambda: [{"ref": world.event("hwb")},
                                                      {"ref": world.event("stranger", world.OTHER_BOARD, ("RA2",))}],
                                    valid=EVENT_FIELDS, shown=(("hwb", "/board/events/{ref}"),)),
    "provider.withdraw": FormSpec("provider", "/provider/events/{ref}/withdraw", target=_event("provider"),
                                  tampered=lambda: [{"ref": world.event("hwb")}], valid={"reason": "Duplicate <b>"},
                                  shown=(("hwb", "/board/events/{ref}"),)),
    "provider.answer_event": FormSpec("provider", "/provider/events/{ref}/answer", target=_event("hwb"),
                                      tampered=lambda: [{"ref": world.event("provider")},
                                                        {"ref": world.event("hwb", names=("RC1",))}],
                                      valid={"note": "It was a <b>phone call</b>"},
                                      shown=(("hwb", "/board/events/{ref}"),)),
    "provider.new_concern": FormSpec("provider", f"{PLAN}/concerns/new", valid={"text": "We were <b>left out</b>"},
                                     **ON_PLAN),
    "provider.check_concern": FormSpec("provider", f"{PLAN}/concerns/check", prepare=_draft_concern, **ON_PLAN,
                                       shown=(("hwb", "/board/concerns/{new}"),
                                              ("provider", "/provider/concerns/{new}"))),
    "provider.concern": FormSpec("provider", "/provider/concerns/{ref}",
                                 target=_concern, variants=_statuses("open", "acknowledged", "responded", "resolved"),
                                 tampered=lambda: [{"ref": world.concern(author="stranger", board=world.OTHER_BOARD)}],
                                 valid={"message": "Still <b>waiting</b>"}, shown=(("hwb", "/board/concerns/{ref}"),)),
    "provider.assessment": FormSpec("provider", f"{PLAN}/assessment", **ON_PLAN, valid={
        "emergency_admissions_change_pct": "-2.5", "financial_impact_gbp": "-150000", "comments": "Too <b>hopeful</b>"},
        shown=(("hwb", "/board/plan"), ("assurer", f"/assurance/plans/{world.BOARD}/{YEAR}"))),
    # The board's workspace: a condition of its plan's approval answered (another board's is not its own).
    "hwb.answer_condition_page": FormSpec(
        "hwb", "/board/review/conditions/{id}", target=lambda: world.condition(),
        tampered=lambda: [world.condition(world.OTHER_BOARD), world.condition(status="met"), {"id": 10**12}],
        valid={"answer": "The trust <b>signed</b> off", "answer_url": "https://example.org/sign-off.pdf"},
        shown=(("hwb", f"/board/review?year={YEAR}"), ("assurer", f"/assurance/plans/{world.BOARD}/{YEAR}"))),
    "hwb.new_event": FormSpec("hwb", "/board/events/new", valid=EVENT_FIELDS,
                              shown=(("provider", "/provider/events/{new}"),)),
    "hwb.withdraw": FormSpec("hwb", "/board/events/{ref}/withdraw", target=_event("hwb"),
                             tampered=lambda: [{"ref": world.event("provider")},
                                               {"ref": world.event("other_hwb", world.OTHER_BOARD, ("RA2",))}],
                             valid={"reason": "Recorded <b>twice</b>"},
                             shown=(("provider", "/provider/events/{ref}"),)),
    "hwb.answer_event": FormSpec("hwb", "/board/events/{ref}/answer", target=_event("provider"),
                                 tampered=lambda: [{"ref": world.event("hwb")},
                                                   {"ref": world.event("stranger", world.OTHER_BOARD, ("RA2",))}],
                                 valid={"note": "Not <b>minuted</b>"}, shown=(("provider", "/provider/events/{ref}"),)),
    "hwb.concern": FormSpec("hwb", "/board/concerns/{ref}", target=_concern,
                            variants=_statuses("open", "acknowledged", "responded"),
                            tampered=lambda: [{"ref": world.concern(confidential=True)},
                                              {"ref": world.concern(author="stranger", board=world.OTHER_BOARD)}],
                            valid={"message": "We will <b>meet</b> you"},
                            shown=(("provider", "/provider/concerns/{ref}"),)),
    "hwb.next_plan": FormSpec("hwb", "/board/plans/next", valid=PLAN_FIGURES,
                              shown=(("hwb", "/board/plan?year=2016-17"),)),
    "hwb.new_member": FormSpec("hwb", "/board/members/new", valid=NAME_FIELDS, shown=(("hwb", "/board/members"),)),
    "hwb.change_membership": FormSpec("hwb", "/board/members/{id}", target=lambda: {"id": world.membership()},
                                      tampered=lambda: [{"id": world.membership("other_hwb", provider="RA2")},
                                                        {"id": 10**12}],
                                      valid={"end[day]": "31", "end[month]": "3", "end[year]": "2015"}),
    # Any board's next year's plan, started by the admin.
    "admin.next_plan": FormSpec("admin", "/admin/boards/{board}/next-plan", target=lambda: {"board": world.OTHER_BOARD},
                                tampered=lambda: [{"board": "E06999999"}, {"board": "E06000101%00"}],
                                valid=PLAN_FIGURES),
    # The assurers' workspace.
    "assurance.review": FormSpec("assurer", "/assurance/plans/{board}/" + YEAR + "/review", **ON_PLAN,
                                 valid={"conditions": "Show <b>acute</b> sign-off", "intervention": "",
                                        "override_reason": "The <b>board</b> has since engaged"},
                                 shown=(("assurer", f"/assurance/plans/{world.BOARD}/{YEAR}"),)),
    # A condition of a plan's approval marked met, or why not.
    "assurance.condition": FormSpec("assurer", "/assurance/conditions/{id}", target=lambda: world.condition(),
                                    tampered=lambda: [world.condition(status="met"), {"id": 10**12}],
                                    valid={"met_on[day]": "12", "met_on[month]": "6", "met_on[year]": "2014",
                                           "not_met_reason": "No <b>sign-off</b> yet"},
                                    shown=(("assurer", f"/assurance/plans/{world.BOARD}/{YEAR}"),
                                           ("hwb", f"/board/review?year={YEAR}"))),
    # A concern the assurers answer: confidential, or escalated to them.
    "assurance.concern": FormSpec("assurer", "/assurance/concerns/{ref}",
                                  target=_assurers_concern,
                                  variants=_statuses("open", "acknowledged", "escalated"),
                                  tampered=lambda: [{"ref": "CN-NOSUCH"}], valid={"message": "We will <b>ask</b> them"},
                                  shown=(("provider", "/provider/concerns/{ref}"),)),
}

# POST routes that are not page forms, and where they are fuzzed instead.
NOT_PAGE_FORMS = {"api.create_event": "the JSON API: test_hostile_input.py and test_schemathesis.py",
                  "api.create_concern": "the JSON API: test_schemathesis.py; tests/api/test_concerns_api.py",
                  "api.concern_action": "the JSON API: test_schemathesis.py; tests/api/test_concerns_api.py",
                  "api.answer_participation": "the JSON API: test_schemathesis.py and tests/api/"
                                              "test_participations_api.py",
                  "api.create_review": "the JSON API: test_schemathesis.py; tests/api/test_reviews_api.py"}
