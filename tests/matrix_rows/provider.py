"""Access rows of the provider workspace, and the records its rows need (extend_world).

Provider pages are for provider users only: anonymous visitors are sent to sign in, other roles are refused
(403), and a provider is answered 404 for a plan, event or concern outside its scope. Evidence documents are
the exception: anyone who may see the event may download them.
"""
from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from flask import current_app

from tests.matrix_rows import Case, only
from tracker.models import Concern, EngagementEvent, EventTopic, EvidenceDocument, Participation
from tracker.web.extensions import db

PROVIDER = only({"provider"})
PROVIDER_OUT = only({"provider"}, code=404)
PROVIDER_REDIRECT = only({"provider"}, code=303)
# A document on board IN's plan: its provider and board, national assurers and admins; not the London assurer.
DOCUMENT_IN = {"anon": 302, "provider": 200, "hwb": 200, "assurer": 200, "regional": 404, "admin": 200}
DOCUMENT_OUT = {"anon": 302, "provider": 404, "hwb": 404, "assurer": 200, "regional": 200, "admin": 200}
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32

PLAN_IN = "/provider/plans/{hwb_in}/2015-16"
PLAN_OUT = "/provider/plans/{hwb_out}/2015-16"

ROWS: dict[str, list[Case]] = {
    "provider.home": [Case("GET", "/provider/", PROVIDER)],
    "provider.plan": [Case("GET", PLAN_IN, PROVIDER), Case("GET", PLAN_OUT, PROVIDER_OUT),
                      Case("GET", "/provider/plans/{hwb_in}/2099-00", PROVIDER_OUT)],
    "provider.export": [
        Case("GET", PLAN_IN + "/export/events.csv", PROVIDER),
        Case("GET", PLAN_IN + "/export/concerns.csv", PROVIDER),
        Case("GET", PLAN_IN + "/export/impact-assessments.csv", PROVIDER),
        Case("GET", PLAN_IN + "/export/users.csv", PROVIDER_OUT),
        Case("GET", PLAN_OUT + "/export/events.csv", PROVIDER_OUT),
    ],
    "provider.new_event": [Case("GET", PLAN_IN + "/events/new", PROVIDER),
                           Case("GET", PLAN_OUT + "/events/new", PROVIDER_OUT),
                           Case("POST", PLAN_OUT + "/events/new", PROVIDER_OUT, data={"submission": "0" * 32})],
    "provider.event": [Case("GET", "/provider/events/{provider_event_in}", PROVIDER),
                       Case("GET", "/provider/events/{provider_hwb_event_in}", PROVIDER),
                       Case("GET", "/provider/events/{provider_event_out}", PROVIDER_OUT)],
    "provider.edit_event": [Case("GET", "/provider/events/{provider_event_in}/edit", PROVIDER),
                            Case("GET", "/provider/events/{provider_hwb_event_in}/edit", only({"provider"}, 403)),
                            Case("GET", "/provider/events/{provider_event_out}/edit", PROVIDER_OUT)],
    "provider.withdraw": [Case("GET", "/provider/events/{provider_event_in}/withdraw", PROVIDER),
                          Case("POST", "/provider/events/{provider_event_out}/withdraw", PROVIDER_OUT)],
    "provider.answer_event": [Case("GET", "/provider/events/{provider_hwb_event_in}/answer", PROVIDER),
                              Case("GET", "/provider/events/{provider_event_in}/answer", only({"provider"}, 403)),
                              Case("POST", "/provider/events/{provider_event_out}/answer", PROVIDER_OUT,
                                   data={"status": "disputed"})],
    "provider.document": [Case("GET", "/provider/events/{provider_event_in}/documents/{provider_document_in}",
                               DOCUMENT_IN),
                          Case("GET", "/provider/events/{provider_event_out}/documents/{provider_document_out}",
                               DOCUMENT_OUT),
                          # A real document asked for through another event's address
                          Case("GET", "/provider/events/{provider_event_in}/documents/{provider_document_out}",
                               {**DOCUMENT_OUT, "assurer": 404, "regional": 404, "admin": 404})],
    "provider.new_concern": [Case("GET", PLAN_IN + "/concerns/new", PROVIDER),
                             Case("GET", PLAN_OUT + "/concerns/new", PROVIDER_OUT)],
    "provider.check_concern": [Case("GET", PLAN_IN + "/concerns/check", PROVIDER_REDIRECT),
                               Case("GET", PLAN_OUT + "/concerns/check", PROVIDER_OUT)],
    "provider.concern_raised": [Case("GET", "/provider/concerns/{provider_concern_in}/raised", PROVIDER),
                                Case("GET", "/provider/concerns/{provider_concern_out}/raised", PROVIDER_OUT)],
    "provider.concern": [Case("GET", "/provider/concerns/{provider_concern_in}", PROVIDER),
                         Case("GET", "/provider/concerns/{provider_concern_out}", PROVIDER_OUT),
                         Case("POST", "/provider/concerns/{provider_concern_out}", PROVIDER_OUT,
                              data={"action": "resolve"})],
    "provider.assessment": [Case("GET", PLAN_IN + "/assessment", PROVIDER),
                            Case("GET", PLAN_OUT + "/assessment", PROVIDER_OUT)],
}


