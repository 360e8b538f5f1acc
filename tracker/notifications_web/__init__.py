"""A person's notifications in the tracker, and how they want to hear each kind."""
from tracker.notifications_web import routes  # noqa: F401  (attaches the views to the blueprint)
from tracker.notifications_web.blueprint import bp

__all__ = ["bp"]
