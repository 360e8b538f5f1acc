"""Pages for everybody: the start page, and the design system's files."""
from flask import Blueprint

bp = Blueprint("main", __name__)

from tracker.main import routes  # noqa: E402,F401  (attaches the views to the blueprint)
