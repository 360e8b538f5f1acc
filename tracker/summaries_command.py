"""`flask --app tracker evidence verify` and `flask --app tracker evidence rebuild`: check the engagement summaries
and footprint tallies the evidence figures read against a recomputation from the raw records, and recompute them.

verify names every plan (board code and year) and provider whose summary differs, and every board and sector whose
tally differs, one a line, then a summary line; it exits 1 when any differs, 0 otherwise. It only reads, and each
table is compared in one statement, so it can run while the service is in use.

rebuild recomputes both tables whole in one transaction, with an audit entry (summaries_rebuilt) saying how many
rows differed before; writers wait for it on PostgreSQL.
"""
from __future__ import annotations

import sys
import time

import click
from flask.cli import with_appcontext

from tracker.domain import audit, summaries
from tracker.web.extensions import db


@click.group("evidence")
def evidence_command() -> None:
    """Check and rebuild the engagement summaries and footprint tallies behind the evidence figures."""


@evidence_command.command("verify")
@with_appcontext
def verify_command() -> None:
    """Compare every summary and tally with a recomputation from the records; exit 1 when any differs."""
    started = time.perf_counter()
    try:
        differences = summaries.verify(db.session)
        stored, tallies = summaries.stored_counts(db.session)
    finally:
        db.session.rollback()  # end the read transaction
    for difference in differences:
        click.echo(str(difference))
    seconds = time.perf_counter() - started
    if differences:
        click.echo(f"{len(differences)} of the stored summaries and tallies differ from the records "
                   f"({stored} summaries, {tallies} tallies stored; checked in {seconds:.1f} s). "
                   "`flask --app tracker evidence rebuild` recomputes them.")
        sys.exit(1)
    click.echo(f"All {stored} engagement summaries and {tallies} footprint tallies equal a recomputation from the "
               f"records (checked in {seconds:.1f} s).")


@evidence_command.command("rebuild")
@with_appcontext
def rebuild_command() -> None:
    """Recompute every summary and tally from the records, in one transaction, and audit it."""
    started = time.perf_counter()
    try:
        found = len(summaries.verify(db.session))
        summaries.rebuild(db.session)
        stored, tallies = summaries.stored_counts(db.session)
        audit.record(db.session, "summaries_rebuilt", "database", "", actor="cli",
                     after={"differences_found": found, "summaries": stored, "tallies": tallies})
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    click.echo(f"Rebuilt {stored} engagement summaries and {tallies} footprint tallies from the records in "
               f"{time.perf_counter() - started:.1f} s ({found} had differed).")
