"""Fixtures for the assurance workspace: a national and a London assurer, signed in on the test client."""
from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from tests.factories import make_user, sign_in_as
from tracker.models import User
from tracker.web.extensions import db


@pytest.fixture
def assurer(app_ctx) -> User:
    """A national assurer."""
    user = make_user("assurer", "national.assurer@example.org")
    db.session.commit()
    return user


@pytest.fixture
def london_assurer(app_ctx) -> User:
    """An assurer for the London region only."""
    user = make_user("assurer", "london.assurer@example.org", region="london")
    db.session.commit()
    return user


@pytest.fixture
def as_assurer(client: FlaskClient, assurer: User) -> FlaskClient:
    """The test client signed in as the national assurer."""
    return sign_in_as(client, assurer)
