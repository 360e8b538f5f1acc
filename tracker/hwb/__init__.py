"""The HWB workspace: the board's evidence, events, concerns to answer, membership and plan."""
from tracker.hwb import board, concerns, dashboard, events, export, outcome, plan  # noqa: F401  (attaches the views to the blueprint)
from tracker.hwb.blueprint import bp

__all__ = ["bp"]
