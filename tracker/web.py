"""Small helpers shared by the views of every area."""
from __future__ import annotations

from typing import Any

from flask import flash, redirect, url_for
from werkzeug.wrappers import Response


def redirect_with_message(endpoint: str, message: str, category: str = "success", **values: Any) -> Response:
    """Post/redirect/get with a message shown once on the next page."""
    flash(message, category)
    return redirect(url_for(endpoint, **values), 303)
