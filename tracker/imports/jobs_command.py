"""`flask imports work [--loop]`: process the imports uploaded in the browser (tracker.imports.jobs)."""
from __future__ import annotations

import time

import click
from flask.cli import AppGroup, with_appcontext

from tracker.imports.jobs import work_queued

imports_command = AppGroup("imports", help="Imports uploaded in the browser.")


@imports_command.command("work")
@click.option("--loop", is_flag=True, help="Keep waiting for new jobs (every few seconds) instead of stopping.")
@click.option("--interval", default=5.0, show_default=True, help="Seconds between two looks when --loop.")
@with_appcontext
def work_command(loop: bool, interval: float) -> None:
    """Preview or import every queued job, oldest first."""
    while True:
        count = work_queued()
        if count:
            click.echo(f"{count} import job{'s' if count != 1 else ''} processed")
        if not loop:
            return
        time.sleep(interval)
