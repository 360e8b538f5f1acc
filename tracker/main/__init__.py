"""Pages for everybody: the start page, and the design system's files."""
from tracker.main import policies, routes  # noqa: F401  (attaches the views to the blueprint)
from tracker.main.blueprint import bp

__all__ = ["bp"]
