"""gunicorn reads this file from the project folder: it tells the app how many workers serve it, so that the app
refuses to start in production with per-process rate-limit counters when there are several
(tracker/config.py: RATELIMIT_STORAGE_URI must then be shared, e.g. Redis)."""
import os


def on_starting(server):  # noqa: ANN001, ANN201 - gunicorn's hook signature
    os.environ["TRACKER_WORKERS"] = str(server.cfg.workers)
