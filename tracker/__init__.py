"""Better Care Fund provider engagement tracker.

`flask --app tracker` finds create_app here. The package itself imports no Flask, so the domain layer
(tracker.domain) and the data model (tracker.models) load without it; the web app is built in tracker.web.app.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flask import Flask


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the web app (tracker.web.app.create_app)."""
    from tracker.web.app import create_app as build

    return build(config)
