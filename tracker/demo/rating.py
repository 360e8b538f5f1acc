"""PRODUCT.md's criteria E1–E7 and rating, worked out on the generated records (so the demo hits its targets).

A plain re-statement with the default thresholds, for the generator only: the app's figures come from
tracker.domain.evidence. Demo concerns were raised in 2014, so every open or acknowledged one is overdue today.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Outcome:
    """One plan's criteria results and rating."""

    coverage: float | None
    passed: dict[str, bool]
    rating: str


def _ratio(part: int, whole: int) -> float | None:
    """part / whole, or None when whole is zero."""
    return part / whole if whole else None


def evaluate(footprint: dict[str, str], events: list[dict], participations: list[dict],
             assessments: list[dict], concerns: list[dict]) -> Outcome:
    """The rating a plan with these records gets: footprint is provider code -> sector."""
    by_ref = {e["ref"]: e for e in events}
    counted = [p for p in participations
               if not by_ref[p["event_ref"]]["withdrawn"] and p["status"] != "disputed"]
    depth: dict[str, int] = {}
    months: dict[str, set[int]] = {}
    for p in counted:
        event = by_ref[p["event_ref"]]
        depth[p["provider_code"]] = max(depth.get(p["provider_code"], 0), event["depth"])
        months.setdefault(p["provider_code"], set()).add(event["date"].month)
    engaged = [code for code in footprint if code in depth]
    assessed = {a["provider_code"] for a in assessments}
    sectors = set(footprint.values())
    acute = [code for code, sector in footprint.items() if sector == "acute"]
    coverage = _ratio(len(engaged), len(footprint))
    corroboration = _ratio(sum(p["status"] == "confirmed" for p in counted), len(counted))
    sustained = _ratio(sum(len(months[c]) >= 3 for c in engaged), len(engaged))
    shared = _ratio(sum(a["agreement"] in ("agree", "partly") for a in assessments), len(assessments))
    owing = [c for c in concerns if not c["confidential"] and c["status"] in ("open", "acknowledged", "escalated")]
    passed = {
        "E1": all(any(footprint[c] == s for c in engaged) for s in sectors),
        "E2": all(depth.get(c, 0) >= 3 and c in assessed for c in acute),
        "E3": coverage is not None and coverage >= 0.80,
        "E4": corroboration is not None and corroboration >= 0.70,
        "E5": sustained is not None and sustained >= 0.50,
        "E6": not owing,
        "E7": shared is not None and shared >= 0.50,
    }
    fails = sum(not passed[k] for k in ("E3", "E4", "E5", "E6", "E7"))
    if all(passed.values()):
        rating = "strong"
    elif passed["E1"] and passed["E2"] and fails <= 2:
        rating = "adequate"
    elif coverage is not None and coverage >= 0.50:
        rating = "weak"
    else:
        rating = "insufficient"
    return Outcome(coverage, passed, rating)
