"""Access rows of the concern loop: the assurers' queue and concern page (and the old escalations address), and the
concerns API. The concerns are made by the HWB rows' extend_world (tests/matrix_rows/hwb.py): one on board IN's plan,
one confidential there, one on board OUT's; board IN is out of the London assurer's scope. Nothing here changes a
concern: the page POSTs are shown again with their errors, the API actions are refused (422) or not visible (404).
"""
from __future__ import annotations

from tests.matrix_rows import IN_SCOPE, OUT_OF_SCOPE, Case, only

ASSURERS = only({"assurer", "regional", "admin"})
NOT_LONDON = {**ASSURERS, "regional": 404}
CONCERN = {"category": "excluded", "severity": "high", "confidential": False, "text": "Matrix concern by the API"}
REFUSED = {"action": "reopen", "message": "Not settled"}  # a concern that is open cannot be reopened by anyone
# The refused action: 422 where the concern is visible, 404 where it is not.
ACTION_IN = {"anon": 401, "provider": 422, "hwb": 422, "assurer": 422, "regional": 404, "admin": 422}
ACTION_SECRET = {**ACTION_IN, "hwb": 404}
ACTION_OUT = {"anon": 401, "provider": 404, "hwb": 404, "assurer": 422, "regional": 422, "admin": 422}

ROWS: dict[str, list[Case]] = {
    "assurance.concerns": [Case("GET", "/assurance/concerns", ASSURERS),
                           Case("GET", "/assurance/concerns?page=2", ASSURERS)],
    "assurance.escalations": [Case("GET", "/assurance/escalations", only({"assurer", "regional", "admin"}, 301))],
    "assurance.concern": [
        Case("GET", "/assurance/concerns/{hwb_concern_in}", NOT_LONDON),
        Case("GET", "/assurance/concerns/{hwb_concern_confidential}", NOT_LONDON),
        Case("GET", "/assurance/concerns/{hwb_concern_out}", ASSURERS),
        Case("GET", "/assurance/concerns/CN-NOSUCH", only({"assurer", "regional", "admin"}, 404)),
        # No action chosen: shown again with its error, nothing written.
        Case("POST", "/assurance/concerns/{hwb_concern_confidential}", NOT_LONDON, data={"message": ""}),
        Case("POST", "/assurance/concerns/{hwb_concern_out}", ASSURERS, data={"action": "acknowledge"}),
    ],
    "api.list_concerns": [
        Case("GET", "/api/v1/plans/{hwb_in}/2015-16/concerns", IN_SCOPE, token=True),
        Case("GET", "/api/v1/plans/{hwb_out}/2015-16/concerns", OUT_OF_SCOPE, token=True),
    ],
    "api.create_concern": [
        Case("POST", "/api/v1/plans/{hwb_in}/2015-16/concerns",
             {**IN_SCOPE, "provider": 201, "hwb": 403, "assurer": 403, "admin": 403}, token=True, json=CONCERN),
        Case("POST", "/api/v1/plans/{hwb_out}/2015-16/concerns",
             {**OUT_OF_SCOPE, "assurer": 403, "regional": 403, "admin": 403}, token=True, json=CONCERN),
    ],
    "api.concern_action": [
        Case("POST", "/api/v1/concerns/{hwb_concern_in}/actions", ACTION_IN, token=True, json=REFUSED),
        Case("POST", "/api/v1/concerns/{hwb_concern_confidential}/actions", ACTION_SECRET, token=True, json=REFUSED),
        Case("POST", "/api/v1/concerns/{hwb_concern_out}/actions", ACTION_OUT, token=True, json=REFUSED),
    ],
}
