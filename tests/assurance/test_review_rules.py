"""The override rule and the consistency of a decision, as plain functions: no app, no database."""
from __future__ import annotations

import pytest

from tracker.domain.reviews.rules import ReviewChoice, check_review, override_triggers


def choice(suggested: str, decision: str, tranche: int | None, rating: str | None = None, **text: str) -> ReviewChoice:
    return ReviewChoice(suggested_rating=suggested, rating=rating or suggested, decision=decision, tranche=tranche,
                        **text)


@pytest.mark.parametrize(("suggested", "decision", "tranche"), [
    ("strong", "approved", 1),
    ("adequate", "approved", 2),
    ("adequate", "approved_with_support", 2),
    ("adequate", "approved_subject_to_conditions", 2),
    ("insufficient", "not_approved", None),
])
def test_following_the_evidence_needs_no_reason(suggested: str, decision: str, tranche: int | None) -> None:
    made = choice(suggested, decision, tranche, conditions="Provider forum by March", intervention="Support team")
    assert override_triggers(made) == []
    assert check_review(made) == {}


@pytest.mark.parametrize(("suggested", "decision", "tranche", "expected"), [
    ("strong", "approved", 2, "The evidence suggests tranche 1; the decision gives tranche 2"),
    ("adequate", "approved", 1, "The evidence suggests tranche 2; the decision gives tranche 1"),
    ("strong", "not_approved", None, "The evidence suggests tranche 1; the decision gives intervention"),
    ("insufficient", "approved_with_support", 3, "The evidence suggests intervention; the decision gives tranche 3"),
])
def test_another_outcome_than_the_suggested_tranche_needs_a_reason(suggested: str, decision: str,
                                                                   tranche: int | None, expected: str) -> None:
    made = choice(suggested, decision, tranche, conditions="c", intervention="i")
    assert expected in override_triggers(made)
    assert check_review(made) == {"override_reason": "Enter why the decision goes against the evidence"}
    assert check_review(choice(suggested, decision, tranche, conditions="c", intervention="i",
                               override_reason="Board agreed a recovery plan")) == {}


@pytest.mark.parametrize("decision", ["approved", "approved_with_support", "approved_subject_to_conditions"])
def test_approving_a_weak_plan_needs_a_reason_even_in_the_suggested_tranche(decision: str) -> None:
    made = choice("weak", decision, 3, conditions="c")
    assert override_triggers(made) == ["The decision approves a plan rated weak"]
    assert "override_reason" in check_review(made)


def test_approving_a_plan_the_assurer_rates_weak_needs_a_reason() -> None:
    made = choice("adequate", "approved", 2, rating="weak")
    assert override_triggers(made) == ["The decision approves a plan rated weak",
                                       "The rating given (weak) differs from the evidence's (adequate)"]


def test_not_approving_a_weak_plan_is_against_its_tranche() -> None:
    # A weak plan's suggestion is tranche 3, so intervention also departs from it: the reason is still asked for.
    assert override_triggers(choice("weak", "not_approved", None, intervention="i")) == [
        "The evidence suggests tranche 3; the decision gives intervention"]


def test_a_blank_reason_is_no_reason() -> None:
    made = choice("strong", "approved", 3, override_reason="   \n ")
    assert check_review(made) == {"override_reason": "Enter why the decision goes against the evidence"}


def test_decisions_must_be_consistent() -> None:
    assert check_review(choice("strong", "approved", None))["tranche"] == "Select the tranche the plan is signed off in"
    assert check_review(choice("insufficient", "not_approved", 2, intervention="i"))["tranche"].startswith(
        "Select intervention")
    assert check_review(choice("adequate", "approved_subject_to_conditions", 2)) == {
        "conditions": "Enter the conditions the approval is subject to"}
    assert check_review(choice("insufficient", "not_approved", None)) == {
        "intervention": "Enter the intervention for a plan that is not approved"}
