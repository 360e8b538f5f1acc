"""Working days (Monday to Friday except England's bank holidays) and 'today' in Europe/London.

Every due date below was worked out by hand from GOV.UK's calendar; the comments show the count.
"""
from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from flask import Flask
from hypothesis import given
from hypothesis import strategies as st

import tracker.domain.clock
from tests.factories import make_hwb, make_plan, make_provider, make_user
from tracker.domain import evidence
from tracker.domain.clock import LONDON, london_today
from tracker.domain.concerns import ConcernInput, is_overdue, raise_concern, take_action
from tracker.domain.working_days import add_working_days, bank_holidays, due_dates, is_working_day
from tracker.web import clock
from tracker.web.extensions import db

# GOV.UK's bank holidays for England and Wales (gov.uk/bank-holidays), the weekdays only.
GOV_UK = {
    2014: ["2014-01-01", "2014-04-18", "2014-04-21", "2014-05-05", "2014-05-26", "2014-08-25", "2014-12-25",
           "2014-12-26"],
    2015: ["2015-01-01", "2015-04-03", "2015-04-06", "2015-05-04", "2015-05-25", "2015-08-31", "2015-12-25",
           "2015-12-28"],  # Boxing Day on a Saturday: the substitute day is Monday 28 December
    2016: ["2016-01-01", "2016-03-25", "2016-03-28", "2016-05-02", "2016-05-30", "2016-08-29", "2016-12-26",
           "2016-12-27"],  # Christmas Day on a Sunday: the substitute day is Tuesday 27 December
    2020: ["2020-01-01", "2020-04-10", "2020-04-13", "2020-05-08", "2020-05-25", "2020-08-31", "2020-12-25",
           "2020-12-28"],  # the early May bank holiday moved to Friday 8 May (VE Day's 75th anniversary)
    2022: ["2022-01-03", "2022-04-15", "2022-04-18", "2022-05-02", "2022-06-02", "2022-06-03", "2022-08-29",
           "2022-09-19", "2022-12-26", "2022-12-27"],  # the Platinum Jubilee, the Queen's State Funeral
    2023: ["2023-01-02", "2023-04-07", "2023-04-10", "2023-05-01", "2023-05-08", "2023-05-29", "2023-08-28",
           "2023-12-25", "2023-12-26"],  # the Coronation on Monday 8 May
}


@pytest.mark.parametrize("year", sorted(GOV_UK))
def test_the_bank_holidays_are_gov_uks(year: int) -> None:
    weekdays = {day for day in bank_holidays(year) if day.weekday() < 5}
    assert weekdays == {date.fromisoformat(day) for day in GOV_UK[year]}


@pytest.mark.parametrize("day, working", [
    (date(2014, 12, 24), True),
    (date(2014, 12, 25), False),   # Christmas Day
    (date(2014, 12, 26), False),   # Boxing Day
    (date(2014, 12, 27), False),   # a Saturday
    (date(2015, 1, 1), False),     # New Year's Day
    (date(2015, 1, 2), True),
    (date(2015, 4, 3), False),     # Good Friday
    (date(2015, 4, 6), False),     # Easter Monday
    (date(2015, 4, 7), True),
    (date(2015, 5, 4), False),     # early May bank holiday
    (date(2015, 12, 28), False),   # Boxing Day's substitute
    (date(2020, 5, 4), True),      # not a bank holiday in 2020: it moved to Friday 8 May
    (date(2020, 5, 8), False),
    (date(2022, 9, 19), False),    # the State Funeral of Queen Elizabeth II
    (date(2023, 5, 8), False),     # the Coronation
    (date(2015, 3, 17), True),     # St Patrick's Day is a bank holiday in Northern Ireland only
    (date(2015, 1, 2), True),      # 2 January is a bank holiday in Scotland only
    (date(2015, 8, 3), True),      # Scotland's summer bank holiday; England's is on 31 August
])
def test_is_working_day(day: date, working: bool) -> None:
    assert is_working_day(day) is working


