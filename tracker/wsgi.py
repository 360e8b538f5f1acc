"""The entry point for gunicorn: `gunicorn tracker.wsgi:app`. Production unless TRACKER_ENV says otherwise."""
import os

from tracker import create_app

os.environ.setdefault("TRACKER_ENV", "production")
app = create_app()
