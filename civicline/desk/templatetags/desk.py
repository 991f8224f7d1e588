from django import template

from civicline.directory.phones import phone_display

register = template.Library()


@register.filter
def phone(e164: str) -> str:
    """An E.164 number as people read it: +381 21 4870170."""
    return phone_display(e164) if e164 else ""


@register.filter
def duration(seconds: int) -> str:
    """12:05 or 1:02:05: how long an agent has been in a state, a caller waited."""
    seconds = max(0, int(seconds or 0))
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"


@register.filter
def get_item(mapping: dict, key: str):
    """A dictionary's value in a template: the wallboard's counts by state."""
    return (mapping or {}).get(key, 0)
