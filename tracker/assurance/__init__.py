"""The assurance workspace: overview, plan review and sign-off, peer matching, escalations, evidence packs."""
from tracker.assurance import routes  # noqa: F401  (attaches the views to the blueprint)
from tracker.assurance.blueprint import bp

__all__ = ["bp"]
