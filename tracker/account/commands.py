"""`flask create-user` and `flask create-token`, as PRODUCT.md gives them."""
from __future__ import annotations

import sys

import click
from flask.cli import with_appcontext

from tracker.domain import accounts, vocab
from tracker.web.extensions import db


def _read_password() -> str:
    """Ask twice at a terminal; otherwise read one line from standard input without a prompt."""
    if sys.stdin.isatty():
        return click.prompt("Password", hide_input=True, confirmation_prompt=True)
    return sys.stdin.readline().rstrip("\r\n")


@click.command("create-user")
@click.argument("email")
@click.option("--role", required=True, type=click.Choice(list(vocab.ROLES)), help="The user's role.")
@click.option("--provider", "provider_code", help="Provider code, for a provider user.")
@click.option("--hwb", "hwb_code", help="Board code, for an HWB user.")
@click.option("--region", type=click.Choice(list(vocab.REGIONS)), help="Region, for a regional assurer.")
@click.option("--name", default="", help="The person's name.")
@with_appcontext
def create_user_command(email: str, role: str, provider_code: str | None, hwb_code: str | None,
                        region: str | None, name: str) -> None:
    """Create a user; the password is read from standard input."""
    if role != "provider" and provider_code or role != "hwb" and hwb_code or role != "assurer" and region:
        raise click.UsageError("--provider goes with --role provider, --hwb with --role hwb, "
                               "--region with --role assurer")
    password = _read_password()
    try:
        user = accounts.create_user(db.session, email, password, accounts.Scope(role, provider_code, hwb_code, region), name)
    except accounts.AccountError as error:
        db.session.rollback()
        click.echo(f"Error: {error}", err=True)
        sys.exit(1)
    db.session.commit()
    click.echo(f"Created {user.role} user {user.email}")


@click.command("create-token")
@click.argument("email")
@click.option("--name", default="created with flask create-token", help="A name to tell the token apart.")
@with_appcontext
def create_token_command(email: str, name: str) -> None:
    """Print a new API token for the user, once."""
    user = accounts.find_user(db.session, email)
    if user is None or not user.active:
        click.echo(f"Error: no active user with the email address {email}", err=True)
        sys.exit(1)
    token = accounts.create_token(db.session, user, name)
    db.session.commit()
    click.echo(token)
