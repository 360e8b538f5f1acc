"""Providers' impact assessments of a plan and the concerns they raise, with each concern's history."""
from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from tracker.demo.activity import Activity, Profile
from tracker.demo.names import hex_ref
from tracker.domain.working_days import add_working_days, due_dates

COMMENTS = {
    "agree": ("The admissions reduction is consistent with our own modelling.",
              "We have agreed the activity shift and the risk-share with the CCG.",
              "Our finance team has validated the figures; we support the plan."),
    "partly": ("We accept the direction but the admissions reduction looks optimistic for year one.",
               "The schemes are right; the phasing of the activity shift needs more work.",
               "Agreed in principle, subject to a risk-sharing agreement on non-elective income."),
    "disagree": ("The plan assumes a fall in emergency admissions that our data does not support.",
                 "The loss of income has not been discussed with us and is not affordable.",
                 "We were not involved in the modelling and cannot sign up to the figures."),
}
CONCERN_TEXTS = {
    "excluded": "We have not been invited to any discussion of the Better Care Fund plan for this area.",
    "financial_impact": "The plan moves money out of hospital services without an agreed view of the effect on our "
                        "income.",
    "acute_demand": "Emergency demand is rising; the plan's assumed fall in admissions is not credible for next "
                    "winter.",
    "evidence_base": "The schemes' savings are not backed by evaluation evidence we have been shown.",
    "social_care_voice": "Independent care providers have no voice in the plan although it depends on our capacity.",
    "workforce": "The seven-day discharge schemes need staff we do not have; recruitment is not costed.",
    "data": "The plan depends on sharing data on the NHS number but no information-sharing agreement is in place.",
    "other": "The timetable left no time for our board to consider the plan before submission.",
}
STEP_MESSAGES = {
    "acknowledged": "Thank you for raising this. The Better Care Fund lead will respond in full.",
    "responded": "We have met the provider, revised the plan's assumptions and shared the updated figures.",
    "resolved": "",
    "escalated": "We have had no adequate answer and ask the assurance team to look at this.",
}
PATHS = {
    "open": ("open",), "acknowledged": ("open", "acknowledged"),
    "responded": ("open", "acknowledged", "responded"), "resolved": ("open", "acknowledged", "responded", "resolved"),
    "escalated": ("open", "acknowledged", "escalated"),
}
# The board never sees a confidential concern, so nobody acknowledges it: assurers respond to it directly.
CONFIDENTIAL_PATHS = {"open": ("open",), "responded": ("open", "responded"),
                      "resolved": ("open", "responded", "resolved"), "escalated": ("open", "escalated")}
CONCERN_COUNTS = {"strong": (0, 2), "adequate": (0, 3), "weak": (1, 3), "insufficient": (1, 4)}


def _at(day: date, hour: int) -> datetime:
    """That day at that hour, UTC."""
    return datetime.combine(day, time(hour), tzinfo=UTC)


def assessments(hwb: dict, footprint: dict[str, str], profile: Profile, activity: Activity,
                claimed: Decimal, rng: random.Random) -> list[dict]:
    """Impact assessments: every acute provider that gives one, and a few others."""
    weights = (45, 35, 20) if profile.shared_view else (10, 20, 70)
    givers = [c for c, s in footprint.items() if s == "acute" and activity.weak_acute.get(c) != "unassessed"
              and (c in activity.engaged or rng.random() < 0.5)]
    givers += [c for c in activity.engaged if footprint[c] in ("community", "mental_health", "ambulance")
               and rng.random() < 0.25]
    rows = []
    for code in givers:
        agreement = rng.choices(("agree", "partly", "disagree"), weights=weights)[0]
        change = -float(claimed) * {"agree": rng.uniform(0.85, 1.1), "partly": rng.uniform(0.3, 0.8),
                                    "disagree": rng.uniform(-0.3, 0.2)}[agreement]
        scale = 1_000_000 if footprint[code] == "acute" else 150_000
        money = -round(rng.uniform(0.4, 6.0) * scale, -3) if footprint[code] == "acute" \
            else round(rng.uniform(-1.0, 2.0) * scale, -3)
        day = date(2014, rng.randint(7, 11), rng.randint(1, 28))
        rows.append({"hwb_code": hwb["code"], "provider_code": code,
                     "emergency_admissions_change_pct": Decimal(f"{change:.2f}"), "financial_impact_gbp": int(money),
                     "agreement": agreement, "comments": rng.choice(COMMENTS[agreement]), "created_at": _at(day, 11)})
    return rows


