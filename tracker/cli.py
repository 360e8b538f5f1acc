"""The flask commands of PRODUCT.md: each command's work lives in a plain module; this only wires it up."""
from __future__ import annotations

from flask import Flask


def register_commands(app: Flask) -> None:
    """Attach every command group's commands to the app's CLI."""
    from tracker.account.commands import create_token_command, create_user_command

    app.cli.add_command(create_user_command)
    app.cli.add_command(create_token_command)
    from tracker.imports.command import import_command
    app.cli.add_command(import_command)
    from tracker.imports.jobs_command import imports_command
    app.cli.add_command(imports_command)
    from tracker.backup import backup_command
    app.cli.add_command(backup_command)
    from tracker.demo.command import seed_demo_command
    app.cli.add_command(seed_demo_command)
    from tracker.imports.export_command import export_command
    app.cli.add_command(export_command)
    from tracker.summaries_command import evidence_command
    app.cli.add_command(evidence_command)
    from tracker.notifications_command import notifications_command
    app.cli.add_command(notifications_command)