@pytest.mark.parametrize("raised, acknowledge, respond", [
    # The examples. Wednesday 24 December 2014: 25 and 26 are bank holidays, then the weekend;
    # 29, 30, 31 December -> 31 December; 20 days: 29-31 Dec (3), 1 Jan is a bank holiday, 2 Jan (4),
    # 5-9 (9), 12-16 (14), 19-23 (19), 26 January (20).
    (date(2014, 12, 24), date(2014, 12, 31), date(2015, 1, 26)),
    # Wednesday 1 April 2015: 2 April (1), Good Friday and Easter Monday, 7 (2), 8 April (3);
    # 20 days: 2 (1), 7-10 (5), 13-17 (10), 20-24 (15), 27-30 (19), Friday 1 May (20).
    (date(2015, 4, 1), date(2015, 4, 8), date(2015, 5, 1)),
    # Christmas and New Year 2014.
    (date(2014, 12, 22), date(2014, 12, 29), date(2015, 1, 22)),  # 23, 24, 29 Dec; 20th is Thu 22 Jan
    (date(2014, 12, 23), date(2014, 12, 30), date(2015, 1, 23)),  # 24, 29, 30 Dec; 20th is Fri 23 Jan
    (date(2014, 12, 31), date(2015, 1, 6), date(2015, 1, 29)),    # 2, 5, 6 Jan; 20th is Thu 29 Jan
    # Easter 2015: Thursday 2 April -> 7, 8, 9 April; the 20th day would be Monday 4 May, a bank holiday,
    # so it is Tuesday 5 May. Raised on Good Friday itself (the day raised never counts): the same.
    (date(2015, 4, 2), date(2015, 4, 9), date(2015, 5, 5)),
    (date(2015, 4, 3), date(2015, 4, 9), date(2015, 5, 5)),
    # After the early May bank holiday (Monday 4 May 2015).
    (date(2015, 4, 29), date(2015, 5, 5), date(2015, 5, 29)),    # 30 Apr, 1 May, Tue 5 May; 25 May skipped too
    (date(2015, 4, 30), date(2015, 5, 6), date(2015, 6, 1)),     # 1, 5, 6 May
    # After the spring bank holiday (Monday 25 May 2015): 22, 26, 27 May.
    (date(2015, 5, 21), date(2015, 5, 27), date(2015, 6, 19)),
    # Christmas 2015, Boxing Day's substitute on Monday 28 December: 29, 30, 31 December.
    (date(2015, 12, 24), date(2015, 12, 31), date(2016, 1, 26)),
    # 2020's early May bank holiday on Friday 8 May: 7, 11, 12 May.
    (date(2020, 5, 6), date(2020, 5, 12), date(2020, 6, 5)),
    # The Platinum Jubilee, Thursday 2 and Friday 3 June 2022: 6, 7, 8 June.
    (date(2022, 6, 1), date(2022, 6, 8), date(2022, 7, 1)),
    # The State Funeral, Monday 19 September 2022: 20, 21, 22 September.
    (date(2022, 9, 16), date(2022, 9, 22), date(2022, 10, 17)),
])
def test_due_dates(raised: date, acknowledge: date, respond: date) -> None:
    assert due_dates(raised, 3, 20) == (acknowledge, respond)


def test_zero_days_is_the_day_itself_and_negative_is_refused() -> None:
    assert add_working_days(date(2014, 12, 25), 0) == date(2014, 12, 25)
    with pytest.raises(ValueError, match="negative"):
        add_working_days(date(2014, 12, 25), -1)


