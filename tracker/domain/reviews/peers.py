"""Peer matching: best-practice boards a weak or insufficient plan's board could be paired with.

Plain Python over plain data, no Flask and no database. A candidate is a board whose plan the evidence rates
strong. Candidates in the same region come first; within each group the most similar footprint wins, where
similarity is the mean of
- size similarity: the smaller footprint divided by the larger (1 when equal), and
- sector-mix similarity: 1 minus half the L1 distance between the two boards' sector-share vectors
  (1 for the same mix, 0 for no sector in common).
Ties go to the board code, so the choice is stable. At most three are suggested, each with its reasons.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from tracker.domain import vocab

LIMIT = 3


@dataclass(frozen=True)
class BoardProfile:
    """A board's plan as peer matching sees it: where it is, its footprint by sector, and its rating."""

    hwb_id: int
    code: str
    name: str
    region: str
    footprint: Mapping[str, int]
    rating: str
    passed: frozenset[str] = frozenset()  # the criteria its plan passes, e.g. {"E1", "E3"}

    @property
    def size(self) -> int:
        return sum(self.footprint.values())


@dataclass(frozen=True)
class PeerSuggestion:
    """One suggested peer board, how it compares, and why it was suggested."""

    board: BoardProfile
    same_region: bool
    size_similarity: float
    mix_similarity: float
    reasons: list[str] = field(default_factory=list)

    @property
    def similarity(self) -> float:
        return (self.size_similarity + self.mix_similarity) / 2


def size_similarity(a: int, b: int) -> float:
    """The smaller footprint over the larger; two empty footprints are alike."""
    return 1.0 if max(a, b) == 0 else min(a, b) / max(a, b)


def shares(footprint: Mapping[str, int]) -> dict[str, float]:
    """Each sector's share of the footprint (all zero for an empty footprint)."""
    total = sum(footprint.values())
    return {s: (footprint.get(s, 0) / total if total else 0.0) for s in vocab.SECTORS}


def mix_similarity(a: Mapping[str, int], b: Mapping[str, int]) -> float:
    """1 minus half the L1 distance of the sector-share vectors; 0 when either footprint is empty."""
    if not sum(a.values()) or not sum(b.values()):
        return 0.0
    sa, sb = shares(a), shares(b)
    return 1.0 - sum(abs(sa[s] - sb[s]) for s in vocab.SECTORS) / 2


def _lower(label: str) -> str:
    """'Acute hospital' -> 'acute hospital', but 'GP and primary care' keeps its capitals."""
    return label if label[:2].isupper() else label[0].lower() + label[1:]


def _common_sectors(sectors: list[str]) -> str:
    if not sectors:
        return "no sector in common"
    if len(sectors) > 3:
        return f"{len(sectors)} sectors in common"
    names = [_lower(vocab.SECTORS[s]) for s in sectors]
    listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    return f"both have {listed} providers"


def criteria_gained(failed: Iterable[str], passed: Iterable[str]) -> list[str]:
    """The criteria a peer passes that the target fails, in the target's order: what the target can learn there."""
    passing = set(passed)
    return [c for c in failed if c in passing]


def _criteria_reason(target: BoardProfile, peer: BoardProfile) -> str | None:
    failed = sorted(f"E{n}" for n in range(1, 8) if f"E{n}" not in target.passed)
    gained = criteria_gained(failed, peer.passed)
    if not gained or not peer.passed:
        return None
    return f"Passes {', '.join(gained)}, which this plan fails"


def reasons_for(target: BoardProfile, peer: BoardProfile, size_sim: float, mix_sim: float) -> list[str]:
    """Why a peer was suggested, in words an assurer can check."""
    region = vocab.REGIONS[peer.region]
    reasons = [f"Rated {vocab.RATINGS[peer.rating].lower()} on the evidence",
               f"Same region ({region})" if peer.region == target.region
               else f"In another region ({region}): too few strong boards in the same region",
               f"Footprint of {peer.size} providers, against {target.size} here "
               f"({round(size_sim * 100)}% similar in size)"]
    common = [s for s in vocab.SECTORS if peer.footprint.get(s) and target.footprint.get(s)]
    reasons.append(f"Sector mix {round(mix_sim * 100)}% similar: {_common_sectors(common)}")
    criteria = _criteria_reason(target, peer)
    if criteria:
        reasons.insert(1, criteria)
    return reasons


def suggest_peers(target: BoardProfile, candidates: Iterable[BoardProfile], limit: int = LIMIT) -> list[PeerSuggestion]:
    """Up to `limit` strong boards for the target to pair with, best first, each with its reasons."""
    suggestions = []
    for peer in candidates:
        if peer.rating != "strong" or peer.hwb_id == target.hwb_id:
            continue
        size_sim = size_similarity(target.size, peer.size)
        mix_sim = mix_similarity(target.footprint, peer.footprint)
        suggestions.append(PeerSuggestion(peer, peer.region == target.region, size_sim, mix_sim,
                                          reasons_for(target, peer, size_sim, mix_sim)))
    suggestions.sort(key=lambda s: (not s.same_region, -round(s.similarity, 9), s.board.code))
    return suggestions[:limit]
