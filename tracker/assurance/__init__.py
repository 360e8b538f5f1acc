"""The assurance workspace: overview, plan review and sign-off, peer matching, escalations, evidence packs."""
from flask import Blueprint

bp = Blueprint("assurance", __name__, url_prefix="/assurance")

from tracker.assurance import routes  # noqa: E402,F401
