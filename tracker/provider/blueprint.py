"""The provider blueprint, in a module of its own so that its views import it without importing the package."""
from flask import Blueprint

bp = Blueprint("provider", "tracker.provider", url_prefix="/provider")
