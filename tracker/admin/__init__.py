"""Administration: users and their roles and scopes, settings, organisations, imports in the browser, the audit
trail and people's data."""
from tracker.admin import (  # noqa: F401  (attaches the views to the blueprint)
    audit,
    imports,
    organisations,
    people,
    routes,
    settings,
)
from tracker.admin.blueprint import bp

__all__ = ["bp"]
