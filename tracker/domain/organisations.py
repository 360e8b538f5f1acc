"""Providers and boards as admins keep them: add and change a provider (code, name, sector, footprint), close one
that has ceased, and rename a board or move it to another region. Nothing is deleted; every change is audited.

Codes: an NHS body's ODS code, a social care location's CQC location ID, or a local code for the rest; each is
checked for its shape and must be unused.

Closing a provider ("it leaves future footprints"): the provider keeps every record and its footprint rows, and
it is shown as closed from its closing date. PRODUCT.md defines a plan's footprint as the providers whose footprint
includes the plan's board, with no dates, and the evidence summaries and tallies are kept per board
(tracker.domain.summaries); taking the provider out of the footprint would change the evidence figures of every
past plan of those boards. So closing freezes its footprint instead: no board can be added to or taken from a
closed provider's footprint, nor its sector changed, until it is reopened, and the evidence of past plans stays
exactly as it was. (Excluding it from the footprints of plans whose year starts after it closed needs year-aware
tallies in tracker.domain.summaries.)
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session

from tracker.domain import audit, vocab
from tracker.domain.errors import Rejected
from tracker.models import HWB, Provider, User

# The kinds of code a provider may have: a pattern and how to write it, for the message.
CODE_KINDS: dict[str, tuple[re.Pattern[str], str, str]] = {
    "ods": (re.compile(r"[A-Z0-9]{3,6}"), "ODS code (NHS body)",
            "3 to 6 capital letters and digits, like RTR or A81001"),
    "cqc": (re.compile(r"1-\d{9,11}"), "CQC location ID (social care)", "1- then 9 to 11 digits, like 1-101234567"),
    "local": (re.compile(r"[A-Z][A-Z0-9-]{1,19}"), "Local code (any other organisation)",
              "a capital letter then up to 19 capital letters, digits or hyphens, like VCS12345"),
}


def code_kind_of(code: str) -> str:
    """Which kind of code a stored code looks like (local when it fits no other)."""
    for kind in ("cqc", "ods"):
        if CODE_KINDS[kind][0].fullmatch(code):
            return kind
    return "local"


def code_problem(code: str, kind: str) -> str | None:
    """Why the code is not a code of that kind (None when it is one)."""
    if kind not in CODE_KINDS:
        return "Select the kind of code"
    if not code:
        return "Enter the organisation's code"
    pattern, label, shape = CODE_KINDS[kind]
    if not pattern.fullmatch(code):
        return f"A {label.split(' (')[0]} must be {shape}"
    return None


@dataclass(frozen=True)
class ProviderInput:
    """A provider as an admin gives it."""

    code: str
    code_kind: str
    name: str
    sector: str
    footprint: tuple[str, ...]  # board codes


def _boards(session: Session, codes: Iterable[str]) -> tuple[list[HWB], list[str]]:
    """The boards of these codes, and the codes that name none."""
    wanted = sorted(set(codes))
    found = list(session.scalars(sa.select(HWB).where(HWB.code.in_(wanted)).order_by(HWB.code))) if wanted else []
    known = {hwb.code for hwb in found}
    return found, [code for code in wanted if code not in known]


def _checked(session: Session, given: ProviderInput, provider: Provider | None) -> list[HWB]:
    """Refuse a provider that breaks a rule, naming each field at fault; the boards of its footprint otherwise."""
    errors: dict[str, str] = {}
    code = given.code.strip().upper()
    problem = code_problem(code, given.code_kind)
    if problem:
        errors["code_kind" if given.code_kind not in CODE_KINDS else "code"] = problem
    elif session.scalar(sa.select(Provider.id).where(Provider.code == code,
                                                     Provider.id != (provider.id if provider else -1))):
        errors["code"] = f"Another provider already has the code {code}"
    if not given.name.strip():
        errors["name"] = "Enter the organisation's name"
    elif len(given.name.strip()) > 200:
        errors["name"] = "Name must be 200 characters or fewer"
    if given.sector not in vocab.SECTORS:
        errors["sector"] = "Select the sector"
    boards, unknown = _boards(session, given.footprint)
    if unknown:
        errors["footprint"] = f"{', '.join(unknown)} is not a health and wellbeing board"
    if provider is not None and provider.closed_on is not None:
        if {b.id for b in boards} != {b.id for b in provider.footprint}:
            errors["footprint"] = "A closed provider's footprint cannot change; reopen it first"
        if given.sector != provider.sector:
            errors["sector"] = "A closed provider's sector cannot change; reopen it first"
    if errors:
        raise Rejected(errors)
    return boards


def _shown(provider: Provider) -> dict[str, object]:
    """A provider as the audit trail keeps it."""
    return {"code": provider.code, "name": provider.name, "sector": provider.sector,
            "footprint": sorted(hwb.code for hwb in provider.footprint),
            "closed_on": provider.closed_on.isoformat() if provider.closed_on else None}


def add_provider(session: Session, given: ProviderInput, *, actor: User | None) -> Provider:
    """Add a provider with its footprint (the flush hook counts it in the boards' tallies)."""
    boards = _checked(session, given, None)
    provider = Provider(code=given.code.strip().upper(), name=given.name.strip(), sector=given.sector,
                        footprint=boards)
    session.add(provider)
    session.flush()
    audit.record(session, "provider_added", "provider", provider.code, after=_shown(provider), actor=actor)
    return provider


def change_provider(session: Session, provider: Provider, given: ProviderInput, *, actor: User | None) -> bool:
    """Change a provider's code, name, sector and footprint; False when nothing differs."""
    boards = _checked(session, given, provider)
    before = _shown(provider)
    provider.code, provider.name, provider.sector = given.code.strip().upper(), given.name.strip(), given.sector
    if {b.id for b in boards} != {b.id for b in provider.footprint}:
        provider.footprint = boards
    after = _shown(provider)
    if after == before:
        return False
    session.flush()
    changed = [name for name in after if after[name] != before[name]]
    audit.record(session, "provider_changed", "provider", before["code"],
                 before={n: before[n] for n in changed}, after={n: after[n] for n in changed}, actor=actor)
    return True


def close_provider(session: Session, provider: Provider, closed_on: date | None, today: date, *,
                   actor: User | None) -> None:
    """Record that the provider ceased on a day not after today; its records and footprint stay."""
    if provider.closed_on is not None:
        raise Rejected({"closed_on": f"{provider.name} is already closed"})
    if closed_on is None:
        raise Rejected({"closed_on": "Enter the date it closed"})
    if closed_on > today:
        raise Rejected({"closed_on": "The date it closed must be today or in the past"})
    provider.closed_on = closed_on
    session.flush()
    audit.record(session, "provider_closed", "provider", provider.code, before={"closed_on": None},
                 after={"closed_on": closed_on.isoformat()}, actor=actor)


def reopen_provider(session: Session, provider: Provider, *, actor: User | None) -> None:
    """Undo a closure (one made in error)."""
    if provider.closed_on is None:
        raise Rejected({"closed_on": f"{provider.name} is not closed"})
    before = provider.closed_on.isoformat()
    provider.closed_on = None
    session.flush()
    audit.record(session, "provider_reopened", "provider", provider.code, before={"closed_on": before},
                 after={"closed_on": None}, actor=actor)


def change_board(session: Session, hwb: HWB, name: str, region: str, *, actor: User | None) -> bool:
    """Rename a board or move it to another region; False when nothing differs."""
    errors: dict[str, str] = {}
    name = name.strip()
    if not name:
        errors["name"] = "Enter the board's name"
    elif len(name) > 200:
        errors["name"] = "Name must be 200 characters or fewer"
    if region not in vocab.REGIONS:
        errors["region"] = "Select the region"
    if errors:
        raise Rejected(errors)
    before, after = {"name": hwb.name, "region": hwb.region}, {"name": name, "region": region}
    if before == after:
        return False
    hwb.name, hwb.region = name, region
    session.flush()
    changed = [n for n in after if after[n] != before[n]]
    audit.record(session, "board_changed", "hwb", hwb.code, before={n: before[n] for n in changed},
                 after={n: after[n] for n in changed}, actor=actor)
    return True
