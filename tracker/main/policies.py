"""The pages every NHS digital service publishes: the privacy notice, the accessibility statement and the cookies
page, readable signed out and linked from every page's footer."""
from __future__ import annotations

from flask import current_app, render_template

from tracker.main.blueprint import bp
from tracker.web.access import public


def _page(template: str) -> str:
    return render_template(template, contact=current_app.config["CONTACT_EMAIL"])


@bp.get("/privacy")
@public
def privacy() -> str:
    """What the tracker holds about people, why, for how long, and their rights (UK GDPR)."""
    return _page("main/privacy.html")


@bp.get("/accessibility")
@public
def accessibility() -> str:
    """How accessible the service is (WCAG 2.2 AA), how it was tested and how to report a problem."""
    return _page("main/accessibility.html")


@bp.get("/cookies")
@public
def cookies() -> str:
    """The cookies the service sets: essential ones only."""
    return _page("main/cookies.html")
