"""The daily digest: on each working day, one message per person gathering what they chose to hear that way.

The sender composes it once a day per person (a key per person and day), from the messages held since the last
one; a message held after today's digest waits for the next working day's.
"""
from __future__ import annotations

import html
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from tracker.domain.clock import LONDON
from tracker.domain.formatting import format_date
from tracker.domain.working_days import is_working_day
from tracker.models import Notification


def digest_due(now: datetime, hour: int) -> date | None:
    """Today's date in London when a digest may be composed now (a working day, from `hour` o'clock), else None."""
    local = now.astimezone(LONDON)
    if not is_working_day(local.date()) or local.hour < hour:
        return None
    return local.date()


def compose_digest(items: list[Notification], day: date, base_url: str) -> tuple[str, str, str]:
    """The subject, plain text and HTML of a digest listing these notifications."""
    count = len(items)
    subject = f"Your Better Care Fund tracker summary for {format_date(day)}: {count} update{'s' * (count != 1)}"
    intro = f"Here {'is' if count == 1 else 'are'} {count} update{'s' * (count != 1)} since your last summary."
    lines, html_items = [intro, ""], []
    for item in items:
        url = base_url.rstrip("/") + item.link if item.link else ""
        lines.append(f"- {item.subject}" + (f"\n  {url}" if url else ""))
        title = html.escape(item.subject)
        link = f'<a href="{html.escape(url, quote=True)}">{title}</a>' if url else title
        html_items.append(f"<li>{link}</li>")
    return subject, "\n".join(lines), f"<p>{html.escape(intro)}</p><ul>{''.join(html_items)}</ul>"


def compose_digests(session: Session, now: datetime, base_url: str, hour: int = 7) -> int:
    """Compose today's digest for everyone with held messages who has none yet; how many were composed."""
    day = digest_due(now, hour)
    if day is None:
        return 0
    key = f"digest:{day.isoformat()}"
    people = session.scalars(sa.select(Notification.user_id).where(Notification.status == "held").distinct()).all()
    composed = 0
    for user_id in sorted(people):
        items = list(session.scalars(sa.select(Notification).where(
            Notification.user_id == user_id, Notification.status == "held").order_by(Notification.id)))
        if not items:
            continue
        subject, text, body_html = compose_digest(items, day, base_url)
        try:
            with session.begin_nested():  # another sender composing the same digest: the key lets one through
                digest = Notification(user_id=user_id, kind="digest", subject=subject, body_text=text,
                                      body_html=body_html, link="/notifications/", key=key, created_at=now,
                                      next_try_at=now, status="queued")
                session.add(digest)
                session.flush()
                session.execute(sa.update(Notification).where(
                    Notification.id.in_([i.id for i in items]), Notification.status == "held")
                    .values(status="digested", digest_id=digest.id).execution_options(synchronize_session=False))
        except IntegrityError:
            continue
        session.commit()
        composed += 1
    session.commit()
    return composed
