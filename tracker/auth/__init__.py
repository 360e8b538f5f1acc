"""Signing in and out."""
from tracker.auth import reset, routes  # noqa: F401  (attaches the views to the blueprint)
from tracker.auth.blueprint import bp

__all__ = ["bp"]
