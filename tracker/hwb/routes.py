"""Views of the hwb workspace (being built)."""
from tracker.hwb import bp  # noqa: F401
