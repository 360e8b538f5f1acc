"""`flask import KIND PATH`, as PRODUCT.md gives it."""
from __future__ import annotations

import sys

import click
from flask.cli import with_appcontext
from sqlalchemy.exc import SQLAlchemyError

from tracker.domain import audit
from tracker.imports.base import Settings
from tracker.imports.runner import KINDS, ImportRefused, run_import
from tracker.web.deadlines import concern_days
from tracker.web.extensions import db


@click.command("import")
@click.argument("kind", type=click.Choice(KINDS))
@click.argument("path")
@click.option("--overwrite", is_flag=True,
              help="Replace what people changed in the tracker since a row was last imported (an answer, a "
                   "withdrawal, an edit) with the file's values, instead of keeping and reporting it.")
@with_appcontext
def import_command(kind: str, path: str, overwrite: bool) -> None:
    """Import one CSV file of KIND, all or nothing; importing the same file again changes nothing. What people
    changed in the tracker since a row was last imported is kept and reported (line by line) unless --overwrite."""
    settings = Settings(acknowledge_days=concern_days().acknowledge,
                        respond_days=concern_days().respond, overwrite=overwrite)
    try:
        outcome = run_import(db.session, kind, path, settings)
        audit.record(db.session, "import", kind, "", after=outcome.audit(), actor="cli")
        db.session.commit()
    except ImportRefused as refused:
        db.session.rollback()
        for message in refused.messages:
            click.echo(message, err=True)
        click.echo(f"Nothing was imported: {len(refused.messages)} problem(s) found.", err=True)
        sys.exit(1)
    except SQLAlchemyError as error:
        db.session.rollback()
        detail = str(getattr(error, "orig", error)).splitlines()[0]
        click.echo(f"{path}: nothing was imported; the database refused the change ({detail})", err=True)
        sys.exit(1)
    click.echo(outcome.report())
