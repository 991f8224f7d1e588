"""Which calendar a body works by, read from the admin's tables into a Calendar."""

from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays
from django.conf import settings

from civicline import rows
from civicline.deadlines.calendar import Calendar
from civicline.deadlines.models import (
    BusinessCalendar,
    ClosedDay,
    OpeningHours,
    OrganisationCalendar,
)
from civicline.directory.models import Organisation


@lru_cache(maxsize=8)
def _public_holidays(country: str) -> holidays.HolidayBase:
    # The package fills in years as they are asked for (Orthodox Easter included).
    return holidays.country_holidays(country)


def calendar_from(model: BusinessCalendar | None) -> Calendar:
    tz = ZoneInfo(settings.TIME_ZONE)
    if model is None or model.always_open:
        return Calendar(tz=tz, always_open=True)
    hours: dict[int, list] = {}
    spans = f"SELECT weekday, opens, closes FROM {rows.table(OpeningHours)} WHERE calendar_id = %s"
    for weekday, opens, closes in rows.query(spans, [model.pk]):
        hours.setdefault(weekday, []).append((opens, closes))
    days = f"SELECT date FROM {rows.table(ClosedDay)} WHERE calendar_id = %s"
    closed = {day for (day,) in rows.query(days, [model.pk])}
    public = _public_holidays(model.country) if model.country else {}
    return Calendar(
        tz=tz,
        hours={day: tuple(sorted(spans)) for day, spans in hours.items()},
        is_closed=lambda day: day in closed or day in public,
    )


def calendar_for(organisation: Organisation) -> Calendar:
    """The body's own calendar, else the nearest parent's, else the default one."""
    seen = set()
    current: Organisation | None = organisation
    while current is not None and current.pk not in seen:
        seen.add(current.pk)
        assigned = (
            OrganisationCalendar.objects.select_related("calendar")
            .filter(organisation=current)
            .first()
        )
        if assigned:
            return calendar_from(assigned.calendar)
        current = current.parent
    return calendar_from(BusinessCalendar.objects.filter(is_default=True).first())
