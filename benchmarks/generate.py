"""Write a deterministic national-scale data set as PRODUCT.md's CSV files, for the import path and benchmarks.

    python benchmarks/generate.py OUT_DIR [--scale 1.0] [--events-scale SCALE] [--seed 2014]

At scale 1.0: the 152 boards of 2014, 20,000 providers with realistic footprints, 3,000 board memberships,
about 400,000 events with 1,000,000 participation rows over two years, 50,000 concerns and 10,000 impact
assessments. A smaller --scale shrinks everything but the boards (e.g. 0.1 for 100,000 participations);
--events-scale shrinks only the events (e.g. --scale 1 --events-scale 0.1: the same providers, boards, concerns
and assessments with 100,000 participations), the other files staying identical, as the events have a random
sequence of their own.
"""
from __future__ import annotations

import argparse
import csv
import random
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HWB_FILE = ROOT / "tracker" / "demo" / "hwb_areas_2014.csv"  # the shipped copy of the 2014 reference list
SECTOR_WEIGHTS = {"acute": 3, "primary_care": 40, "community": 3, "mental_health": 2, "ambulance": 0.2,
                  "independent_social_care": 35, "housing": 8, "voluntary": 9}
SEATS = ["chair", "elected_member", "director_adult_social_services", "director_childrens_services",
         "director_public_health", "ccg", "healthwatch", "nhs_england", "provider", "other"]
KINDS = ["board_meeting", "workshop", "meeting", "consultation", "written_submission", "data_sharing", "other"]
TOPICS = ["schemes", "acute_impact", "risk_sharing", "workforce", "seven_day_services", "data_sharing", "transition",
          "metrics"]
CATEGORIES = ["excluded", "financial_impact", "acute_demand", "evidence_base", "social_care_voice", "workforce",
              "data", "other"]
START = date(2014, 1, 1)
DAYS = 730  # two years of events


def read_boards() -> list[tuple[str, str, str]]:
    """The 152 real board areas of 2014: code, name, NHS England region."""
    with HWB_FILE.open(newline="", encoding="utf-8-sig") as handle:
        return [(row["code"], row["name"], row["region"]) for row in csv.DictReader(handle)]


def writer(path: Path, header: list[str]):  # noqa: ANN201 - a csv writer with its file
    handle = path.open("w", newline="", encoding="utf-8")
    out = csv.writer(handle)
    out.writerow(header)
    return handle, out


