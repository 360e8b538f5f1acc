"""Views of the provider workspace (being built)."""
from tracker.provider import bp  # noqa: F401
