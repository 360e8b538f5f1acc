"""A signed-in user's own account: who they are, and their API tokens."""
from tracker.account import own, routes  # noqa: F401  (attaches the views to the blueprint)
from tracker.account.blueprint import bp

__all__ = ["bp"]
