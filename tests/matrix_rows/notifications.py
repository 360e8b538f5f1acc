"""Access rows of the notifications pages and the forgotten-password pages, and a notification for the board's user
(extend_world): each person opens only their own; everyone signed in has a list and settings."""
from __future__ import annotations

from typing import Any

from tests.matrix_rows import Case, everyone, signed_in
from tracker.models import Notification
from tracker.web.extensions import db

ROWS: dict[str, list[Case]] = {
    "notifications.index": [Case("GET", "/notifications/", signed_in(200))],
    "notifications.open_item": [
        Case("GET", "/notifications/{hwb_notification}", {**signed_in(404), "hwb": 303}),
        Case("GET", "/notifications/999999", signed_in(404)),
    ],
    "notifications.read_all": [Case("POST", "/notifications/read", signed_in(303))],
    "notifications.preferences": [
        Case("GET", "/notifications/settings", signed_in(200)),
        # A choice that is not offered is shown again with its error, nothing saved (an admin has no kinds to choose).
        Case("POST", "/notifications/settings", {**signed_in(200), "admin": 303}, data={"concern_raised": "off"}),
    ],
    "auth.forgot_password": [Case("GET", "/forgot-password", everyone(200)),
                             Case("POST", "/forgot-password", everyone(200), data={"email": ""})],
    "auth.reset_password": [Case("GET", "/reset-password/not-a-token", everyone(404))],
}


def extend_world(world: dict[str, Any]) -> dict[str, Any]:
    """A notification of the board's user about its plan."""
    row = Notification(user_id=world["users"]["hwb"].id, kind="event_recorded", plan_id=world["plans"]["in"].id,
                       record_type="plan", record_ref="x", subject="Matrix", body_text="Matrix", body_html="",
                       link="/board/", status="sent")
    db.session.add(row)
    db.session.flush()
    return {"hwb_notification": row.id}
