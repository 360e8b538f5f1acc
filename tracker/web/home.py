"""Where each role lands after signing in."""
from __future__ import annotations

from flask import current_app, url_for

from tracker.models import User

HOMES = {
    "provider": "provider.home",
    "hwb": "hwb.dashboard",
    "assurer": "assurance.overview",
    "admin": "admin.users",
}


def home_url(user: User) -> str:
    """The role's own workspace, or the account page while that workspace is not built."""
    endpoint = HOMES.get(user.role, "account.home")
    if endpoint not in current_app.view_functions:
        endpoint = "account.home"
    return url_for(endpoint)
