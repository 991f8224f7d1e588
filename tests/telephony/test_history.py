"""Past calls per interval of a local day, the forecast behind a staffing plan."""

from datetime import UTC, datetime, time

import pytest

from civicline.telephony.history import calls_per_interval, past_weekdays
from civicline.telephony.models import QueueLogEntry


def _enter(at, queue="novisad", event="ENTERQUEUE"):
    QueueLogEntry.objects.create(
        time=at, call_id=f"{at:%s}-{queue}-{event}", queue=queue, agent="NONE", event=event
    )


def test_it_counts_back_from_the_day_before_today():
    monday, tuesday = datetime(2026, 11, 30, 9, tzinfo=UTC), datetime(2026, 12, 1, 9, tzinfo=UTC)

    assert [f"{d:%d.%m}" for d in past_weekdays(0, 2, monday)] == ["23.11", "16.11"]
    assert [f"{d:%d.%m}" for d in past_weekdays(0, 2, tuesday)] == ["30.11", "23.11"]
    # 23:30 UTC on Sunday is already Monday in Novi Sad: that Monday is today.
    sunday_night = datetime(2026, 11, 29, 23, 30, tzinfo=UTC)
    assert [f"{d:%d.%m}" for d in past_weekdays(0, 1, sunday_night)] == ["23.11"]


@pytest.mark.django_db
def test_it_places_calls_by_the_local_clock_across_the_autumn_change():
    # given: Sunday 25 October 2026, when 03:00 summer time turns back to 02:00
    _enter(datetime(2026, 10, 24, 21, 59, tzinfo=UTC))  # 23:59 on Saturday
    _enter(datetime(2026, 10, 24, 22, 0, tzinfo=UTC))  # 00:00 summer time
    _enter(datetime(2026, 10, 25, 0, 30, tzinfo=UTC))  # 02:30 summer time
    _enter(datetime(2026, 10, 25, 1, 30, tzinfo=UTC))  # 02:30 again, winter time
    _enter(datetime(2026, 10, 25, 22, 59, tzinfo=UTC))  # 23:59 winter time
    _enter(datetime(2026, 10, 25, 23, 0, tzinfo=UTC))  # Monday
    _enter(datetime(2026, 10, 25, 12, 0, tzinfo=UTC), queue="other")
    _enter(datetime(2026, 10, 25, 12, 0, tzinfo=UTC), event="ABANDON")

    # when
    calls = calls_per_interval("novisad", 6, 1, 60, datetime(2026, 10, 27, tzinfo=UTC))

    # then
    assert len(calls) == 24
    assert (calls[0], calls[2], calls[23]) == (1, 2, 1)
    assert sum(calls) == 4


@pytest.mark.django_db
def test_it_averages_over_the_weeks_and_starts_where_asked():
    for day in (16, 23):
        _enter(datetime(2026, 11, day, 6, 40, tzinfo=UTC))  # 07:40 in Novi Sad
    _enter(datetime(2026, 11, 23, 6, 40, 1, tzinfo=UTC))

    calls = calls_per_interval("novisad", 0, 4, 30, datetime(2026, 11, 30, 12, tzinfo=UTC),
                               start=time(7, 30), count=2)  # fmt: skip

    assert calls == [0.75, 0.0]
