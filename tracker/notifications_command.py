"""`flask --app tracker notifications send [--loop]`: queue the reminders and daily digests that are due, then
send every queued e-mail, each exactly once however many copies run at once (tracker.domain.notifications.delivery).

Without --loop it sends what is due and exits (for cron or a systemd timer); with --loop it keeps going, a round
every NOTIFY_LOOP_SECONDS, and stops cleanly between messages on SIGTERM or Ctrl-C.
"""
from __future__ import annotations

import signal
import threading
from types import FrameType

import click
from flask import current_app
from flask.cli import with_appcontext

from tracker.domain.notifications.delivery import Tally, deliver, new_claim_id
from tracker.domain.notifications.digest import compose_digests
from tracker.domain.notifications.reminders import queue_reminders
from tracker.models._types import utcnow
from tracker.notifications.transports import settings_for, transport_for
from tracker.web.clock import today
from tracker.web.extensions import db


def send_round(claim_id: str) -> tuple[int, int, Tally]:
    """One round: reminders, digests, then everything due; (reminders queued, digests composed, what was sent)."""
    config = current_app.config
    try:
        reminders = queue_reminders(db.session, today())
        db.session.commit()
        digests = compose_digests(db.session, utcnow(), config["TRACKER_BASE_URL"], config["NOTIFY_DIGEST_HOUR"])
        transport = transport_for(config)
        try:
            tally = deliver(db.session, transport, settings_for(config), claim_id=claim_id)
        finally:
            transport.close()  # type: ignore[attr-defined]
    except Exception:
        db.session.rollback()
        raise
    return reminders, digests, tally


@click.group("notifications")
def notifications_command() -> None:
    """Send the e-mails people are owed (see docs/notifications.md)."""


@notifications_command.command("send")
@click.option("--loop", is_flag=True, help="Keep running: a round every NOTIFY_LOOP_SECONDS until stopped.")
@with_appcontext
def send_command(loop: bool) -> None:
    """Queue due reminders and digests, and send every queued e-mail."""
    stop = threading.Event()

    def _stop(signum: int, _frame: FrameType | None) -> None:
        stop.set()

    if loop:
        signal.signal(signal.SIGTERM, _stop)
        signal.signal(signal.SIGINT, _stop)
    claim_id = new_claim_id()
    while True:
        reminders, digests, tally = send_round(claim_id)
        if tally.sent or tally.retried or tally.failed or reminders or digests or not loop:
            click.echo(f"Sent {tally.sent}, to try again {tally.retried}, failed {tally.failed}; "
                       f"queued {reminders} reminders and {digests} digests.")
        for error in tally.errors[:20]:
            click.echo(error, err=True)
        if not loop or stop.wait(current_app.config["NOTIFY_LOOP_SECONDS"]):
            break
