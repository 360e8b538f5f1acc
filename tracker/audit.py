"""Writing to the append-only audit trail. Entries are only ever added, in the caller's transaction."""
from __future__ import annotations

from typing import Any

from flask import has_request_context, request
from flask_login import current_user

from tracker.extensions import db
from tracker.models import AuditEntry, User


def record(action: str, entity_type: str, entity_id: object = "", *, before: Any = None, after: Any = None,
           actor: User | str | None = None) -> AuditEntry:
    """Add an audit entry; the actor defaults to the signed-in user, or "cli" outside a request."""
    actor_id, label, address = None, "cli", ""
    if has_request_context():
        address = (request.remote_addr or "")[:45]
        if actor is None and current_user.is_authenticated:
            actor = current_user._get_current_object()  # noqa: SLF001 - the real User behind the proxy
    if isinstance(actor, User):
        actor_id, label = actor.id, actor.email
    elif isinstance(actor, str):
        label = actor
    elif has_request_context():
        label = "anonymous"
    entry = AuditEntry(actor_id=actor_id, actor=label, action=action, entity_type=entity_type,
                       entity_id=str(entity_id), before=before, after=after, remote_addr=address)
    db.session.add(entry)
    return entry
