"""The provider workspace: boards served, events, confirmations, concerns, impact assessments."""
from tracker.provider import answers, assessments, concerns, events, routes  # noqa: F401  (attaches the views to the blueprint)
from tracker.provider.blueprint import bp

__all__ = ["bp"]
