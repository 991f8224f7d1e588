"""Past call volumes read from queue_log, as a forecast for a staffing plan.

A queue's calls on a weekday are averaged over the last few weeks' same weekdays, interval
by interval of the local (wall-clock) day: what "a usual Monday at 9:00" looks like.
"""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Q

from civicline.telephony.models import QueueLogEntry

MINUTES_PER_DAY = 24 * 60


def past_weekdays(weekday: int, weeks: int, now: datetime) -> list[date]:
    """The last `weeks` dates falling on `weekday` (0 = Monday), newest first. Today never
    counts: its calls are still coming in."""
    today = now.astimezone(ZoneInfo(settings.TIME_ZONE)).date()
    latest = today - timedelta(days=(today.weekday() - weekday - 1) % 7 + 1)
    return [latest - timedelta(weeks=i) for i in range(weeks)]


def calls_per_interval(
    queue_name: str,
    weekday: int,
    weeks: int,
    interval_minutes: int,
    now: datetime,
    *,
    start: time = time(0, 0),
    count: int | None = None,
) -> list[float]:
    """Average ENTERQUEUE lines of `queue_name` per interval of the city's local day, over
    the last `weeks` `weekday`s before `now`.

    Interval i begins `start + i × interval_minutes` on the wall clock; there are `count` of
    them, or as many as fit before midnight. A day without a single call counts as a zero,
    not as a missing week. On the autumn clock change the repeated hour falls into the
    intervals of its wall-clock time, as a supervisor reading the clock would place it.
    """
    if weeks < 1:
        raise ValueError("weeks must be 1 or more")
    if MINUTES_PER_DAY % interval_minutes:
        raise ValueError("the interval must divide the day")
    zone = ZoneInfo(settings.TIME_ZONE)
    first = start.hour * 60 + start.minute
    if count is None:
        count = -(-(MINUTES_PER_DAY - first) // interval_minutes)
    days = past_weekdays(weekday, weeks, now)

    # Each local day's bounds in its own offset, so a clock change that day is honoured.
    day_ranges = Q()
    for day in days:
        midnight = datetime.combine(day, time(), tzinfo=zone)
        next_midnight = datetime.combine(day + timedelta(days=1), time(), tzinfo=zone)
        day_ranges |= Q(time__gte=midnight, time__lt=next_midnight)
    times = (
        QueueLogEntry.objects.filter(day_ranges, queue=queue_name, event="ENTERQUEUE")
        .order_by()
        .values_list("time", flat=True)
    )

    counts = [0] * count
    for moment in times.iterator():
        local = moment.astimezone(zone)
        index = (local.hour * 60 + local.minute - first) // interval_minutes
        if 0 <= index < count:
            counts[index] += 1
    return [calls / weeks for calls in counts]
