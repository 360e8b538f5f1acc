"""Administration: users and their roles and scopes."""
from tracker.admin import audit, people, routes, settings  # noqa: F401  (attaches the views to the blueprint)
from tracker.admin.blueprint import bp

__all__ = ["bp"]
