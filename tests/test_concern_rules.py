"""Who owes a concern's next step (next_step), what each side may do (allowed_actions), and the board's share of
it (board_owes, what E6 counts): table-driven over statuses x confidential x side."""
from __future__ import annotations

from datetime import date

import pytest

from tracker.domain.concerns import allowed_actions, board_owes, is_overdue, next_step

ACK, RESP = date(2014, 10, 6), date(2014, 10, 29)
STATUSES = ("open", "acknowledged", "responded", "escalated", "resolved")

# (status, confidential) -> (side, step, due)
OWED = {
    ("open", False): ("hwb", "acknowledge", ACK),
    ("acknowledged", False): ("hwb", "respond", RESP),
    ("responded", False): ("provider", "decide", None),
    ("escalated", False): ("assurer", "respond", RESP),
    ("resolved", False): (None, None, None),
    ("open", True): ("assurer", "acknowledge", ACK),
    ("acknowledged", True): ("assurer", "respond", RESP),
    ("responded", True): ("provider", "decide", None),
    ("escalated", True): ("assurer", "respond", RESP),
    ("resolved", True): (None, None, None),
}


@pytest.mark.parametrize(("status", "confidential"), sorted(OWED))
def test_who_owes_the_next_step_and_by_when(status: str, confidential: bool) -> None:
    side, step, due = OWED[status, confidential]
    for today, late in ((ACK, False), (RESP, False), (date(2014, 10, 30), True)):
        owed = next_step(status, confidential, ACK, RESP, today)
        assert (owed.side, owed.step, owed.due) == (side, step, due)
        # A concern due today is not overdue; nothing due is never overdue.
        assert owed.overdue is (due is not None and today > due)
        if step == "respond":
            assert owed.overdue is late


@pytest.mark.parametrize(("status", "confidential"), sorted(OWED))
def test_the_board_owes_only_its_own_steps_never_on_a_confidential_concern(status: str, confidential: bool) -> None:
    side, step, due = OWED[status, confidential]
    today = date(2015, 1, 1)  # after every due date
    owes = board_owes(status, ACK, RESP, today, confidential)
    if side == "hwb":
        assert (owes.step, owes.due, owes.overdue) == ({"acknowledge": "Acknowledgement",
                                                       "respond": "Response"}[step], due, True)
    else:
        assert (owes.step, owes.due, owes.overdue) == (None, None, False)
    # E6's rule (is_overdue, applied to non-confidential concerns only) is the same rule.
    if not confidential:
        assert is_overdue(status, ACK, RESP, today) is owes.overdue


# (status, confidential, escalated before) -> what each side may do
ALLOWED = {
    ("open", False, False): {"provider": ["reply", "escalate", "resolve"], "hwb": ["acknowledge", "respond"],
                             "assurer": []},
    ("acknowledged", False, False): {"provider": ["reply", "escalate", "resolve"], "hwb": ["respond"],
                                     "assurer": []},
    ("responded", False, False): {"provider": ["reply", "reopen", "escalate", "resolve"], "hwb": ["resolve"],
                                  "assurer": []},
    ("escalated", False, True): {"provider": ["reply", "resolve"], "hwb": [], "assurer": ["respond", "resolve"]},
    ("responded", False, True): {"provider": ["reply", "reopen", "escalate", "resolve"], "hwb": ["resolve"],
                                 "assurer": ["resolve"]},
    ("acknowledged", False, True): {"provider": ["reply", "escalate", "resolve"], "hwb": ["respond"],
                                    "assurer": []},
    ("resolved", False, False): {"provider": ["reopen"], "hwb": [], "assurer": []},
    ("open", True, False): {"provider": ["reply", "escalate", "resolve"], "hwb": [],
                            "assurer": ["acknowledge", "respond"]},
    ("acknowledged", True, False): {"provider": ["reply", "escalate", "resolve"], "hwb": [], "assurer": ["respond"]},
    ("responded", True, False): {"provider": ["reply", "reopen", "escalate", "resolve"], "hwb": [],
                                 "assurer": ["resolve"]},
    ("escalated", True, True): {"provider": ["reply", "resolve"], "hwb": [], "assurer": ["respond", "resolve"]},
    ("resolved", True, False): {"provider": ["reopen"], "hwb": [], "assurer": []},
}


@pytest.mark.parametrize(("status", "confidential", "escalated"), sorted(ALLOWED))
@pytest.mark.parametrize("side", ["provider", "hwb", "assurer"])
def test_what_each_side_may_do(status: str, confidential: bool, escalated: bool, side: str) -> None:
    names = [a.name for a in allowed_actions(status, side, confidential, escalated)]
    assert names == ALLOWED[status, confidential, escalated][side]


@pytest.mark.parametrize("status", STATUSES)
@pytest.mark.parametrize("confidential", [False, True])
def test_whoever_owes_a_step_can_take_it(status: str, confidential: bool) -> None:
    """The side next_step names can always take that step (and the provider can act on a response)."""
    owed = next_step(status, confidential, ACK, RESP, ACK)
    if owed.side is None:
        return
    names = [a.name for a in allowed_actions(status, owed.side, confidential, status == "escalated")]
    assert (owed.step in names) if owed.step != "decide" else {"resolve", "reopen", "escalate"} <= set(names)
