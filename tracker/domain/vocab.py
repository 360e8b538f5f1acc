"""The controlled vocabularies of PRODUCT.md, with the words people see for each value.

Every enumeration used by the models, the imports, the forms and the API comes from here, so a
value is spelt in one place only. Plain Python: no Flask, no database.
"""
from __future__ import annotations

# Financial years, written as PRODUCT.md writes them: `2015-16`, the second part being the year after the first.
# The fund's first year is 2015-16; the last accepted is 2098-99 (a bound, so that a year always has a successor's
# two digits and nothing far-fetched is stored).
FIRST_YEAR, LAST_YEAR = 2015, 2098


def is_year(text: object) -> bool:
    """Whether the text is a financial year like 2015-16, from FIRST_YEAR to LAST_YEAR."""
    if not isinstance(text, str) or len(text) != 7 or text[4] != "-" or not (text[:4] + text[5:]).isascii() \
            or not (text[:4] + text[5:]).isdigit():
        return False
    start = int(text[:4])
    return FIRST_YEAR <= start <= LAST_YEAR and int(text[5:]) == (start + 1) % 100


def year_of(start: int) -> str:
    """The financial year that starts in the given calendar year: 2015 -> 2015-16."""
    return f"{start}-{(start + 1) % 100:02d}"


def year_label(year: str) -> str:
    """A financial year in words: 2015-16 -> "2015 to 2016"."""
    start = int(year[:4])
    return f"{start} to {start + 1}"


def next_year(year: str) -> str | None:
    """The financial year after this one (None after LAST_YEAR)."""
    following = year_of(int(year[:4]) + 1)
    return following if is_year(following) else None


def previous_year(year: str) -> str | None:
    """The financial year before this one (None before FIRST_YEAR)."""
    before = year_of(int(year[:4]) - 1)
    return before if is_year(before) else None


def year_problem(text: str) -> str | None:
    """Why the text is not a financial year, for a message naming the value (None when it is one)."""
    if is_year(text):
        return None
    if not text:
        return "is empty; it must be a financial year like 2015-16"
    return f'"{text}" must be a financial year like 2015-16'


REGIONS: dict[str, str] = {
    "north": "North of England",
    "midlands_east": "Midlands and East of England",
    "london": "London",
    "south": "South of England",
}

SECTORS: dict[str, str] = {
    "acute": "Acute hospital",
    "primary_care": "GP and primary care",
    "community": "Community health",
    "mental_health": "Mental health",
    "ambulance": "Ambulance",
    "independent_social_care": "Independent social care",
    "housing": "Housing",
    "voluntary": "Voluntary and community",
}

SEATS: dict[str, str] = {
    "chair": "Chair",
    "elected_member": "Elected member",
    "director_adult_social_services": "Director of adult social services",
    "director_childrens_services": "Director of children's services",
    "director_public_health": "Director of public health",
    "ccg": "Clinical commissioning group",
    "healthwatch": "Healthwatch",
    "nhs_england": "NHS England",
    "provider": "Provider",
    "other": "Other",
}

EVENT_KINDS: dict[str, str] = {
    "board_meeting": "Board meeting",
    "workshop": "Workshop",
    "meeting": "Meeting",
    "consultation": "Consultation",
    "written_submission": "Written submission",
    "data_sharing": "Data sharing",
    "other": "Other",
}

# IAP2 spectrum of public participation: level -> (name, plain-language meaning)
DEPTHS: dict[int, tuple[str, str]] = {
    1: ("Inform", "The board told us about the plan, but did not ask for our views."),
    2: ("Consult", "The board asked for our views on a plan it had already drafted."),
    3: ("Involve", "We worked with the board throughout, and our concerns shaped the options."),
    4: ("Collaborate", "We developed the plan together as partners, including the preferred option."),
    5: ("Empower", "We jointly hold the decision, for example as a voting partner or pooled-budget signatory."),
}

# The same levels in the board's words, for the board's own event form.
DEPTHS_BOARD_VIEW: dict[int, str] = {
    1: "We told the providers about the plan, but did not ask for their views.",
    2: "We asked for their views on a plan we had already drafted.",
    3: "We worked with them throughout, and their concerns shaped the options.",
    4: "We developed the plan together as partners, including the preferred option.",
    5: "They jointly hold the decision, for example as voting partners or pooled-budget signatories.",
}

