"""The override rule and the consistency of a decision, as plain functions: no app, no database.

PRODUCT.md: the rating suggests an outcome (strong -> tranche 1, adequate -> 2, weak -> 3, insufficient -> not
approved, intervention); following it never needs a reason. Another outcome, or a rating other than the
evidence's, needs one.
"""
from __future__ import annotations

import itertools

import pytest

from tracker.domain import vocab
from tracker.domain.reviews.rules import (
    APPROVALS,
    MAX_CONDITIONS,
    ReviewChoice,
    check_review,
    override_triggers,
    split_conditions,
)

SUGGESTED_OUTCOME = {"strong": 1, "adequate": 2, "weak": 3, "insufficient": None}
REASON = "Enter why the decision goes against the evidence"


def choice(suggested: str, decision: str, tranche: int | None, rating: str | None = None,
           **text: object) -> ReviewChoice:
    filled: dict[str, object] = {
        "conditions": ("Provider forum by March",) if decision == "approved_subject_to_conditions" else (),
        "intervention": "Support team" if decision == "not_approved" else "", **text}
    return ReviewChoice(suggested_rating=suggested, rating=rating or suggested, decision=decision, tranche=tranche,
                        **filled)


# Every consistent (suggested rating, decision, tranche): approvals in tranche 1-3, not approved with none.
CONSISTENT = [(s, d, t) for s, d, t in itertools.product(vocab.RATINGS, vocab.DECISIONS, (1, 2, 3, None))
              if (d in APPROVALS) == (t is not None)]


@pytest.mark.parametrize(("suggested", "decision", "tranche"), CONSISTENT)
def test_a_reason_is_needed_exactly_when_the_outcome_differs_from_the_suggestion(
        suggested: str, decision: str, tranche: int | None) -> None:
    follows = (decision == "not_approved") if SUGGESTED_OUTCOME[suggested] is None else (
        decision in APPROVALS and tranche == SUGGESTED_OUTCOME[suggested])
    made = choice(suggested, decision, tranche)
    assert (override_triggers(made) == []) is follows
    assert check_review(made) == ({} if follows else {"override_reason": REASON})
    assert check_review(choice(suggested, decision, tranche, override_reason="Board agreed a recovery plan")) == {}


@pytest.mark.parametrize("decision", sorted(APPROVALS))
def test_approving_a_weak_plan_in_tranche_3_needs_no_reason(decision: str) -> None:
    made = choice("weak", decision, 3)
    assert override_triggers(made) == []
    assert check_review(made) == {}


@pytest.mark.parametrize(("suggested", "decision", "tranche", "expected"), [
    ("strong", "approved", 2, "The evidence suggests tranche 1; the decision gives tranche 2"),
    ("adequate", "approved", 1, "The evidence suggests tranche 2; the decision gives tranche 1"),
    ("strong", "not_approved", None, "The evidence suggests tranche 1; the decision gives intervention"),
    ("insufficient", "approved_with_support", 3, "The evidence suggests intervention; the decision gives tranche 3"),
    ("weak", "not_approved", None, "The evidence suggests tranche 3; the decision gives intervention"),
])
def test_the_trigger_says_what_differs(suggested: str, decision: str, tranche: int | None, expected: str) -> None:
    assert override_triggers(choice(suggested, decision, tranche)) == [expected]


@pytest.mark.parametrize(("suggested", "rating"), [(s, r) for s, r in itertools.product(vocab.RATINGS, repeat=2)
                                                   if s != r])
def test_a_rating_other_than_the_evidences_needs_a_reason(suggested: str, rating: str) -> None:
    outcome = SUGGESTED_OUTCOME[suggested]
    decision = "approved" if outcome is not None else "not_approved"
    made = choice(suggested, decision, outcome, rating=rating)
    assert override_triggers(made) == [
        f"The rating given ({vocab.RATINGS[rating].lower()}) differs from the evidence's "
        f"({vocab.RATINGS[suggested].lower()})"]
    assert check_review(made) == {"override_reason": REASON}


def test_a_blank_reason_is_no_reason() -> None:
    made = choice("strong", "approved", 3, override_reason="   \n ")
    assert check_review(made) == {"override_reason": REASON}


def test_decisions_must_be_consistent() -> None:
    assert check_review(choice("strong", "approved", None))["tranche"] == "Select the tranche the plan is signed off in"
    assert check_review(choice("insufficient", "not_approved", 2))["tranche"].startswith("Select intervention")
    assert check_review(choice("adequate", "approved_subject_to_conditions", 2, conditions=("  ",))) == {
        "conditions": "Enter the conditions the approval is subject to"}
    assert check_review(choice("insufficient", "not_approved", None, intervention="")) == {
        "intervention": "Enter the intervention for a plan that is not approved"}


def test_conditions_belong_to_an_approval_subject_to_conditions() -> None:
    assert check_review(choice("strong", "approved", 1, conditions=("Meet the acute trust",))) == {
        "conditions": "Conditions are only for a plan approved subject to conditions"}
    many = tuple(f"Condition {n}" for n in range(MAX_CONDITIONS + 1))
    assert "conditions" in check_review(choice("adequate", "approved_subject_to_conditions", 2, conditions=many))
    assert "conditions" in check_review(choice("adequate", "approved_subject_to_conditions", 2,
                                               conditions=("x" * 2001,)))


def test_conditions_are_typed_one_a_line() -> None:
    assert split_conditions("  Agree the acute impact \r\n\n  Hold a provider forum\n   ") == (
        "Agree the acute impact", "Hold a provider forum")
    assert split_conditions("") == ()