@given(st.dates(min_value=date(2012, 1, 1), max_value=date(2030, 12, 31)), st.integers(min_value=1, max_value=40))
def test_n_working_days_on_is_a_working_day_after_exactly_n(start: date, days: int) -> None:
    end = add_working_days(start, days)
    assert is_working_day(end)
    between = [start + timedelta(days=i) for i in range(1, (end - start).days + 1)]
    assert sum(is_working_day(day) for day in between) == days
    assert (end - start).days >= days + 2 * ((days - 1) // 5)  # never sooner than Monday to Friday alone


# 'Today' in London: GMT (UTC+0) in winter, BST (UTC+1) from 01:00 UTC on the last Sunday of March to
# 01:00 UTC on the last Sunday of October.
@pytest.mark.parametrize("now, today", [
    # Winter: London is on UTC.
    (datetime(2015, 1, 15, 23, 30, tzinfo=UTC), date(2015, 1, 15)),
    (datetime(2015, 1, 16, 0, 30, tzinfo=UTC), date(2015, 1, 16)),
    (datetime(2014, 12, 31, 23, 59, 59, tzinfo=UTC), date(2014, 12, 31)),
    (datetime(2015, 1, 1, 0, 0, tzinfo=UTC), date(2015, 1, 1)),
    # Summer: London is an hour ahead, so 23:30 UTC on 30 June is 00:30 on 1 July.
    (datetime(2015, 6, 30, 22, 59, 59, tzinfo=UTC), date(2015, 6, 30)),
    (datetime(2015, 6, 30, 23, 0, tzinfo=UTC), date(2015, 7, 1)),
    (datetime(2015, 6, 30, 23, 30, tzinfo=UTC), date(2015, 7, 1)),
    (datetime(2015, 7, 1, 0, 30, tzinfo=UTC), date(2015, 7, 1)),
    # The clocks go forward at 01:00 UTC on Sunday 29 March 2015.
    (datetime(2015, 3, 28, 23, 30, tzinfo=UTC), date(2015, 3, 28)),  # still GMT
    (datetime(2015, 3, 29, 0, 30, tzinfo=UTC), date(2015, 3, 29)),
    (datetime(2015, 3, 29, 22, 59, tzinfo=UTC), date(2015, 3, 29)),  # 23:59 BST
    (datetime(2015, 3, 29, 23, 30, tzinfo=UTC), date(2015, 3, 30)),  # the first summer midnight has passed
    # The clocks go back at 01:00 UTC on Sunday 25 October 2015.
    (datetime(2015, 10, 24, 22, 59, tzinfo=UTC), date(2015, 10, 24)),
    (datetime(2015, 10, 24, 23, 30, tzinfo=UTC), date(2015, 10, 25)),  # 00:30 BST
    (datetime(2015, 10, 25, 0, 30, tzinfo=UTC), date(2015, 10, 25)),   # 01:30 BST, the first time
    (datetime(2015, 10, 25, 1, 30, tzinfo=UTC), date(2015, 10, 25)),   # 01:30 GMT, the second time
    (datetime(2015, 10, 25, 23, 30, tzinfo=UTC), date(2015, 10, 25)),  # GMT again: still Sunday
    # Any aware datetime: 19:30 in New York on 30 June is 00:30 on 1 July in London.
    (datetime(2015, 6, 30, 19, 30, tzinfo=ZoneInfo("America/New_York")), date(2015, 7, 1)),
    (datetime(2015, 7, 1, 0, 30, tzinfo=LONDON), date(2015, 7, 1)),
])
def test_london_today(now: datetime, today: date) -> None:
    assert london_today(now) == today


def test_london_today_refuses_a_naive_datetime() -> None:
    with pytest.raises(ValueError, match="aware"):
        london_today(datetime(2015, 6, 30, 23, 30))


def test_london_today_now_is_the_date_in_london() -> None:
    before = datetime.now(LONDON).date()
    today = london_today()
    assert today in {before, datetime.now(LONDON).date()}


class _FrozenAt(datetime):
    """datetime whose now() is 23:30 UTC on 30 June 2015, as tracker.domain.clock sees it."""

    @classmethod
    def now(cls, tz=None):  # noqa: ANN001, ANN206
        instant = datetime(2015, 6, 30, 23, 30, tzinfo=UTC)
        return instant.astimezone(tz) if tz else instant.replace(tzinfo=None)


def test_the_web_clock_is_londons_unless_pinned(app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tracker.domain.clock, "datetime", _FrozenAt)
    monkeypatch.delitem(app.config, "TODAY", raising=False)
    with app.app_context():
        assert clock.today() == date(2015, 7, 1)  # the server's UTC date would be 30 June
        monkeypatch.setitem(app.config, "TODAY", "2014-10-01")
        assert clock.today() == date(2014, 10, 1)
        monkeypatch.setitem(app.config, "TODAY", date(2014, 12, 24))
        assert clock.today() == date(2014, 12, 24)


def test_nothing_in_the_app_asks_the_servers_local_date() -> None:
    """'Today' comes from tracker.web.clock (the pinned date or London's) or tracker.domain.clock, never from the
    server's time zone; timestamps are taken in UTC."""
    root = Path(__file__).resolve().parent.parent / "tracker"
    local = re.compile(r"date\.today\(\)|datetime\.(now|today)\(\)|datetime\.utcnow\(\)")
    offenders = [f"{path.relative_to(root)}:{n}" for path in sorted(root.rglob("*.py"))
                 for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if local.search(line)]
    assert offenders == []


# Through the domain, on both databases: a concern raised on Christmas Eve 2014.
@pytest.fixture
def scene(app_ctx: Flask) -> dict[str, object]:
    hwb = make_hwb()
    acute = make_provider("acute", footprint=[hwb])
    plan = make_plan(hwb)
    users = {"provider": make_user("provider", provider=acute), "hwb": make_user("hwb", hwb=hwb)}
    db.session.commit()
    return {"plan": plan, **users}


def overdue_on(plan_id: int, today: date) -> int:
    figures = evidence.plan_evidence(db.session, plan_id, today, evidence.load_thresholds(db.session))
    return figures.facts.concerns_overdue


def test_a_concern_raised_on_christmas_eve_is_overdue_only_after_the_bank_holidays(scene) -> None:  # noqa: ANN001
    plan = scene["plan"]
    concern = raise_concern(db.session, scene["provider"], plan,
                            ConcernInput("acute_demand", "high", "Admissions over Christmas", False),
                            today=date(2014, 12, 24), acknowledge_days=3, respond_days=20)
    db.session.commit()
    assert (concern.raised, concern.acknowledge_due, concern.respond_due) == (
        date(2014, 12, 24), date(2014, 12, 31), date(2015, 1, 26))
    # Monday to Friday alone would have made the acknowledgement due on Monday 29 December.
    for day, overdue in [(date(2014, 12, 30), False), (date(2014, 12, 31), False),  # due today is not overdue
                         (date(2015, 1, 1), True), (date(2015, 1, 2), True)]:
        assert is_overdue(concern.status, concern.acknowledge_due, concern.respond_due, day) is overdue
        assert overdue_on(plan.id, day) == int(overdue)
    take_action(db.session, scene["hwb"], concern, "acknowledge", "", today=date(2015, 1, 2), respond_days=20)
    db.session.commit()
    assert overdue_on(plan.id, date(2015, 1, 26)) == 0
    assert overdue_on(plan.id, date(2015, 1, 27)) == 1


def test_a_reopened_concern_gets_twenty_working_days_from_the_day_it_was_reopened(scene) -> None:  # noqa: ANN001
    concern = raise_concern(db.session, scene["provider"], scene["plan"],
                            ConcernInput("excluded", "medium", "Not invited", False),
                            today=date(2015, 3, 2), acknowledge_days=3, respond_days=20)
    take_action(db.session, scene["hwb"], concern, "acknowledge", "", today=date(2015, 3, 3), respond_days=20)
    take_action(db.session, scene["hwb"], concern, "respond", "You are invited now", today=date(2015, 3, 4),
                respond_days=20)
    take_action(db.session, scene["provider"], concern, "reopen", "Not yet", today=date(2015, 4, 2),
                respond_days=20)
    db.session.commit()
    # Reopened on Thursday 2 April 2015: Good Friday, Easter Monday and the early May bank holiday are skipped.
    assert concern.status == "acknowledged" and concern.respond_due == date(2015, 5, 5)
    assert overdue_on(scene["plan"].id, date(2015, 5, 5)) == 0
    assert overdue_on(scene["plan"].id, date(2015, 5, 6)) == 1
