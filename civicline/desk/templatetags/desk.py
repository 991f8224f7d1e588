from django import template

from civicline.directory.phones import phone_display

register = template.Library()


@register.filter
def phone(e164: str) -> str:
    """An E.164 number as people read it: +381 21 4870170."""
    return phone_display(e164) if e164 else ""
