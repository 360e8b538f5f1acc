"""Administration: users and their roles and scopes, settings, organisations and imports in the browser."""
from tracker.admin import imports, organisations, routes, settings  # noqa: F401  (attaches the views to the blueprint)
from tracker.admin.blueprint import bp

__all__ = ["bp"]
