"""The 152 real boards of 2014, and fictional CCGs and providers with realistic footprints. Plain Python."""
from __future__ import annotations

import csv
import random
from collections import Counter
from dataclasses import dataclass, field
from importlib import resources

from tracker.demo.names import NameMaker

EXPECTED_PREFIXES = {"E10": 27, "E08": 36, "E09": 33, "E06": 56}
# How many providers of each sector serve one board only; the NHS trusts are placed board by board below.
SINGLE_BOARD_COUNTS = {"primary_care": 1240, "independent_social_care": 920, "housing": 210, "voluntary": 310}
# A county's board has more providers than a London borough's: weights for placing single-board providers.
SIZE_WEIGHT = {"E10": 2.6, "E08": 1.3, "E09": 0.8, "E06": 0.8}
_CCG_SUFFIXES = ("North", "South", "East", "West", "Central", "Rural", "City", "Borough", "Localities")


@dataclass
class Organisations:
    """Boards, CCGs and providers as plain records, keyed by code."""

    hwbs: list[dict] = field(default_factory=list)  # code, name, region, ons_region
    ccgs: list[dict] = field(default_factory=list)  # code, name
    hwb_ccgs: list[tuple[str, str]] = field(default_factory=list)  # (hwb code, ccg code)
    providers: list[dict] = field(default_factory=list)  # code, name, sector
    footprints: list[tuple[str, str]] = field(default_factory=list)  # (provider code, hwb code)

    def footprint_of(self) -> dict[str, list[str]]:
        """Board code -> the codes of the providers serving it, in a stable order."""
        served: dict[str, list[str]] = {h["code"]: [] for h in self.hwbs}
        for provider_code, hwb_code in self.footprints:
            served[hwb_code].append(provider_code)
        return served


def load_hwbs() -> list[dict]:
    """The 152 boards of 2014 from the packaged reference file, checked against the known counts."""
    text = resources.files("tracker.demo").joinpath("hwb_areas_2014.csv").read_text(encoding="utf-8-sig")
    rows = [{"code": r["code"], "name": r["name"], "region": r["region"], "ons_region": r["ons_region"]}
            for r in csv.DictReader(text.splitlines())]
    counts = Counter(r["code"][:3] for r in rows)
    if dict(counts) != EXPECTED_PREFIXES:
        raise ValueError(f"unexpected HWB reference data: {dict(counts)}")
    return rows


def _by_ons_region(hwbs: list[dict], rng: random.Random) -> dict[str, list[str]]:
    """ONS region -> its board codes in a fixed pseudo-geographic walking order."""
    groups: dict[str, list[str]] = {}
    for hwb in hwbs:
        groups.setdefault(hwb["ons_region"], []).append(hwb["code"])
    for codes in groups.values():
        rng.shuffle(codes)
    return dict(sorted(groups.items()))


def _neighbours(ring: list[str], index: int, count: int) -> list[str]:
    """The board at `index` and the next `count - 1` boards along its region's ring."""
    return [ring[(index + k) % len(ring)] for k in range(min(count, len(ring)))]


def _chunks(ring: list[str], rng: random.Random, low: int, high: int) -> list[list[str]]:
    """The ring cut into consecutive runs of low..high boards (a trust's patch)."""
    runs, start = [], 0
    while start < len(ring):
        size = rng.randint(low, high)
        runs.append(ring[start:start + size])
        start += size
    return runs


class _Builder:
    """Accumulates providers and footprints with unique names and codes."""

    def __init__(self, rng: random.Random, orgs: Organisations) -> None:
        self.rng, self.orgs, self.names = rng, orgs, NameMaker(rng)

    def add(self, sector: str, boards: list[str], name: str | None = None) -> str:
        """Add one provider serving `boards`; returns its code."""
        code = self.names.code(sector)
        self.orgs.providers.append({"code": code, "name": name or self.names.organisation(sector), "sector": sector})
        self.orgs.footprints.extend((code, b) for b in dict.fromkeys(boards))
        return code


