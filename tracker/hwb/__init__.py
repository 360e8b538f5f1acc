"""The HWB workspace: the board's evidence, events, concerns to answer, membership and plan."""
from flask import Blueprint

bp = Blueprint("hwb", __name__, url_prefix="/board")

from tracker.hwb import routes  # noqa: E402,F401
