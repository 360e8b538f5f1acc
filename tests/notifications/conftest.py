"""A real SMTP server on loopback (aiosmtpd) that keeps what arrives, or refuses it a number of times first."""
from __future__ import annotations

import email
import email.policy
import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import Message

import pytest
from aiosmtpd.controller import Controller


@dataclass
class Mailbox:
    """What the server received, and how many more messages it will refuse (451, try again later)."""

    messages: list[Message] = field(default_factory=list)
    refuse: int = 0
    refused: int = 0

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: ANN001, N802 - aiosmtpd's hook
        if self.refuse > 0:
            self.refuse -= 1
            self.refused += 1
            return "451 4.3.0 Try again later"
        self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        return "250 OK"

    def to(self, address: str) -> list[Message]:
        """The messages sent to one address."""
        return [m for m in self.messages if m["To"] == address]

    def ids(self) -> list[int]:
        """The notification id of every message received."""
        return [int(m["X-Tracker-Notification"]) for m in self.messages]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp(app, monkeypatch) -> Iterator[Mailbox]:
    """A loopback SMTP server the app sends to (its MAIL_* settings point at it for the test)."""
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", controller.port)
    monkeypatch.setitem(app.config, "MAIL_DEFAULT_SENDER", "Tracker <noreply@tracker.test>")
    monkeypatch.setitem(app.config, "NOTIFY_RETRY_SECONDS", 0)
    try:
        yield mailbox
    finally:
        controller.stop()


def body(message: Message, subtype: str = "plain") -> str:
    """The plain-text (or HTML) part of a message."""
    for part in message.walk():
        if part.get_content_type() == f"text/{subtype}":
            return part.get_content()
    raise AssertionError(f"no text/{subtype} part")
