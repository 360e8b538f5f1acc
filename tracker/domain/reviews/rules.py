"""The rules a review must keep: when a decision is consistent, and when it needs a recorded override reason.

Plain Python, no Flask and no database, so the rule is tested on its own and the form only reports it.

The evidence gives a rating, and the rating suggests an *outcome*: tranche 1 (strong), 2 (adequate), 3 (weak),
or intervention (insufficient, no tranche). The assurer's decision gives the chosen outcome: an approval
(approved, approved with support, approved subject to conditions) signs the plan off in the tranche chosen;
`not_approved` means intervention and carries no tranche.

A review needs a non-empty override reason when either of these holds (PRODUCT.md: following the suggestion
never needs a reason, so approving a weak plan in tranche 3 needs none):
- the chosen outcome differs from the suggested one ("goes against the suggested tranche"): another tranche,
  an approval of a plan whose evidence suggests intervention, or no approval of a plan the evidence would
  sign off;
- the assurer's rating differs from the rating the evidence gives.

Conditions are a list of texts, one item each (tracker.domain.reviews.conditions keeps them afterwards).
"""
from __future__ import annotations

from dataclasses import dataclass

from tracker.domain import vocab
from tracker.domain.evidence.rules import suggested_tranche

APPROVALS = frozenset({"approved", "approved_with_support", "approved_subject_to_conditions"})
WEAK_RATINGS = frozenset({"weak", "insufficient"})  # the ratings peer matching is for
TRANCHES = (1, 2, 3)
MAX_CONDITIONS = 20
CONDITION_MAX_LENGTH = 2000


@dataclass(frozen=True)
class ReviewChoice:
    """What the assurer chose, beside the rating the evidence gave at the time."""

    suggested_rating: str
    rating: str
    decision: str
    tranche: int | None
    conditions: tuple[str, ...] = ()
    intervention: str = ""
    override_reason: str = ""


def outcome_text(tranche: int | None) -> str:
    """'tranche 2', or 'intervention' for no tranche."""
    return "intervention" if tranche is None else f"tranche {tranche}"


def chosen_tranche(decision: str, tranche: int | None) -> int | None:
    """The outcome the decision gives: its tranche for an approval; intervention (None) otherwise."""
    return tranche if decision in APPROVALS else None


def override_triggers(choice: ReviewChoice) -> list[str]:
    """Why this choice goes against the evidence, in words; empty when it follows the evidence."""
    reasons = []
    suggested = suggested_tranche(choice.suggested_rating)
    chosen = chosen_tranche(choice.decision, choice.tranche)
    if chosen != suggested:
        reasons.append(f"The evidence suggests {outcome_text(suggested)}; the decision gives {outcome_text(chosen)}")
    if choice.rating != choice.suggested_rating:
        reasons.append(f"The rating given ({vocab.RATINGS[choice.rating].lower()}) differs from the evidence's "
                       f"({vocab.RATINGS[choice.suggested_rating].lower()})")
    return reasons


def split_conditions(text: str) -> tuple[str, ...]:
    """Conditions typed one per line: each non-empty line, trimmed, is one condition."""
    return tuple(line.strip() for line in text.splitlines() if line.strip())


def check_review(choice: ReviewChoice) -> dict[str, str]:
    """Problems with a review, as field name -> message in NHS.UK wording; empty when it can be recorded."""
    errors: dict[str, str] = {}
    if choice.decision in APPROVALS and choice.tranche is None:
        errors["tranche"] = "Select the tranche the plan is signed off in"
    elif choice.decision == "not_approved" and choice.tranche is not None:
        errors["tranche"] = "Select intervention: a plan that is not approved has no tranche"
    conditions = [text for text in choice.conditions if text.strip()]
    if choice.decision == "approved_subject_to_conditions" and not conditions:
        errors["conditions"] = "Enter the conditions the approval is subject to"
    elif choice.decision != "approved_subject_to_conditions" and conditions:
        errors["conditions"] = "Conditions are only for a plan approved subject to conditions"
    elif len(conditions) > MAX_CONDITIONS:
        errors["conditions"] = f"Enter {MAX_CONDITIONS} conditions or fewer"
    elif any(len(text.strip()) > CONDITION_MAX_LENGTH for text in conditions):
        errors["conditions"] = f"Each condition must be {CONDITION_MAX_LENGTH} characters or fewer"
    if choice.decision == "not_approved" and not choice.intervention.strip():
        errors["intervention"] = "Enter the intervention for a plan that is not approved"
    if override_triggers(choice) and not choice.override_reason.strip():
        errors["override_reason"] = "Enter why the decision goes against the evidence"
    return errors