# An event's depth as each reader sees it, keyed by side: the provider reads the board's engagement of "us", the
# board its engagement of "them", an assurer both at a distance. The one place an event page's depth is worded.
DEPTH_WORDS: dict[str, dict[int, str]] = {
    "provider": {1: "The board told us about the plan", 2: "The board asked for our views",
                 3: "The board worked with us throughout", 4: "We developed the plan with the board as partners",
                 5: "We hold the decision jointly with the board"},
    "hwb": {1: "We told them about the plan", 2: "We asked them for their views", 3: "We worked with them throughout",
            4: "We developed the plan with them as partners", 5: "They hold the decision jointly with us"},
    "assurer": {1: "The board told the providers about the plan", 2: "The board asked the providers for their views",
                3: "The board worked with the providers throughout",
                4: "The board and the providers developed the plan as partners",
                5: "The providers hold the decision jointly with the board"},
}


def depth_words(level: int, side: str) -> str:
    """The depth in the reader's own words, with its IAP2 level: "The board asked for our views (consult)"."""
    words = DEPTH_WORDS.get(side, DEPTH_WORDS["assurer"])
    return f"{words[level]} ({DEPTHS[level][0].lower()})"


TOPICS: dict[str, str] = {
    "schemes": "Schemes",
    "acute_impact": "Impact on acute services",
    "risk_sharing": "Risk sharing",
    "workforce": "Workforce",
    "seven_day_services": "Seven-day services",
    "data_sharing": "Data sharing",
    "transition": "Transition",
    "metrics": "Metrics",
}

RECORDED_BY: dict[str, str] = {"provider": "Provider", "hwb": "Health and wellbeing board"}

PARTICIPATION_STATUSES: dict[str, str] = {
    "unconfirmed": "Unconfirmed",
    "confirmed": "Confirmed",
    "disputed": "Disputed",
}

CONCERN_CATEGORIES: dict[str, str] = {
    "excluded": "Excluded from planning",
    "financial_impact": "Financial impact",
    "acute_demand": "Demand on acute services",
    "evidence_base": "Evidence base",
    "social_care_voice": "Social care voice",
    "workforce": "Workforce",
    "data": "Data",
    "other": "Other",
}

SEVERITIES: dict[str, str] = {"low": "Low", "medium": "Medium", "high": "High"}

CONCERN_STATUSES: dict[str, str] = {
    "open": "Open",
    "acknowledged": "Acknowledged",
    "responded": "Responded",
    "resolved": "Resolved",
    "escalated": "Escalated to assurers",
}
# Every status but resolved. A query says `status IN UNRESOLVED` rather than `status != 'resolved'`, so the
# database seeks these ranges of the (plan, status, …) index instead of reading every concern of the plan.
UNRESOLVED: tuple[str, ...] = tuple(s for s in CONCERN_STATUSES if s != "resolved")

AGREEMENTS: dict[str, str] = {"agree": "Agree", "partly": "Partly agree", "disagree": "Disagree"}

DECISIONS: dict[str, str] = {
    "approved": "Approved",
    "approved_with_support": "Approved with support",
    "approved_subject_to_conditions": "Approved subject to conditions",
    "not_approved": "Not approved",
}

PLAN_STATUSES: dict[str, str] = {
    "draft": "Draft",
    "submitted": "Submitted",
    **DECISIONS,
}

RATINGS: dict[str, str] = {
    "strong": "Strong",
    "adequate": "Adequate",
    "weak": "Weak",
    "insufficient": "Insufficient",
}

NATIONAL_CONDITIONS: dict[str, str] = {
    "joint_agreement": "Plans jointly agreed by the board, the council and the CCGs",
    "protect_social_care": "Protection of social care services",
    "seven_day_services": "Seven-day services to support discharge",
    "data_sharing": "Data sharing on the NHS number",
    "joint_assessment": "Joint assessment with an accountable professional",
    "acute_impact": "Agreement on the impact on the acute sector",
}

DECLARATIONS: dict[str, str] = {"met": "Met", "not_met": "Not met", "in_progress": "In progress"}

CONDITION_VIEWS: dict[str, str] = {
    "met": "Met",
    "not_met": "Not met",
    "met_subject_to_conditions": "Met subject to conditions",
}

ROLES: dict[str, str] = {
    "provider": "Provider user",
    "hwb": "Health and wellbeing board user",
    "assurer": "Assurer",
    "admin": "Administrator",
}
