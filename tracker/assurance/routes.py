"""Views of the assurance workspace, one module per journey."""
from tracker.assurance import (  # noqa: F401
    concerns,
    conditions,
    escalations,
    exports,
    overview,
    peer_views,
    review,
)
