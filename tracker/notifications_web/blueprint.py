"""The notifications blueprint, in a module of its own so that its views import it without importing the package."""
from flask import Blueprint

bp = Blueprint("notifications", "tracker.notifications_web", url_prefix="/notifications")
