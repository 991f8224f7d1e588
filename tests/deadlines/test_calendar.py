"""Deadline arithmetic, a pure function of (start, calendar, hours)."""

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import holidays
import pytest

from civicline.deadlines.calendar import (
    Calendar,
    add_business_time,
    add_calendar_time,
    business_time_between,
)

BELGRADE, SOFIA, KYIV = (
    ZoneInfo("Europe/Belgrade"),
    ZoneInfo("Europe/Sofia"),
    ZoneInfo("Europe/Kyiv"),
)
OFFICE = {day: ((time(7, 30), time(15, 30)),) for day in range(5)}  # seed 001's hours


def office(tz, country=None, extra=()):
    public = holidays.country_holidays(country) if country else {}
    return Calendar(tz=tz, hours=OFFICE, is_closed=lambda d: d in public or d in extra)


def at(tz, *parts):
    return datetime(*parts, tzinfo=tz)


def due(start, hours, calendar):
    return add_business_time(start, timedelta(hours=hours), calendar).astimezone(start.tzinfo)


@pytest.mark.parametrize(
    ("start", "hours", "expected", "why"),
    [
        ((2026, 11, 23, 10, 0), 4, (2026, 11, 23, 14, 0), "within the day"),
        ((2026, 11, 23, 15, 0), 8, (2026, 11, 24, 15, 0), "the evening does not count"),
        ((2026, 11, 23, 20, 0), 8, (2026, 11, 24, 15, 30), "registered at night"),
        ((2026, 11, 20, 14, 0), 8, (2026, 11, 23, 14, 0), "the weekend does not count"),
        ((2026, 11, 21, 11, 0), 1, (2026, 11, 23, 8, 30), "registered on Saturday"),
        ((2026, 11, 23, 7, 30), 40, (2026, 11, 27, 15, 30), "a whole working week"),
    ],
)
def test_business_hours_skip_evenings_and_weekends(start, hours, expected, why):
    assert due(at(BELGRADE, *start), hours, office(BELGRADE)) == at(BELGRADE, *expected), why


def test_serbian_orthodox_easter_is_skipped():
    # Good Friday 10 April and Easter Monday 13 April 2026 are public holidays in Serbia.
    start = at(BELGRADE, 2026, 4, 9, 15, 0)
    assert due(start, 8, office(BELGRADE, "RS")) == at(BELGRADE, 2026, 4, 14, 15, 0)
    # without the holidays, the same start is due on Friday
    assert due(start, 8, office(BELGRADE)) == at(BELGRADE, 2026, 4, 10, 15, 0)


def test_serbian_statehood_day_observed_on_tuesday():
    # 15 February 2026 is a Sunday: Serbia rests on the 16th and 17th.
    start = at(BELGRADE, 2026, 2, 13, 15, 0)
    assert due(start, 1, office(BELGRADE, "RS")) == at(BELGRADE, 2026, 2, 18, 8, 0)


def test_bulgarian_liberation_day_is_skipped():
    start = at(SOFIA, 2026, 3, 2, 15, 0)  # Monday; 3 March is Liberation Day
    assert due(start, 8, office(SOFIA, "BG")) == at(SOFIA, 2026, 3, 4, 15, 0)


def test_ukrainian_easter_and_labour_day_are_skipped():
    # 2021: Labour Day (Sat 1 May) and Easter (Sun 2 May) are observed Mon 3 and Tue 4 May.
    start = at(KYIV, 2021, 4, 30, 15, 0)
    assert due(start, 8, office(KYIV, "UA")) == at(KYIV, 2021, 5, 5, 15, 0)


def test_an_extra_closed_day_from_the_admin_is_skipped():
    from datetime import date

    calendar = office(BELGRADE, "RS", extra={date(2026, 11, 24)})
    assert due(at(BELGRADE, 2026, 11, 23, 15, 0), 8, calendar) == at(BELGRADE, 2026, 11, 25, 15, 0)


def test_a_24_7_calendar_counts_every_hour():
    calendar = Calendar(tz=BELGRADE, always_open=True)
    start = at(BELGRADE, 2026, 4, 10, 22, 0)
    assert due(start, 48, calendar) == at(BELGRADE, 2026, 4, 12, 22, 0)


def test_calendar_hours_are_real_hours_across_the_spring_clock_change():
    # 29 March 2026, 02:00 -> 03:00 in Belgrade: 24 real hours end at 13:00 on the wall.
    start = at(BELGRADE, 2026, 3, 28, 12, 0)
    assert add_calendar_time(start, timedelta(hours=24)).astimezone(BELGRADE) == at(
        BELGRADE, 2026, 3, 29, 13, 0
    )


def test_a_working_day_is_eight_hours_on_the_day_the_clocks_change():
    saturday_shift = Calendar(tz=BELGRADE, hours={6: ((time(0), time(0)),)})  # all Sunday
    start = at(BELGRADE, 2026, 3, 29, 0, 0)
    # Sunday 29 March has 23 hours: 23 open hours end at the next midnight.
    end = add_business_time(start, timedelta(hours=23), saturday_shift)
    assert end.astimezone(BELGRADE) == at(BELGRADE, 2026, 3, 30, 0, 0)


def test_business_time_between_is_the_inverse_of_adding():
    calendar = office(BELGRADE, "RS")
    start = at(BELGRADE, 2026, 4, 9, 11, 0)
    for hours in (0.5, 3, 8, 13, 40):
        end = add_business_time(start, timedelta(hours=hours), calendar)
        assert business_time_between(start, end, calendar) == timedelta(hours=hours)


def test_a_calendar_without_hours_fails_loudly():
    with pytest.raises(ValueError, match="no opening hours"):
        add_business_time(
            datetime(2026, 1, 1, tzinfo=UTC), timedelta(hours=1), Calendar(tz=BELGRADE)
        )
