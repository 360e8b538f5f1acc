"""Dates, money and percentages written the NHS.UK way, for pages, PDFs, spreadsheets and messages. No Flask."""
from __future__ import annotations

from datetime import date
from decimal import Decimal


def format_date(value: date | None) -> str:
    """23 November 2026, as the NHS.UK style guide writes dates."""
    return f"{value.day} {value:%B %Y}" if value else ""


def format_gbp(value: int | None) -> str:
    """£1,234,567, and a loss as -£1,234,567."""
    if value is None:
        return ""
    return f"-£{-value:,}" if value < 0 else f"£{value:,}"


def format_ratio(value: float | None) -> str:
    """A ratio as a whole percentage, or 'none' when there is nothing to divide by."""
    return "none" if value is None else f"{round(value * 100)}%"


def format_number(value: Decimal | float | int | None) -> str:
    """A stored decimal without trailing zeros: 3.50 as 3.5, 2.00 as 2, -1.25 as -1.25."""
    if value is None:
        return ""
    text = f"{Decimal(str(value)):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def format_points(change: float | None) -> str:
    """A change between two ratios in whole percentage points, signed: +12, -5, 0 ('' when either was none)."""
    if change is None:
        return ""
    points = round(change * 100)
    return f"+{points}" if points > 0 else str(points)