def _event(plan_id: int, recorded_by_provider_id: int | None, provider_ids: list[int], ref: str) -> EngagementEvent:
    event = EngagementEvent(ref=ref, plan_id=plan_id, recorded_by="provider" if recorded_by_provider_id else "hwb",
                            recorded_by_provider_id=recorded_by_provider_id, date=date(2014, 6, 12), kind="meeting",
                            depth=3, summary="Matrix event", topics=[EventTopic(topic="schemes")],
                            participations=[Participation(provider_id=pid) for pid in provider_ids])
    db.session.add(event)
    db.session.flush()
    return event


def _document(event: EngagementEvent, key: str) -> EvidenceDocument:
    folder = Path(current_app.config["UPLOAD_FOLDER"])
    folder.mkdir(parents=True, exist_ok=True)
    (folder / key).write_bytes(PNG)
    document = EvidenceDocument(event_id=event.id, filename="minutes.png", content_type="image/png",
                                size_bytes=len(PNG), sha256="0" * 64, storage_key=key)
    db.session.add(document)
    db.session.flush()
    return document


def _concern(plan_id: int, provider_id: int, ref: str) -> Concern:
    concern = Concern(ref=ref, plan_id=plan_id, provider_id=provider_id, raised=date(2014, 10, 1),
                      category="excluded", severity="high", text="Matrix concern", acknowledge_due=date(2014, 10, 6),
                      respond_due=date(2014, 10, 29))
    db.session.add(concern)
    db.session.flush()
    return concern


def extend_world(world: dict[str, Any]) -> dict[str, Any]:
    """An event each side recorded on board IN's plan, one on board OUT's, a document on each, and a concern each."""
    plan_in, plan_out = world["plans"]["in"], world["plans"]["out"]
    mine, theirs = world["providers"]["in"], world["providers"]["out"]
    event_in = _event(plan_in.id, mine.id, [mine.id], "EV-MATRIXIN")
    hwb_event_in = _event(plan_in.id, None, [mine.id], "EV-MATRIXHWB")
    event_out = _event(plan_out.id, theirs.id, [theirs.id], "EV-MATRIXOUT")
    return {
        "provider_event_in": event_in.ref, "provider_hwb_event_in": hwb_event_in.ref,
        "provider_event_out": event_out.ref,
        "provider_document_in": _document(event_in, "a" * 48).id,
        "provider_document_out": _document(event_out, "b" * 48).id,
        "provider_concern_in": _concern(plan_in.id, mine.id, "CN-MATRIXIN").ref,
        "provider_concern_out": _concern(plan_out.id, theirs.id, "CN-MATRIXOUT").ref,
    }
