"""`flask --app tracker export participations PATH` (`-` for standard output): the events CSV of tracker.imports.export."""
from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import click
from flask.cli import with_appcontext

from tracker.imports.export import write_participations
from tracker.web.extensions import db


@click.group("export")
def export_command() -> None:
    """Export records as CSV files that `flask import` reads back."""


@export_command.command("participations")
@click.argument("path")
@with_appcontext
def participations_command(path: str) -> None:
    """Write every participation as an `events` import file to PATH (`-` for standard output)."""
    started = time.perf_counter()
    try:
        if path == "-":
            rows, where = write_participations(db.session, sys.stdout), ""
            sys.stdout.flush()
        else:
            rows, where = _write_file(path), f" to {path}"
    finally:
        db.session.rollback()  # end the read transaction the export ran in
    click.echo(f"participations: {rows} rows written{where} in {time.perf_counter() - started:.1f} s", err=True)


def _write_file(path: str) -> int:
    """Export into the file at `path`, written beside it and renamed at the end, so that a failed export never
    leaves a partial file behind; the rows written."""
    target = Path(path)
    if target.is_dir():
        _refuse(path, "it is a folder")
    partial = target.with_name(f".{target.name}.partial")
    try:
        with partial.open("w", newline="", encoding="utf-8") as out:
            rows = write_participations(db.session, out)
        os.replace(partial, target)
    except OSError as error:
        partial.unlink(missing_ok=True)
        _refuse(path, error.strerror or str(error))
    return rows


def _refuse(path: str, reason: str) -> None:
    """Say why nothing was written, and exit non-zero."""
    click.echo(f"{path}: cannot write the export there ({reason}); give a file path in a folder that exists and "
               "that you may write to, or - for standard output", err=True)
    sys.exit(1)
