"""Evidence as at a date on the pages: the board's dashboard, the assurer's plan page and evidence pack, the
provider's plan page (for the scene of tests/hwb/conftest.py). Each takes ?as_of= or its date form, shows the date,
links to the final submission date, and says what is wrong with a bad date instead of failing."""
from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest

from tests.factories import make_user, sign_in_as
from tests.hwb.conftest import TODAY, text
from tracker.domain.engagement import EventInput, ParticipantInput, record_event
from tracker.domain.evidence import load_thresholds, plan_evidence
from tracker.models import AssuranceReview
from tracker.web.extensions import db

FINAL = date(2014, 9, 19)  # the scene's plan's final submission date (tests/factories.py)
PAGES = {"hwb": "/board/", "assurer": "/assurance/plans/E06000047/2015-16",
         "provider": "/provider/plans/E06000047/2015-16"}


@pytest.fixture
def dated(scene):
    """The scene of tests/hwb/conftest.py (today pinned to 1 October 2014), whose own rows count only from the day
    they were really written, and one event the board recorded on 10 September, dated 1 September, with the
    second acute trust (so 1 of 5 providers was engaged then, 3 of 5 are today)."""
    record_event(db.session, scene.hwb_user, scene.plan, EventInput(
        date(2014, 9, 1), "workshop", 4, ("schemes",), "Workshop", (ParticipantInput("RAC2"),)),
        today=date(2014, 9, 10))
    db.session.commit()
    return scene


def user(scene, role):
    return {"hwb": scene.hwb_user, "assurer": scene.assurer, "provider": scene.provider_user}[role]


def coverage(scene, day):
    figures = plan_evidence(db.session, scene.plan.id, TODAY, load_thresholds(db.session), day)
    return f"{round(figures.coverage * 100)}%"


@pytest.mark.parametrize("role", PAGES)
def test_each_evidence_page_shows_the_evidence_as_at_a_date(client, dated, role) -> None:
    sign_in_as(client, user(dated, role))
    today = text(client.get(PAGES[role]))
    assert 'data-testid="as-of">' not in today and "Today's evidence (1 October 2014)" in today
    link = re.search(r'href="([^"]+)" data-testid="as-of-final-submission"', today).group(1).replace("&amp;", "&")
    assert "as_of=2014-09-19" in link
    for path in (link, PAGES[role] + "?as_of[day]=19&as_of[month]=9&as_of[year]=2014"):
        html = text(client.get(path))
        assert "Evidence as at 19 September 2014" in html and 'data-testid="as-of">' in html
        assert coverage(dated, FINAL) == "20%" != coverage(dated, None)
        assert coverage(dated, FINAL) in html
    before = text(client.get(PAGES[role] + "?as_of=2014-09-09"))  # the event was recorded on the 10th
    assert "Evidence as at 9 September 2014" in before and coverage(dated, date(2014, 9, 9)) == "0%"
    assert "0%" in before


@pytest.mark.parametrize("role", PAGES)
@pytest.mark.parametrize("query, message", [
    ("as_of=2014-02-30", "Date of the evidence must be a real date"),
    ("as_of=yesterday", "Date of the evidence must be a real date, like 19 9 2014"),
    ("as_of=2014-10-02", "Date of the evidence must be today or in the past"),
    ("as_of[day]=31&as_of[month]=2&as_of[year]=2014", "Date of the evidence must be a real date"),
    ("as_of[day]=1&as_of[year]=2014", "Date of the evidence must include a month"),
    ("as_of[day]=1&as_of[month]=1&as_of[year]=99999999999999999999", "Date of the evidence year must include 4 "
                                                                      "numbers"),
])
def test_a_bad_date_is_explained_in_the_error_summary(client, dated, role, query, message) -> None:
    sign_in_as(client, user(dated, role))
    response = client.get(f"{PAGES[role]}?{query}")
    assert response.status_code == 200
    html = text(response)
    assert "There is a problem" in html and message in html and "<title>Error: " in html
    assert 'data-testid="as-of">' not in html  # today's evidence, with the form to try again


def test_each_review_links_to_the_evidence_as_at_its_date(client, dated) -> None:
    db.session.add(AssuranceReview(plan_id=dated.plan.id, reviewer_id=dated.assurer.id, rating="weak",
                                   suggested_rating="weak", decision="approved_with_support", tranche=3,
                                   criteria_snapshot={"criteria": []}, thresholds={}, condition_views={},
                                   created_at=datetime(2014, 9, 18, 23, 30, tzinfo=UTC)))  # 19 Sept in London
    db.session.commit()
    sign_in_as(client, dated.assurer)
    html = text(client.get(PAGES["assurer"]))
    link = re.search(r'href="([^"]+)" data-testid="review-evidence"', html).group(1)
    assert link == "/assurance/plans/E06000047/2015-16?as_of=2014-09-19"
    assert "See the evidence as at 19 September 2014" in html
    assert "Evidence as at 19 September 2014" in text(client.get(link))


def test_the_evidence_pack_is_produced_as_at_a_date(client, dated) -> None:
    sign_in_as(client, dated.assurer)
    pack = text(client.get(PAGES["assurer"] + "/pack?as_of=2014-09-19"))
    subtitle = re.search(r'data-testid="pack-subtitle">([^<]*)<', pack).group(1)
    assert subtitle.endswith("Evidence as at 19 September 2014: the figures as the tracker showed them at the end of "
                             "that day, with the board as it stood then; the concerns, assessments and reviews listed "
                             "are as they are now.")
    assert f"Coverage: {coverage(dated, FINAL)}" in pack
    assert "pack.pdf?as_of=2014-09-19" in pack
    pdf = client.get(PAGES["assurer"] + "/pack.pdf?as_of=2014-09-19")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    assert "evidence-pack-E06000047-2015-16-as-at-2014-09-19.pdf" in pdf.headers["Content-Disposition"]
    today = text(client.get(PAGES["assurer"] + "/pack"))
    assert "Evidence as of 1 October 2014." in today
    bad = client.get(PAGES["assurer"] + "/pack.pdf?as_of=2014-13-01")
    assert bad.status_code == 303 and "/pack?as_of=2014-13-01" in bad.headers["Location"]
    assert "Date of the evidence must be a real date" in text(client.get(bad.headers["Location"]))


def test_another_role_cannot_reach_a_page_by_its_date(client, dated) -> None:
    sign_in_as(client, make_user("provider", provider=dated.stranger))
    assert client.get(PAGES["provider"] + "?as_of=2014-09-19").status_code == 404
