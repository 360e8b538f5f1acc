"""`flask seed-demo`: load the fictional demonstration data set into an empty database."""
from __future__ import annotations

import sys
import time

import click
from flask.cli import with_appcontext

from tracker.demo.generate import generate
from tracker.demo.write import database_is_empty, write_demo
from tracker.domain import audit
from tracker.web import clock
from tracker.web.deadlines import concern_days
from tracker.web.extensions import db

NOT_EMPTY = "The database already holds data; demo data not loaded."


@click.command("seed-demo")
@click.option("--if-empty", is_flag=True, help="Do nothing (and succeed) when the database already holds data.")
@with_appcontext
def seed_demo_command(if_empty: bool) -> None:
    """Load the fictional demonstration data set (152 boards, about 3,000 providers) into an empty database."""
    if not database_is_empty(db.session):
        db.session.rollback()
        if if_empty:
            click.echo(NOT_EMPTY)
            return
        click.echo(f"{NOT_EMPTY} seed-demo loads only into an empty database (no boards, no providers).",
                   err=True)
        sys.exit(1)
    started = time.perf_counter()
    data = generate(db.session, acknowledge_days=concern_days().acknowledge,
                    respond_days=concern_days().respond)
    try:
        written = write_demo(db.session, data, clock.today().isoformat())
        audit.record(db.session, "seed-demo", "database", "", after={k: v for k, v in written.items() if k != "users"},
                     actor="cli")
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    seconds = time.perf_counter() - started
    click.echo(f"Loaded the fictional demonstration data in {seconds:.1f} s: {written['hwbs']} boards, "
               f"{written['providers']} providers, {written['plans']} plans, {written['events']} events, "
               f"{written['participations']} participations, {written['concerns']} concerns.")
    click.echo("Demonstration logins (for the fictional data only; remove them before any real use):")
    names = {p["code"]: p["name"] for p in data.providers} | {h["code"]: h["name"] for h in data.hwbs}
    for user in data.users:
        if user["email"] in written["users"]:
            code = user["provider_code"] or user["hwb_code"]
            scope = f"{names[code]} ({code})" if code else f"region {user['region']}" if user["region"] else "England"
            click.echo(f"  {user['email']:<33} password: {user['password']:<19} {user['role']}: {scope}")
