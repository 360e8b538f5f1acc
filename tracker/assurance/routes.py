"""Views of the assurance workspace (being built)."""
from tracker.assurance import bp  # noqa: F401
