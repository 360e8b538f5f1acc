"""Template filters and globals: labels for the vocabularies, dates and money the NHS.UK way (tracker.domain.formatting)."""
from __future__ import annotations

import secrets
from typing import Any

from flask import Flask, current_app, g, request, url_for
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup

from tracker.domain import vocab
from tracker.domain.clock import london_today
from tracker.domain.formatting import format_date, format_gbp, format_number, format_points, format_ratio
from tracker.models import SiteFact
from tracker.web.extensions import db


def demo_data_loaded() -> bool:
    """Whether the fictional demonstration data set is loaded (asked once per request)."""
    if "demo_data_loaded" not in g:
        g.demo_data_loaded = db.session.get(SiteFact, "demo_data") is not None
    return g.demo_data_loaded


def register_template_helpers(app: Flask) -> None:
    """Make the helpers and vocabularies available to every template."""
    app.add_template_filter(format_date, "date")
    app.add_template_filter(format_gbp, "gbp")
    app.add_template_filter(format_ratio, "ratio")
    app.add_template_filter(format_number, "number")
    app.add_template_filter(format_points, "points")
    app.add_template_filter(vocab.year_label, "year_label")
    app.add_template_filter(london_today, "london_date")  # a stored UTC time -> its day in London
    # Globals, unlike context processors, are also seen by imported macro files.
    app.jinja_env.globals.update(field_choices=field_choices, date_parts=date_parts)

    @app.context_processor
    def _globals() -> dict[str, Any]:
        return {"vocab": vocab, "demo_data_loaded": demo_data_loaded, "navigation_items": navigation_items,
                "account_items": account_items, "form_error_list": form_error_list, "csp_nonce": csp_nonce}

    @app.before_request
    def _fresh_request_state() -> None:
        # Per-request values live on g; when a caller (a test, a CLI) holds one app context across several
        # requests, g outlives a request, so start each request without the previous one's values.
        for name in ("demo_data_loaded", "csp_nonce", "_login_user"):
            g.pop(name, None)



# Header navigation: (endpoint, text, roles that see it). A blueprint's entry shows once its view exists.
NAVIGATION: list[tuple[str, str, frozenset[str]]] = [
    ("provider.home", "Your boards", frozenset({"provider"})),
    ("hwb.dashboard", "Evidence", frozenset({"hwb"})),
    ("hwb.concerns", "Concerns", frozenset({"hwb"})),
    ("hwb.board", "Board", frozenset({"hwb"})),
    ("assurance.overview", "Plans", frozenset({"assurer", "admin"})),
    ("assurance.concerns", "Concerns", frozenset({"assurer", "admin"})),
    ("admin.users", "Users", frozenset({"admin"})),
    ("admin.organisations_list", "Organisations", frozenset({"admin"})),
    ("admin.criteria_settings", "Settings", frozenset({"admin"})),
    ("admin.audit_trail", "Audit trail", frozenset({"assurer", "admin"})),
    ("account.tokens", "API tokens", frozenset({"provider", "hwb", "assurer", "admin"})),
]


def navigation_items() -> list[dict[str, Any]]:
    """The header menu for the signed-in user's role, marking the current section."""
    if not current_user.is_authenticated:
        return []
    items = []
    for endpoint, text, roles in NAVIGATION:
        if current_user.role in roles and endpoint in current_app.view_functions:
            href = url_for(endpoint)
            items.append({"href": href, "text": text, "current": request.endpoint == endpoint})
    return items


def account_items() -> list[dict[str, Any]]:
    """The header's account area: who is signed in and a sign-out button, or a sign-in link."""
    if current_user.is_authenticated:
        sign_out = Markup('Sign out<input type="hidden" name="csrf_token" value="{}">').format(generate_csrf())
        return [{"text": current_user.email, "icon": True}, notifications_item(),
                {"html": sign_out, "action": url_for("auth.sign_out"), "method": "post"}]
    if "auth.sign_in" in current_app.view_functions:
        return [{"href": url_for("auth.sign_in"), "text": "Sign in"}]
    return []


def notifications_item() -> dict[str, Any]:
    """The header's link to the notifications, with how many are unread."""
    from tracker.domain.notifications.inbox import unread_count

    count = unread_count(db.session, current_user)
    text = f"Notifications ({count} unread)" if count else "Notifications"
    return {"href": url_for("notifications.index"), "text": text}


def form_error_list(form: Any) -> list[dict[str, str]]:
    """The error summary's list: each field's first error, linking to the field."""
    items = []
    for field in form:
        if field.errors:
            target = getattr(field, "error_target", None) or field.id
            items.append({"text": field.errors[0], "href": f"#{target}"})
    return items


def csp_nonce() -> str:
    """A random value per response that lets the design system's one inline script run under the CSP."""
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(16)
    return g.csp_nonce


def field_choices(field: Any, hints: dict[str, str] | None = None) -> list[dict[str, Any]]:
    """A select, radios or checkboxes field's choices as NHS.UK macro items, keeping what was chosen."""
    chosen = field.data if isinstance(field.data, (list, tuple, set)) else [field.data]
    chosen = {str(value) for value in chosen if value is not None}
    items = []
    for value, label in field.choices:
        item: dict[str, Any] = {"value": value, "text": label}
        selected = str(value) in chosen
        checkable = field.type in ("RadioField", "MultiCheckboxField", "SelectMultipleField")
        item["checked" if checkable else "selected"] = selected
        if hints and str(value) in hints:
            item["hint"] = {"text": hints[str(value)]}
        items.append(item)
    return items


def date_parts(field: Any) -> list[dict[str, Any]]:
    """The day, month and year boxes of a date field, keeping what was typed."""
    raw = getattr(field, "raw_parts", None) or {}
    widths = {"day": 2, "month": 2, "year": 4}
    error = " nhsuk-input--error" if field.errors else ""
    return [{"name": part, "value": raw.get(part, ""), "classes": f"nhsuk-input--width-{widths[part]}{error}"}
            for part in ("day", "month", "year")]
