"""The audit walk's steps for people and their accounts, the settings, and the conditions of a plan's approval
(audit_walk.py runs them, with its helpers): each made as its user makes it, through the pages.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import sqlalchemy as sa

from tests.reliability import world
from tests.reliability.harness import PASSWORD, YEAR
from tests.reliability.pages import form_for, post_form
from tracker.models import Notification
from tracker.web.extensions import db

if TYPE_CHECKING:
    from tests.reliability.audit_walk import Walk


def own_account(walk: Walk) -> None:
    """RC1's user signs in on two browsers and ends the other from one, changes their name and their password."""
    email = world.EMAILS["partner"]
    me = walk.trail.user_ids[email]
    walk.browser("partner")
    walk.sign_in(email)  # a second browser
    other = walk.last_id("user_session")
    page = walk.browser("partner").get("/account/sessions").get_data(as_text=True)
    form_for(page, f"/account/sessions/{other}/end")  # offered on the sessions page
    walk.change("partner", f"/account/sessions/{other}/end", {}, ("session_ended", "user", me))
    walk.change("partner", "/account/name", {"name": "Pat Jones"}, ("name_changed", "user", me))
    walk.change("partner", "/account/password", {"current_password": PASSWORD,
                                                  "new_password": "a different passphrase of 2014"},
                ("password_changed", "user", me))


def notifications(walk: Walk) -> None:
    """RA1's user chooses how to hear one kind of notification, then marks them all read (bookkeeping)."""
    page = walk.browser("provider").get("/notifications/settings").get_data(as_text=True)
    form = post_form(page)
    choices = {name: f.value for name, f in form.fields.items() if f.kind == "radio"}
    name = next(n for n, f in form.fields.items() if f.kind == "radio" and set(f.options) - {f.value})
    choices[name] = next(o for o in form.fields[name].options if o != form.fields[name].value)
    walk.change("provider", "/notifications/settings", choices,
                ("notification_preferences", "user", walk.trail.user_ids[world.EMAILS["provider"]]))
    walk.db(lambda: world.notification("provider"))
    walk.change("provider", "/notifications/read", {})


def password_reset_by_email(walk: Walk) -> None:
    """A link asked for by RA2's user (and one for an address with no account), then used to set a password."""
    email = world.EMAILS["stranger"]
    me = walk.trail.user_ids[email]
    browser = walk.app.test_client()
    for address, actor, entity in ((email, email, me), ("nobody@example.org", "anonymous", "")):
        with walk.step() as since:
            response = browser.post("/forgot-password", data={"email": address})
        assert response.status_code == 200, response.status_code
        walk.expect("password_reset_requested", actor, "user", entity, since)
    link = walk.db(lambda: db.session.scalar(
        sa.select(Notification.link).where(Notification.user_id == me, Notification.kind == "password_reset")))
    assert browser.get(link).status_code == 200
    new = "a passphrase from the e-mail link 2014"
    with walk.step() as since:
        response = browser.post(link, data={"password": new, "confirm": new})
    assert response.status_code == 303, response.status_code
    walk.expect("password_reset", email, "user", me, since)


def admin_people(walk: Walk, leaver: int) -> None:
    """The admin checks, then saves, a setting; exports RA1's user's data; anonymises a person who has left."""
    admin = world.EMAILS["admin"]
    page = post_form(walk.browser("admin").get("/admin/settings").get_data(as_text=True))
    values = {**page.hidden(), **{name: f.value for name, f in page.fields.items() if f.kind == "text"},
              "coverage_min": "75"}
    check = walk.post("admin", "/admin/settings", values)
    assert check.status_code == 200, check.status_code
    confirm = form_for(check.get_data(as_text=True), "/admin/settings")
    assert confirm.hidden().get("step") == "save", confirm.hidden()
    walk.change("admin", "/admin/settings", dict(confirm.filled()), ("settings_changed", "criteria_settings", 1))
    provider = walk.trail.user_ids[world.EMAILS["provider"]]
    with walk.step() as since:
        response = walk.browser("admin").get(f"/admin/users/{provider}/subject-access.json")
    assert response.status_code == 200, response.status_code
    walk.expect("subject_access_exported", admin, "user", provider, since)
    walk.change("admin", f"/admin/users/{leaver}/anonymise", {}, ("user_anonymised", "user", leaver))


def review_conditions(walk: Walk, review_form: dict[str, str]) -> None:
    """The plan approved subject to a condition; the board answers it, the assurer says why it is not met yet,
    the board answers again and the assurer marks it met."""
    review = f"/assurance/plans/{world.BOARD}/{YEAR}/review"
    walk.change("assurer", review, {**review_form, "decision": "approved_subject_to_conditions", "tranche": "2",
                                    "intervention": "", "peer": "", "conditions": "Show the acute trust's sign-off",
                                    "override_reason": "The board has since engaged"},
                ("assurance.review", "assurance_review", lambda _: walk.last_id("assurance_review")))
    item = walk.last_id("review_condition")
    for answer in ("The trust signed off", "The trust signed off, with the minutes"):
        walk.change("hwb", f"/board/review/conditions/{item}", {"answer": answer,
                                                                "answer_url": "https://example.org/sign-off.pdf"},
                    ("review_condition.answered", "review_condition", item))
        if answer.endswith("minutes"):
            break
        walk.change("assurer", f"/assurance/conditions/{item}", {"met": "no", "not_met_reason": "No minutes"},
                    ("review_condition.not_met", "review_condition", item))
    walk.change("assurer", f"/assurance/conditions/{item}", {
        "met": "yes", "met_on[day]": "12", "met_on[month]": "6", "met_on[year]": "2014", "not_met_reason": ""},
        ("review_condition.met", "review_condition", item))
