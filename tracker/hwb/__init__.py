"""The HWB workspace: the board's evidence, events, concerns to answer, membership and plan."""
from flask import Blueprint

bp = Blueprint("hwb", __name__, url_prefix="/board")

from tracker.hwb import board, concerns, dashboard, events, export, plan  # noqa: E402,F401
