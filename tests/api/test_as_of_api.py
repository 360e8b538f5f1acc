"""as_of on GET /api/v1/plans and …/evidence: the evidence as at a date, validated, and said in the answer."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

EVIDENCE = "/api/v1/plans/E06000001/2015-16/evidence"
PLANS = "/api/v1/plans?year=2015-16"
EVENT = {"date": "2014-06-12", "kind": "workshop", "depth": 3, "topics": ["schemes"], "summary": "Workshop.",
         "participations": [{"provider_code": "RIN", "leadership": True}]}


def test_an_event_recorded_today_with_a_2014_date_does_not_count_as_at_an_earlier_day(call) -> None:
    assert call("provider", "POST", EVIDENCE.replace("evidence", "events"), json=EVENT).status_code == 201
    today = date.today()
    for day in ("2014-06-12", "2014-12-31", (today - timedelta(days=1)).isoformat()):
        answer = call("hwb", "GET", f"{EVIDENCE}?as_of={day}").json
        assert answer["as_of"] == day
        assert (answer["engaged"]["acute"], answer["coverage"], answer["corroboration"]) == (0, 0.0, None)
    for path in (EVIDENCE, f"{EVIDENCE}?as_of={today.isoformat()}"):
        answer = call("hwb", "GET", path).json
        assert answer["as_of"] == today.isoformat() and answer["engaged"]["acute"] == 1 and answer["coverage"] == 0.5
    rows = {row["hwb_code"]: row for row in call("assurer", "GET", f"{PLANS}&as_of=2014-12-31").json}
    assert rows["E06000001"]["coverage"] == 0.0
    assert {row["hwb_code"]: row["coverage"] for row in call("assurer", "GET", PLANS).json}["E06000001"] == 0.5


@pytest.mark.parametrize("value, message", [
    ("tomorrow", "Not a valid date."),
    ("2014-02-30", "Not a valid date."),
    ("2014-6-1x", "Not a valid date."),
    ("", "Not a valid date."),
    ("9999-12-31", "Must be today or a date before today"),
])
@pytest.mark.parametrize("path", [EVIDENCE + "?", PLANS + "&"])
def test_a_malformed_or_future_as_of_answers_422_naming_it(call, path, value, message) -> None:
    response = call("hwb", "GET", f"{path}as_of={value}")
    assert response.status_code == 422, response.json
    assert response.json["error"]["fields"] == {"as_of": message}


def test_tomorrow_is_refused_and_today_is_not(call) -> None:
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    assert call("hwb", "GET", f"{EVIDENCE}?as_of={tomorrow}").status_code == 422
    assert call("hwb", "GET", f"{EVIDENCE}?as_of={date.today().isoformat()}").status_code == 200


def test_as_of_is_in_the_openapi_document(client) -> None:
    document = client.get("/api/v1/openapi.json").json
    for path in ("/api/v1/plans", "/api/v1/plans/{hwb_code}/{year}/evidence"):
        names = {p["name"] for p in document["paths"][path]["get"]["parameters"] if p["in"] == "query"}
        assert "as_of" in names
    assert "as_of" in document["components"]["schemas"]["Evidence"]["required"]