def _nhs_trusts(build: _Builder, rings: dict[str, list[str]]) -> None:
    """Acute, mental health, community and ambulance trusts over neighbouring boards of one region."""
    rng = build.rng
    for ons_region, ring in rings.items():
        covered: set[str] = set()
        for index, board in enumerate(ring):
            homes = {"E10": rng.randint(2, 3), "E08": 1 + (rng.random() < 0.3),
                     "E09": int(rng.random() < 0.6), "E06": int(rng.random() < 0.75)}[board[:3]]
            for _ in range(homes):
                patch = _neighbours(ring, index, rng.choice((1, 1, 2, 2, 3)))
                build.add("acute", patch)
                covered.update(patch)
        for index, board in enumerate(ring):
            if board not in covered:  # served by the trust next door: one more acute trust with a 2-board patch
                build.add("acute", _neighbours(ring, index, 2))
                covered.update(_neighbours(ring, index, 2))
        for patch in _chunks(ring, rng, 1, 5):
            build.add("mental_health", patch)
        for patch in _chunks(ring, rng, 1, 3):
            build.add("community", patch)
        halves = [ring[: len(ring) // 2], ring[len(ring) // 2:]] if ons_region == "South East" else [ring]
        for part, half in enumerate(halves):
            label = ons_region if len(halves) == 1 else ("South East Coast", "South Central")[part]
            build.add("ambulance", half, name=f"{label} Ambulance Partnership NHS Trust")


def _local_providers(build: _Builder, hwbs: list[dict], rings: dict[str, list[str]]) -> None:
    """GP practices, social care, housing and voluntary bodies: mostly one board, some a few neighbours."""
    rng = build.rng
    codes = [h["code"] for h in hwbs]
    weights = [SIZE_WEIGHT[c[:3]] * rng.uniform(0.7, 1.3) for c in codes]
    ring_of = {b: (ring, ring.index(b)) for ring in rings.values() for b in ring}
    spread = {"primary_care": (1,), "independent_social_care": (1,) * 17 + (2, 3, 2),
              "housing": (1, 1, 1, 2, 2, 3), "voluntary": (1,) * 9 + (2,)}
    for sector, total in SINGLE_BOARD_COUNTS.items():
        homes = list(codes) if sector != "housing" else []  # every board has at least one of each but housing
        homes += rng.choices(codes, weights=weights, k=total - len(homes))
        for home in homes:
            ring, index = ring_of[home]
            build.add(sector, _neighbours(ring, index, rng.choice(spread[sector])))


def _ccgs(orgs: Organisations, rings: dict[str, list[str]], build: _Builder) -> None:
    """One to four CCGs per board, a few shared with the next board along."""
    rng = build.rng
    names = {h["code"]: h["name"] for h in orgs.hwbs}
    for ring in rings.values():
        for index, board in enumerate(ring):
            count = {"E10": rng.randint(2, 4), "E08": 1, "E09": 1, "E06": 1 + (rng.random() < 0.15)}[board[:3]]
            for suffix in rng.sample(_CCG_SUFFIXES, count):
                code = build.names.ccg_code()
                short = names[board].split(",")[0]
                orgs.ccgs.append({"code": code, "name": f"NHS {short} {suffix} CCG"})
                orgs.hwb_ccgs.append((board, code))
                if rng.random() < 0.1 and len(ring) > 1:
                    orgs.hwb_ccgs.append((ring[(index + 1) % len(ring)], code))


def build_organisations(rng: random.Random) -> Organisations:
    """Every board, CCG and provider of the demonstration data set."""
    orgs = Organisations(hwbs=load_hwbs())
    rings = _by_ons_region(orgs.hwbs, rng)
    build = _Builder(rng, orgs)
    _nhs_trusts(build, rings)
    _local_providers(build, orgs.hwbs, rings)
    _ccgs(orgs, rings, build)
    orgs.hwb_ccgs = list(dict.fromkeys(orgs.hwb_ccgs))
    return orgs
