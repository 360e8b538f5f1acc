"""The three ways e-mail leaves: SMTP (MAIL_SERVER…), GOV.UK Notify (NOTIFY_API_KEY), or, with neither set, an
.eml file per message under instance/outbox/ so a single machine needs nothing more.
"""
from __future__ import annotations

import contextlib
import os
import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path
from typing import Any

from tracker.domain.notifications.delivery import DeliveryError, Outgoing, Settings, Transport


def build_message(message: Outgoing, sender: str) -> EmailMessage:
    """A multipart e-mail: the plain text, then the same as HTML."""
    mail = EmailMessage()
    mail["From"] = sender
    mail["To"] = message.to
    mail["Subject"] = message.subject
    mail["Date"] = formatdate(localtime=False)
    domain = sender.rsplit("@", 1)[-1].strip("> ") or "localhost"
    mail["Message-ID"] = make_msgid(idstring=f"notification-{message.notification_id}", domain=domain)
    mail["X-Tracker-Notification"] = str(message.notification_id)
    mail["Auto-Submitted"] = "auto-generated"
    mail.set_content(message.text)
    mail.add_alternative(f"<!doctype html><html lang=\"en\"><body>{message.html}</body></html>", subtype="html")
    return mail


class SmtpTransport:
    """SMTP with optional STARTTLS and login; one connection per sending round, opened when first needed."""

    def __init__(self, config: dict[str, Any]) -> None:
        self.config = config
        self.connection: smtplib.SMTP | None = None

    def _connect(self) -> smtplib.SMTP:
        if self.connection is None:
            cfg = self.config
            connection = smtplib.SMTP(cfg["MAIL_SERVER"], cfg["MAIL_PORT"], timeout=cfg["MAIL_TIMEOUT_SECONDS"])
            if cfg["MAIL_USE_TLS"]:
                connection.starttls(context=ssl.create_default_context())
            if cfg["MAIL_USERNAME"]:
                connection.login(cfg["MAIL_USERNAME"], cfg["MAIL_PASSWORD"])
            self.connection = connection
        return self.connection

    def send(self, message: Outgoing) -> None:
        try:
            self._connect().send_message(build_message(message, self.config["MAIL_DEFAULT_SENDER"]))
        except (smtplib.SMTPException, OSError) as exc:
            self.close()  # the next message starts on a fresh connection
            raise DeliveryError(f"SMTP: {exc}") from exc

    def close(self) -> None:
        if self.connection is not None:
            with contextlib.suppress(smtplib.SMTPException, OSError):
                self.connection.quit()
            self.connection = None


class NotifyTransport:
    """GOV.UK Notify, through one e-mail template whose subject is ((subject)) and body ((body)).

    Notify formats the body itself, so the plain-text part is sent; the reference is the notification's id.
    """

    def __init__(self, config: dict[str, Any]) -> None:
        from notifications_python_client.notifications import NotificationsAPIClient

        self.client = NotificationsAPIClient(config["NOTIFY_API_KEY"])
        self.template_id = config["NOTIFY_TEMPLATE_ID"]

    def send(self, message: Outgoing) -> None:
        from notifications_python_client.errors import APIError
        from requests import RequestException

        try:
            self.client.send_email_notification(
                email_address=message.to, template_id=self.template_id,
                personalisation={"subject": message.subject, "body": message.text},
                reference=f"notification-{message.notification_id}")
        except (APIError, RequestException) as exc:
            raise DeliveryError(f"GOV.UK Notify: {exc}") from exc

    def close(self) -> None:
        pass


class OutboxTransport:
    """Writes each message as an .eml file in the outbox folder (written whole, then renamed into place)."""

    def __init__(self, config: dict[str, Any]) -> None:
        self.folder = Path(config["NOTIFY_OUTBOX"])
        self.sender = config["MAIL_DEFAULT_SENDER"]

    def send(self, message: Outgoing) -> None:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            final = self.folder / f"{message.notification_id:08d}.eml"
            partial = final.with_suffix(f".{os.getpid()}.part")
            partial.write_bytes(bytes(build_message(message, self.sender)))
            partial.replace(final)
        except OSError as exc:
            raise DeliveryError(f"Outbox: {exc}") from exc

    def close(self) -> None:
        pass


def transport_for(config: dict[str, Any]) -> Transport:
    """Notify when its key is set, else SMTP when a server is set, else the outbox folder."""
    if config.get("NOTIFY_API_KEY"):
        return NotifyTransport(config)
    if config.get("MAIL_SERVER"):
        return SmtpTransport(config)
    return OutboxTransport(config)


def settings_for(config: dict[str, Any]) -> Settings:
    """The sender's settings from the app's configuration."""
    return Settings(base_url=config["TRACKER_BASE_URL"], max_tries=config["NOTIFY_MAX_TRIES"],
                    retry_seconds=config["NOTIFY_RETRY_SECONDS"],
                    claim_timeout=config["NOTIFY_CLAIM_TIMEOUT_SECONDS"])