def generate(out_dir: Path, scale: float = 1.0, seed: int = 2014,
             events_scale: float | None = None) -> dict[str, int]:
    """Write the seven CSV files; returns how many rows each holds."""
    rng = random.Random(seed)  # noqa: S311 - a reproducible data set, not a secret
    erng = random.Random(seed + 1)  # noqa: S311 - the events' own, so their number changes nothing else
    out_dir.mkdir(parents=True, exist_ok=True)
    boards = read_boards()
    by_region: dict[str, list[int]] = {}
    for i, (_, _, region) in enumerate(boards):
        by_region.setdefault(region, []).append(i)
    counts: dict[str, int] = {}

    handle, out = writer(out_dir / "hwbs.csv", ["code", "name", "region"])
    out.writerows(boards)
    handle.close()
    counts["hwbs"] = len(boards)

    n_providers = int(20_000 * scale)
    sectors = list(SECTOR_WEIGHTS)
    providers: list[tuple[str, str, list[int]]] = []
    footprint_of: list[list[int]] = [[] for _ in boards]
    handle, out = writer(out_dir / "providers.csv", ["code", "name", "sector", "footprint"])
    for n in range(n_providers):
        sector = rng.choices(sectors, weights=list(SECTOR_WEIGHTS.values()))[0]
        home = rng.randrange(len(boards))
        if sector == "ambulance":
            served = by_region[boards[home][2]]
        elif sector in ("acute", "community", "mental_health"):
            neighbours = by_region[boards[home][2]]
            served = sorted({home, *rng.sample(neighbours, k=min(len(neighbours), rng.randint(0, 2)))})
        else:
            served = [home]
        code = f"N{n:05d}" if sector not in ("independent_social_care",) else f"1-{100000000 + n}"
        providers.append((code, sector, served))
        for b in served:
            footprint_of[b].append(n)
        out.writerow([code, f"Provider {n} ({sector.replace('_', ' ')})", sector,
                      ";".join(boards[b][0] for b in served)])
    handle.close()
    counts["providers"] = n_providers

    handle, out = writer(out_dir / "plans.csv", ["hwb_code", "year", "minimum_pool_gbp", "total_pool_gbp",
                                                 "nhs_contribution_gbp", "council_contribution_gbp",
                                                 "claimed_emergency_reduction_pct", "final_submission"])
    for code, _, _ in boards:
        minimum = rng.randint(8, 80) * 1_000_000
        total = minimum + rng.randint(0, 40) * 500_000
        nhs = int(total * rng.uniform(0.6, 0.8))
        out.writerow([code, "2015-16", minimum, total, nhs, total - nhs, f"{rng.uniform(1.0, 6.0):.2f}",
                      (date(2014, 9, 19) + timedelta(days=rng.randint(0, 10))).isoformat()])
    handle.close()
    counts["plans"] = len(boards)

    handle, out = writer(out_dir / "board-members.csv", ["hwb_code", "member_name", "seat", "organisation_code",
                                                         "voting", "start", "end"])
    n_members = int(3_000 * max(scale, 152 / 3000))
    for n in range(n_members):
        b = n % len(boards)
        seat = rng.choice(SEATS)
        org = ""
        if seat == "provider" and footprint_of[b]:
            org = providers[rng.choice(footprint_of[b])][0]
        elif seat == "provider":
            seat = "other"
        start = START + timedelta(days=rng.randint(0, 600))
        end = (start + timedelta(days=rng.randint(30, 700))).isoformat() if rng.random() < 0.2 else ""
        out.writerow([boards[b][0], f"Member {n}", seat, org, rng.choice(["yes", "yes", "no"]), start.isoformat(),
                      end])
    handle.close()
    counts["board-members"] = n_members

    handle, out = writer(out_dir / "events.csv", ["event_ref", "provider_code", "hwb_code", "year", "recorded_by",
                                                  "date", "kind", "depth", "topics", "summary", "withdrawn",
                                                  "leadership", "status"])
    target = int(1_000_000 * (scale if events_scale is None else events_scale))
    rows = events = 0
    while rows < target:
        b = erng.randrange(len(boards))
        if not footprint_of[b]:
            continue
        size = min(len(footprint_of[b]), erng.choice((1, 2, 2, 3, 3, 4)), target - rows)
        names = erng.sample(footprint_of[b], k=size)
        event = [boards[b][0], "2015-16", erng.choice(("provider", "hwb")),
                 (START + timedelta(days=erng.randrange(DAYS))).isoformat(), erng.choice(KINDS),
                 erng.randint(1, 5), ";".join(sorted(erng.sample(TOPICS, k=erng.randint(1, 3)))),
                 f"Engagement event {events}", "yes" if erng.random() < 0.03 else "no"]
        for p in names:
            status = erng.choices(("unconfirmed", "confirmed", "disputed"), weights=(3, 6, 1))[0]
            out.writerow([f"EV{events:07d}", providers[p][0], *event, erng.choice(("yes", "no")), status])
        rows += size
        events += 1
    handle.close()
    counts["events"] = events
    counts["participations"] = rows

    handle, out = writer(out_dir / "concerns.csv", ["ref", "hwb_code", "year", "provider_code", "raised",
                                                    "category", "severity", "confidential", "status", "text"])
    for n in range(int(50_000 * scale)):
        b = rng.randrange(len(boards))
        if not footprint_of[b]:
            continue
        status = rng.choices(("open", "acknowledged", "responded", "resolved", "escalated"), (2, 2, 3, 8, 1))[0]
        out.writerow([f"CN{n:06d}", boards[b][0], "2015-16", providers[rng.choice(footprint_of[b])][0],
                      (date(2014, 1, 1) + timedelta(days=rng.randrange(330))).isoformat(), rng.choice(CATEGORIES),
                      rng.choice(("low", "medium", "high")), "yes" if rng.random() < 0.1 else "no", status,
                      f"Concern {n} about the plan's effect on our services."])
    handle.close()
    counts["concerns"] = int(50_000 * scale)

    handle, out = writer(out_dir / "impact-assessments.csv", ["hwb_code", "year", "provider_code",
                                                              "emergency_admissions_change_pct",
                                                              "financial_impact_gbp", "agreement", "comments"])
    seen: set[tuple[int, int]] = set()
    wanted = int(10_000 * scale)
    while len(seen) < wanted:
        b = rng.randrange(len(boards))
        if not footprint_of[b]:
            continue
        p = rng.choice(footprint_of[b])
        if (b, p) in seen:
            continue
        seen.add((b, p))
        out.writerow([boards[b][0], "2015-16", providers[p][0], f"{rng.uniform(-8, 2):.2f}",
                      rng.randint(-3_000_000, 500_000), rng.choice(("agree", "partly", "disagree")), ""])
    handle.close()
    counts["impact-assessments"] = wanted
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--events-scale", type=float, default=None, help="the events' scale (default: --scale)")
    parser.add_argument("--seed", type=int, default=2014)
    args = parser.parse_args()
    for kind, count in generate(args.out_dir, args.scale, args.seed, args.events_scale).items():
        print(f"{kind}: {count:,}")


if __name__ == "__main__":
    main()
