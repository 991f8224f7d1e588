"""How the call reports show a figure: counts grouped, durations as 1:05 or 1:02:05,
rates as percentages, and a dash where there was nothing to divide by."""

from django import template
from django.utils import formats

from civicline.dashboard.report_tables import COUNT, RATE, SECONDS, TIME, Cell

register = template.Library()

NOTHING = "—"


@register.filter
def count(value: int | None) -> str:
    return NOTHING if value is None else formats.number_format(value, force_grouping=True)


@register.filter
def percent(value: float | None) -> str:
    # number_format cuts a float's digits off; round first so 2 of 11 is 18.2 %.
    return NOTHING if value is None else f"{formats.number_format(round(value * 100, 1), 1)} %"


@register.filter
def seconds(value: float | None) -> str:
    if value is None:
        return NOTHING
    hours, rest = divmod(round(value), 3600)
    minutes, rest = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{rest:02d}" if hours else f"{minutes}:{rest:02d}"


@register.filter
def figure(cell: Cell) -> str:
    if cell.kind == COUNT:
        return count(cell.value)
    if cell.kind == RATE:
        return percent(cell.value)
    if cell.kind == SECONDS:
        return seconds(cell.value)
    if cell.kind == TIME:
        return formats.date_format(cell.value, "SHORT_DATETIME_FORMAT")
    return cell.value if cell.value is not None else NOTHING
