"""The plan's details beside the acute providers' view, and the evidence exported as CSV and a printable page."""
from __future__ import annotations

import csv
import io
from datetime import date

from tests.factories import make_user, sign_in_as
from tests.hwb.conftest import add_concern, add_event, text
from tracker.domain import accounts
from tracker.models import ConditionDeclaration
from tracker.web.extensions import db


def read_csv(response) -> list[dict[str, str]]:
    body = response.get_data(as_text=True)
    assert body.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(body[1:])))


def test_the_plan_shows_budget_declarations_and_acute_disagreement(client, scene) -> None:
    db.session.add(ConditionDeclaration(plan_id=scene.plan.id, condition="acute_impact", declaration="not_met",
                                        detail="Still in discussion with the trusts"))
    db.session.commit()
    sign_in_as(client, scene.hwb_user)
    page = text(client.get("/board/plan"))
    assert "£12,000,000" in page and "£10,000,000" in page and "£9,000,000" in page and "£3,000,000" in page
    assert "Still in discussion with the trusts" in page and "Not declared" in page and "Not met" in page
    # The plan claims 3.5%: it meets the national expectation. RACU expects 1.0% and says it disagrees;
    # RAC2 gave no assessment.
    assert "A 3.5% reduction" in page and "Below the national expectation" not in page
    assert "1 acute provider disagrees with the plan" in page and "1 acute provider has given no impact" in page
    assert ("Says it disagrees with the plan&#39;s assessment; expects a smaller reduction than the plan claims "
            "(2.5 points)") in page
    assert "-£2,000,000" in page


def test_a_claim_below_the_national_expectation_is_flagged(client, scene) -> None:
    scene.plan.claimed_emergency_reduction_pct = 2
    db.session.commit()
    sign_in_as(client, scene.hwb_user)
    page = text(client.get("/board/plan"))
    assert "Below the national expectation" in page and "at least 3.5%" in page


def test_the_criteria_export_has_the_apis_figures(client, scene) -> None:
    token = accounts.create_token(db.session, make_user("hwb", hwb=scene.hwb))
    db.session.commit()
    api = client.get(f"/api/v1/plans/{scene.hwb.code}/2015-16/evidence",
                     headers={"Authorization": f"Bearer {token}"}).get_json()
    sign_in_as(client, scene.hwb_user)
    response = client.get("/board/export/criteria.csv")
    assert response.headers["Content-Disposition"] == 'attachment; filename="E06000047-2015-16-engagement-criteria.csv"'
    rows = read_csv(response)
    assert [r["id"] for r in rows] == ["E1", "E2", "E3", "E4", "E5", "E6", "E7", "rating"]
    for row, criterion in zip(rows, api["criteria"], strict=False):
        assert row["passed"] == ("yes" if criterion["passed"] else "no")
        assert row["value"] == ("" if criterion["value"] is None else str(criterion["value"]))
    assert rows[-1]["criterion"].lower() == api["rating"]


def test_the_events_export_is_in_the_import_format_and_keeps_formulas_inert(client, scene) -> None:
    event = add_event(scene.plan.id, date(2014, 9, 1), [scene.voluntary], ref="EV-FORMULA")
    event.summary = "=HYPERLINK(\"http://evil.example\")"
    db.session.commit()
    sign_in_as(client, scene.hwb_user)
    rows = read_csv(client.get("/board/export/events.csv"))
    assert list(rows[0]) == ["event_ref", "provider_code", "hwb_code", "year", "recorded_by", "date", "kind", "depth",
                             "topics", "summary", "withdrawn", "leadership", "status"]
    refs = {(r["event_ref"], r["provider_code"], r["status"]) for r in rows}
    assert refs == {("EV-BOARD1", "RACU", "confirmed"), ("EV-BOARD1", "RCOM", "confirmed"),
                    ("EV-PROV1", "RCOM", "unconfirmed"), ("EV-FORMULA", "VOL1", "unconfirmed")}
    assert next(r for r in rows if r["event_ref"] == "EV-FORMULA")["summary"].startswith("'=")


def test_the_providers_export_lists_every_footprint_provider(client, scene) -> None:
    sign_in_as(client, scene.hwb_user)
    rows = read_csv(client.get("/board/export/providers.csv"))
    assert {r["provider_code"]: r["engaged"] for r in rows} == {
        "RACU": "yes", "RAC2": "no", "RCOM": "yes", "1-CARE": "no", "VOL1": "no"}


def test_the_printable_summary_has_the_print_stylesheet_and_no_confidential_concern(client, scene) -> None:
    add_concern(scene.plan.id, scene.voluntary, "CN-CLOSED", raised=date(2014, 9, 1), status="resolved")
    db.session.commit()
    sign_in_as(client, scene.hwb_user)
    page = text(client.get("/board/export/summary"))
    assert 'href="/static/css/print.css" media="print"' in page
    assert "Engagement evidence summary" in page and "Criteria E1 to E7" in page
    assert "CN-OVERDUE" in page and "CN-SECRET" not in page and "the trust&#39;s finances" not in page
    assert "EV-BOARD1" in page or "12 June 2014" in page
