"""The account blueprint, in a module of its own so that its views import it without importing the package."""
from flask import Blueprint

bp = Blueprint("account", "tracker.account", url_prefix="/account")
