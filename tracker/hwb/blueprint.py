"""The hwb blueprint, in a module of its own so that its views import it without importing the package."""
from flask import Blueprint

bp = Blueprint("hwb", "tracker.hwb", url_prefix="/board")
