"""Sending: each message exactly once with two senders at once (real `flask notifications send` processes, on
SQLite and PostgreSQL), retries after a refusal, failed after the last try, crash-safe claims, the daily digest,
reminders queued once, and the outbox when no mail server is set."""
from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.factories import make_concern, make_hwb, make_plan, make_provider, make_user
from tracker.domain.notifications.delivery import Settings, claim, deliver
from tracker.domain.notifications.digest import compose_digests
from tracker.domain.notifications.inbox import set_modes
from tracker.domain.notifications.queue import queue
from tracker.domain.notifications.reminders import queue_reminders
from tracker.models import Notification
from tracker.notifications.transports import OutboxTransport, SmtpTransport
from tracker.web.extensions import db

ROOT = Path(__file__).resolve().parents[2]


def _board(count: int = 1):
    hwb = make_hwb("E06000001", name="Hartlepool")
    plan = make_plan(hwb)
    users = [make_user("hwb", f"board{i}@example.org", hwb=hwb) for i in range(count)]
    return plan, users


def _queue_many(plan, users, per_user: int) -> None:
    facts = {"plan": "Hartlepool's plan", "provider": "A trust", "event_date": "1 October 2014"}
    for n in range(per_user):
        queue(db.session, "event_recorded", users, plan, "event", f"EV-{n}", facts)


def test_two_sender_processes_deliver_500_messages_exactly_once(app_ctx, smtp) -> None:
    plan, users = _board(50)
    _queue_many(plan, users, 10)
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Notification)) == 500
    env = {**os.environ, "DATABASE_URL": app_ctx.config["SQLALCHEMY_DATABASE_URI"], "TRACKER_ENV": "testing",
           "SECRET_KEY": "test", "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": str(app_ctx.config["MAIL_PORT"]),
           "MAIL_DEFAULT_SENDER": "Tracker <noreply@tracker.test>",
           "TRACKER_INSTANCE_PATH": app_ctx.instance_path}
    flask = [sys.executable, "-m", "flask", "--app", "tracker", "notifications", "send"]
    senders = [subprocess.Popen(flask, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
               for _ in range(2)]
    outputs = [sender.communicate(timeout=240) for sender in senders]
    assert [sender.returncode for sender in senders] == [0, 0], outputs
    counts = Counter(smtp.ids())
    assert len(counts) == 500 and set(counts.values()) == {1}
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count()).where(Notification.status == "sent")) == 500
    # Both took part (the claims interleave), and together they sent each message once.
    sent = [int(out.split("Sent ")[1].split(",")[0]) for out, _ in outputs]
    assert sum(sent) == 500


def test_a_refusing_server_gets_the_messages_later_and_nothing_is_lost(app_ctx, smtp, runner) -> None:
    plan, users = _board(3)
    _queue_many(plan, users, 1)
    db.session.commit()
    smtp.refuse = 2  # the first two tries are refused with 451
    result = runner.invoke(args=["notifications", "send"])
    assert result.exit_code == 0
    assert smtp.refused == 2 and sorted(m["To"] for m in smtp.messages) == [u.email for u in users]
    rows = db.session.scalars(sa.select(Notification).order_by(Notification.id)).all()
    assert {r.status for r in rows} == {"sent"} and sorted(r.tries for r in rows) == [1, 2, 2]
    assert all(r.last_error == "" for r in rows)


def test_after_the_last_try_a_message_is_failed_with_the_reason(app_ctx, smtp) -> None:
    plan, users = _board(1)
    _queue_many(plan, users, 1)
    db.session.commit()
    smtp.refuse = 100
    transport = SmtpTransport(app_ctx.config)
    tally = deliver(db.session, transport, Settings(max_tries=3, retry_seconds=0))
    transport.close()
    row = db.session.scalar(sa.select(Notification))
    assert (tally.failed, tally.retried, row.status, row.tries) == (1, 2, "failed", 3)
    assert "451" in row.last_error and smtp.messages == []


def test_back_off_waits_before_the_next_try(app_ctx, smtp) -> None:
    plan, users = _board(1)
    _queue_many(plan, users, 1)
    db.session.commit()
    smtp.refuse = 1
    transport = SmtpTransport(app_ctx.config)
    tally = deliver(db.session, transport, Settings(retry_seconds=60))
    row = db.session.scalar(sa.select(Notification))
    assert (tally.retried, row.status) == (1, "queued")
    assert row.next_try_at > datetime.now(UTC) + timedelta(seconds=50)
    later = lambda: datetime.now(UTC) + timedelta(seconds=61)  # noqa: E731
    assert deliver(db.session, transport, Settings(retry_seconds=60), now=later).sent == 1
    transport.close()