def _category(sector: str, engaged: bool, rng: random.Random) -> str:
    """A concern category a provider of this sector would plausibly raise."""
    if not engaged:
        return "excluded"
    options = {"acute": ("acute_demand", "financial_impact", "evidence_base"),
               "independent_social_care": ("social_care_voice", "financial_impact", "workforce"),
               "ambulance": ("acute_demand", "data"), "primary_care": ("workforce", "data", "evidence_base")}
    return rng.choice(options.get(sector, ("evidence_base", "workforce", "data", "other")))


def _status(confidential: bool, answered: bool, rng: random.Random) -> str:
    """A concern's status: an answered board owes nothing on a concern it can see."""
    if confidential:
        return rng.choice(tuple(CONFIDENTIAL_PATHS))
    if answered:
        return rng.choice(("resolved", "resolved", "responded"))
    return rng.choice(("resolved", "responded", "open", "acknowledged", "escalated"))


def _history(concern: dict, rng: random.Random) -> list[dict]:
    """The lifecycle steps that lead to the concern's status, each with who, when and what was said."""
    steps, previous, day = [], None, concern["raised"]
    for status in (CONFIDENTIAL_PATHS if concern["confidential"] else PATHS)[concern["status"]]:
        if status == "acknowledged":
            day = add_working_days(day, rng.choice((1, 2, 3, 3, 5)))
        elif status in ("responded", "escalated"):
            day = add_working_days(day, rng.randint(8, 18))
        elif status == "resolved":
            day = add_working_days(day, rng.randint(2, 10))
        side = "hwb" if status in ("acknowledged", "responded") else "provider"
        if concern["confidential"] and side == "hwb":
            side = "assurer"
        message = concern["text"] if status == "open" else STEP_MESSAGES[status]
        steps.append({"concern_ref": concern["ref"], "at": _at(day, 9 + len(steps)), "actor_side": side,
                      "from_status": previous, "to_status": status, "message": message})
        previous = status
    return steps


def concerns(hwb: dict, footprint: dict[str, str], profile: Profile, activity: Activity, rng: random.Random,
             acknowledge_days: int, respond_days: int) -> tuple[list[dict], list[dict]]:
    """The plan's concerns and their steps; an answered board has nothing owing on a concern it can see."""
    low, high = CONCERN_COUNTS[profile.tier]
    count = rng.randint(low, high)
    if not profile.concerns_answered:
        count = max(count, 1)
    engaged = set(activity.engaged)
    rows, steps = [], []
    for index in range(count):
        code = rng.choice(sorted(footprint))
        confidential = rng.random() < 0.2 and (profile.concerns_answered or index > 0)
        status = _status(confidential, profile.concerns_answered, rng)
        if index == 0 and not profile.concerns_answered:
            status = rng.choice(("open", "acknowledged", "escalated"))
        last_month = 10 if status in ("responded", "resolved", "escalated") else 11
        raised = date(2014, rng.randint(3, last_month), rng.randint(1, 20))
        while raised.weekday() >= 5:
            raised += timedelta(days=1)
        acknowledge_due, respond_due = due_dates(raised, acknowledge_days, respond_days)
        category = _category(footprint[code], code in engaged, rng)
        concern = {"ref": hex_ref(rng, "CN-", 10), "hwb_code": hwb["code"], "provider_code": code,
                   "raised": raised, "category": category, "severity": rng.choice(("low", "medium", "medium", "high")),
                   "confidential": confidential, "status": status, "text": CONCERN_TEXTS[category],
                   "acknowledge_due": acknowledge_due, "respond_due": respond_due}
        rows.append(concern)
        steps.extend(_history(concern, rng))
    return rows, steps
