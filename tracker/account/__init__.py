"""A signed-in user's own account: who they are, and their API tokens."""
from flask import Blueprint

bp = Blueprint("account", __name__, url_prefix="/account")

from tracker.account import routes  # noqa: E402,F401