def test_a_claim_left_by_a_crashed_sender_is_taken_over(app_ctx, smtp) -> None:
    plan, users = _board(1)
    _queue_many(plan, users, 1)
    db.session.commit()
    settings = Settings(claim_timeout=300)
    assert len(claim(db.session, "crashed", datetime.now(UTC), settings)) == 1
    assert claim(db.session, "other", datetime.now(UTC), settings) == []  # still someone's
    assert len(claim(db.session, "other", datetime.now(UTC) + timedelta(seconds=301), settings)) == 1


def test_the_daily_digest_gathers_held_messages_once_a_working_day(app_ctx, smtp, runner) -> None:
    plan, users = _board(2)
    set_modes(db.session, users[0], {"event_recorded": "digest"})
    _queue_many(plan, users, 3)
    db.session.commit()
    monday_9am = datetime(2014, 11, 3, 9, 0, tzinfo=UTC)
    assert compose_digests(db.session, monday_9am.replace(hour=6), "https://bcf.example.org") == 0  # before 7
    assert compose_digests(db.session, datetime(2014, 11, 1, 9, tzinfo=UTC), "https://x") == 0  # a Saturday
    assert compose_digests(db.session, monday_9am, "https://bcf.example.org") == 1
    assert compose_digests(db.session, monday_9am, "https://bcf.example.org") == 0  # once a day
    runner.invoke(args=["notifications", "send"])
    first, second = smtp.to(users[0].email), smtp.to(users[1].email)
    assert len(first) == 1 and len(second) == 3
    digest = first[0]
    assert digest["Subject"].strip() == "Your Better Care Fund tracker summary for 3 November 2014: 3 updates"
    text = digest.get_body(("plain",)).get_content()
    assert text.count("A provider recorded an event") == 3 and "https://bcf.example.org/board/events/EV-0" in text
    statuses = Counter(db.session.scalars(sa.select(Notification.status)))
    assert statuses == {"sent": 4, "digested": 3}


def test_reminders_due_tomorrow_and_overdue_are_queued_once_and_never_for_confidential(app_ctx) -> None:
    hwb = make_hwb("E06000001")
    plan = make_plan(hwb)
    board = make_user("hwb", hwb=hwb)
    trust = make_provider("acute", footprint=[hwb])
    make_concern(plan, trust, acknowledge_due=date(2014, 11, 4))  # a Tuesday
    make_concern(plan, trust, acknowledge_due=date(2014, 11, 4), confidential=True)
    db.session.commit()
    assert queue_reminders(db.session, date(2014, 11, 2)) == 0  # a Sunday: none
    assert queue_reminders(db.session, date(2014, 11, 3)) == 1  # Monday: due tomorrow
    assert queue_reminders(db.session, date(2014, 11, 3)) == 0  # once
    assert queue_reminders(db.session, date(2014, 11, 4)) == 0  # due today: not overdue
    assert queue_reminders(db.session, date(2014, 11, 5)) == 1  # overdue from today
    assert queue_reminders(db.session, date(2014, 11, 6)) == 0
    db.session.commit()
    kinds = db.session.scalars(sa.select(Notification.kind).where(Notification.user_id == board.id)
                               .order_by(Notification.id)).all()
    assert kinds == ["concern_due", "concern_overdue"]


def test_with_no_mail_server_each_message_is_an_eml_file(app_ctx, tmp_path) -> None:
    plan, users = _board(1)
    _queue_many(plan, users, 2)
    db.session.commit()
    transport = OutboxTransport({"NOTIFY_OUTBOX": str(tmp_path), "MAIL_DEFAULT_SENDER": "T <t@example.org>"})
    assert deliver(db.session, transport, Settings()).sent == 2
    files = sorted(tmp_path.glob("*.eml"))
    assert len(files) == 2
    content = files[0].read_text()
    assert "multipart/alternative" in content and "text/html" in content and "board0@example.org" in content


@pytest.mark.parametrize("setting, value", [("MAIL_PORT", 0), ("NOTIFY_MAX_TRIES", 0), ("TRACKER_BASE_URL", "x")])
def test_mail_settings_are_checked_at_start_up(tmp_path, setting, value) -> None:
    from tests.conftest import make_test_app
    from tracker.config import ConfigError

    with pytest.raises(ConfigError, match=setting):
        make_test_app(f"sqlite:///{tmp_path / 'x.sqlite'}", tmp_path, **{setting: value})
