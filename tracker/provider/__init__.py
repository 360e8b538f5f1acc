"""The provider workspace: boards served, events, confirmations, concerns, impact assessments."""
from flask import Blueprint

bp = Blueprint("provider", __name__, url_prefix="/provider")

from tracker.provider import assessments, concerns, events, routes  # noqa: E402,F401
