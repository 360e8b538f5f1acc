"""Characters no database can store (NUL) get a clear message on the field, never a server error."""
from __future__ import annotations

import pytest

from tests.factories import sign_in_as
from tests.provider.conftest import audit_actions, event_form
from tests.provider.test_concerns import raise_one


@pytest.mark.parametrize("path, data, message", [
    ("/events/new", event_form(summary="Minutes\x00"), "Summary of what happened must not contain control"),
    ("/events/new", event_form(evidence_url="https://example.org/\x00"), "Link to evidence (optional) must not"),
    ("/events/new", event_form(others=["RPART\x00"]), "Select other providers from the list"),
    ("/concerns/new", {"category": "data", "severity": "low", "text": "A\x00B", "confidential": "no"},
     "Describe your concern must not contain control characters"),
    ("/assessment", {"emergency_admissions_change_pct": "1", "financial_impact_gbp": "1", "agreement": "agree",
                     "comments": "\x00"}, "Comments (optional) must not contain control characters"),
])
def test_a_nul_character_is_refused_on_its_field(client, scene, path, data, message) -> None:
    sign_in_as(client, scene.user)
    response = client.post(scene.base + path, data=data)
    assert response.status_code == 200 and message in response.get_data(as_text=True)
    assert audit_actions() == []


def test_a_nul_character_in_a_concern_reply_is_refused(client, scene) -> None:
    concern = raise_one(client, scene)
    response = client.post(f"/provider/concerns/{concern.ref}", data={"action": "reply", "message": "Hi\x00"})
    assert response.status_code == 200 and "Your message must not contain control characters" in response.get_data(
        as_text=True)
    assert audit_actions() == ["concern_raised"]
