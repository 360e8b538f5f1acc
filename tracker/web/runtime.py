"""Tuning of the serving process (production only; see GC_TUNING in README.md, "Configuration").

A page of the national overview or a plan's evidence makes some hundred thousand short-lived objects (rows,
ORM instances, template strings). With CPython's default thresholds that starts a full collection every few
requests, and each full collection walks every object the process holds: the app, SQLAlchemy's and Jinja's
compiled code, the templates. Those pauses were most of the 95th-percentile time of the pages. So, once the
app is built, its objects are moved out of the collector's sight (gc.freeze: they live as long as the process)
and the youngest generation is collected less often; reference cycles are still collected.
"""
from __future__ import annotations

import gc

YOUNGEST_THRESHOLD = 20_000  # CPython's default is 700 allocations


def tune_garbage_collector() -> None:
    """Freeze what exists now (the built app) and collect the youngest generation less often."""
    gc.collect()
    gc.freeze()
    _, middle, oldest = gc.get_threshold()
    gc.set_threshold(YOUNGEST_THRESHOLD, middle, oldest)
