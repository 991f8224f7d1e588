"""Deadline arithmetic: pure functions of (start, calendar, hours).

Business time is counted over a body's opening hours in the city's local time, skipping
public holidays and extra closed days. Intervals are built in local time and converted to
UTC before any subtraction, so a day with a daylight-saving change is counted by the clock
on the wall (a 07:30-15:30 day is 8 hours either way).
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

# Far enough for any deadline; a calendar with no opening hours at all fails loudly.
HORIZON_DAYS = 3 * 366


@dataclass(frozen=True)
class Calendar:
    tz: ZoneInfo
    # weekday (Monday 0) -> opening intervals; a close at 00:00 means midnight at day's end.
    hours: dict[int, tuple[tuple[time, time], ...]] = field(default_factory=dict)
    always_open: bool = False
    is_closed: Callable[[date], bool] = lambda day: False

    def open_intervals(self, after: datetime) -> Iterator[tuple[datetime, datetime]]:
        """Opening intervals (UTC) from `after` on, in order, the first one clipped."""
        if self.always_open:
            yield after, after + timedelta(days=HORIZON_DAYS)
            return
        day = after.astimezone(self.tz).date()
        for _ in range(HORIZON_DAYS):
            if not self.is_closed(day):
                for opens, closes in self.hours.get(day.weekday(), ()):
                    start = _utc(day, opens, self.tz)
                    if closes == time(0):
                        end = _utc(day + timedelta(days=1), time(0), self.tz)
                    else:
                        end = _utc(day, closes, self.tz)
                    if end > after:
                        yield max(start, after), end
            day += timedelta(days=1)
        raise ValueError("this calendar has no opening hours within three years")


def _utc(day: date, at: time, tz: ZoneInfo) -> datetime:
    return datetime.combine(day, at, tzinfo=tz).astimezone(UTC)


def add_business_time(start: datetime, amount: timedelta, calendar: Calendar) -> datetime:
    """The moment when `amount` of the calendar's open time has passed since `start`."""
    remaining = amount
    if remaining <= timedelta(0):
        return start
    for opens, closes in calendar.open_intervals(start):
        span = closes - opens
        if span >= remaining:
            return opens + remaining
        remaining -= span
    raise AssertionError("unreachable: open_intervals raises first")


def business_time_between(start: datetime, end: datetime, calendar: Calendar) -> timedelta:
    """How much of the calendar's open time lies between `start` and `end`."""
    total = timedelta(0)
    if end <= start:
        return total
    for opens, closes in calendar.open_intervals(start):
        if opens >= end:
            break
        total += min(closes, end) - opens
    return total


def add_calendar_time(start: datetime, amount: timedelta) -> datetime:
    # In UTC: aware arithmetic in a local zone adds wall-clock time, so 24 hours across a
    # daylight-saving change would come out as 23 or 25 real hours.
    return start.astimezone(UTC) + amount
