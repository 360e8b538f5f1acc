"""The main blueprint, in a module of its own so that its views import it without importing the package."""
from flask import Blueprint

bp = Blueprint("main", "tracker.main")
