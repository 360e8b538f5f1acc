"""The date a plan's evidence is shown as at, the same on every evidence page and the evidence pack.

A page takes ?as_of=YYYY-MM-DD (the links: a review's date, the final submission date) or the three boxes of its
date form (as_of[day], as_of[month], as_of[year]). Today, no date, or a wrong one shows today's evidence; a wrong
one also puts its message on the form, for the error summary. The figures as at a past date come from
tracker.domain.evidence (plan_evidence's as_of).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from flask import request, url_for
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict

from tracker.web.clock import today
from tracker.web.forms import DateField

PLAIN = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
PARTS = ("day", "month", "year")


class EvidenceDateForm(FlaskForm):
    """The date form of an evidence page (a GET form: nothing to protect with a CSRF token)."""

    class Meta:
        csrf = False

    as_of = DateField("Date of the evidence", required=False, latest_today=True)


@dataclass
class EvidenceDate:
    """What a page needs to show its evidence as at a date: the form, the day (None for today's) and links."""

    form: EvidenceDateForm
    day: date | None  # a day before today, or None: today's evidence
    today: date

    @property
    def shown(self) -> date:
        """The date the evidence stands at."""
        return self.day or self.today

    @property
    def kept(self) -> dict[str, str]:
        """The page's other query arguments, which the form and the links keep (a list's page number starts over)."""
        return {key: value for key, value in request.args.items()
                if not key.startswith("as_of") and key not in ("page", "concerns_page")}

    def url(self, day: date | None) -> str:
        """This page as at `day` (today's when None or not before today)."""
        extra = {"as_of": day.isoformat()} if day is not None and day < self.today else {}
        return url_for(request.endpoint, **(request.view_args or {}), **self.kept, **extra)


def evidence_date() -> EvidenceDate:
    """The date the request asks the evidence as at, with its form (its error, if any, ready for the summary)."""
    formdata = MultiDict(request.args)
    plain = formdata.pop("as_of", None)
    malformed = False
    if plain is not None and not any(f"as_of[{part}]" in formdata for part in PARTS):
        match = PLAIN.fullmatch(plain.strip())
        malformed = bool(plain.strip()) and match is None
        year, month, day = match.groups() if match else ("", "", "")
        formdata.update({"as_of[day]": day, "as_of[month]": month, "as_of[year]": year})
    form = EvidenceDateForm(formdata=formdata)
    form.validate()
    if malformed:
        form.as_of.errors = ["Date of the evidence must be a real date, like 19 9 2014"]
    chosen = None if form.as_of.errors else form.as_of.data
    now = today()
    return EvidenceDate(form, chosen if chosen is not None and chosen < now else None, now)
