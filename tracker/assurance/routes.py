"""Views of the assurance workspace, one module per journey."""
from tracker.assurance import conditions, escalations, exports, overview, peer_views, review  # noqa: F401
