"""Small builders of model rows for tests; each flushes so ids exist, and returns what it made."""
from __future__ import annotations

from datetime import date
from decimal import Decimal
from itertools import count

from flask.testing import FlaskClient

from tracker.web.extensions import db
from tracker.models import HWB, Plan, Provider, User
from tracker.domain.passwords import hash_password

_serial = count(1)
PASSWORD = "correct horse battery staple"
_HASH = hash_password(PASSWORD)  # argon2 is slow on purpose: hash the shared test password once


def make_hwb(code: str | None = None, region: str = "north", name: str | None = None) -> HWB:
    """A board with a unique GSS-shaped code."""
    n = next(_serial)
    hwb = HWB(code=code or f"E06{n:06d}", name=name or f"Board {n}", region=region)
    db.session.add(hwb)
    db.session.flush()
    return hwb


def make_provider(sector: str = "acute", footprint: list[HWB] | None = None, code: str | None = None) -> Provider:
    """A provider serving the given boards."""
    n = next(_serial)
    provider = Provider(code=code or f"P{n:05d}", name=f"Provider {n}", sector=sector, footprint=footprint or [])
    db.session.add(provider)
    db.session.flush()
    return provider


def make_plan(hwb: HWB, year: str = "2015-16", **values: object) -> Plan:
    """A plan with plausible money figures."""
    fields = {"minimum_pool_gbp": 10_000_000, "total_pool_gbp": 12_000_000, "nhs_contribution_gbp": 9_000_000,
              "council_contribution_gbp": 3_000_000, "claimed_emergency_reduction_pct": Decimal("3.5"),
              "final_submission": date(2014, 9, 19), "status": "submitted"}
    fields.update(values)
    plan = Plan(hwb_id=hwb.id, year=year, **fields)
    db.session.add(plan)
    db.session.flush()
    return plan


def make_user(role: str, email: str | None = None, *, provider: Provider | None = None, hwb: HWB | None = None,
              region: str | None = None, active: bool = True) -> User:
    """A user whose password is PASSWORD."""
    n = next(_serial)
    user = User(email=email or f"{role}{n}@example.org", password_hash=_HASH, role=role, active=active,
                provider_id=provider.id if provider else None, hwb_id=hwb.id if hwb else None, region=region)
    db.session.add(user)
    db.session.flush()
    return user


def sign_in_as(client: FlaskClient, user: User | None) -> FlaskClient:
    """Put the user's session on the client without the slow password check (None signs out)."""
    client._cookies.clear()  # noqa: SLF001 - start from no cookies, as a new browser would
    with client.session_transaction() as session:
        session.clear()
        if user is not None:
            session["_user_id"] = user.get_id()
            session["_fresh"] = True
    return client
