"""Dates, money and percentages as pages, PDFs and messages write them."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from tracker.domain.formatting import format_date, format_gbp, format_number, format_ratio


@pytest.mark.parametrize("value, shown", [(None, ""), (0, "£0"), (1_234_567, "£1,234,567"), (-1_200, "-£1,200")])
def test_money(value, shown) -> None:
    assert format_gbp(value) == shown


@pytest.mark.parametrize("value, shown", [(None, ""), (Decimal("3.50"), "3.5"), (Decimal("2.00"), "2"),
                                          (Decimal("-1.25"), "-1.25"), (Decimal("10"), "10"), (0, "0"),
                                          (Decimal("1E+1"), "10"), (2.5, "2.5")])
def test_numbers_drop_trailing_zeros_only(value, shown) -> None:
    assert format_number(value) == shown


def test_dates_and_ratios() -> None:
    assert format_date(date(2014, 9, 1)) == "1 September 2014" and format_date(None) == ""
    assert format_ratio(None) == "none" and format_ratio(0.805) == "80%" and format_ratio(1.0) == "100%"


@pytest.mark.parametrize("parts, message", [
    ({"day": str(2**63), "month": "1", "year": "2015"}, "Date must be a real date"),  # once an OverflowError (500)
    ({"day": "1", "month": str(2**63), "year": "2015"}, "Date must be a real date"),
    ({"day": "31", "month": "2", "year": "2015"}, "Date must be a real date"),
    ({"day": "1", "month": "1", "year": "99999"}, "Date year must include 4 numbers"),
    ({"day": "1", "month": "", "year": "2015"}, "Date must include a month"),
    ({"day": "x", "month": "1", "year": "2015"}, "Date must be a real date"),
])
def test_date_parts_out_of_range_are_a_message_not_an_error(parts: dict[str, str], message: str) -> None:
    from tracker.web.forms import parse_date_parts

    assert parse_date_parts(parts, "Date") == (None, message)
    assert parse_date_parts({"day": "12", "month": "6", "year": "2014"}, "Date") == (date(2014, 6, 12), None)
