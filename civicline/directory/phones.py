"""Phone numbers in E.164, the one form citizens are found by."""

import phonenumbers
from django.conf import settings
from django.utils.translation import gettext as _


class PhoneError(ValueError):
    pass


def phone_to_e164(raw: str, region: str | None = None) -> str:
    """Parse a number as typed ("064 123 4567", "+381 64 1234567") into E.164.

    Raises PhoneError with a message for the user when it is not a possible number.
    """
    text = (raw or "").strip()
    if not text:
        raise PhoneError(_("Enter a phone number."))
    try:
        number = phonenumbers.parse(text, region or settings.PHONE_REGION)
    except phonenumbers.NumberParseException:
        raise PhoneError(_("“%(phone)s” is not a phone number.") % {"phone": text[:40]}) from None
    if not phonenumbers.is_valid_number(number):
        raise PhoneError(_("“%(phone)s” is not a valid phone number.") % {"phone": text[:40]})
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def phone_display(e164: str) -> str:
    """An E.164 number as people read it, in international format."""
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
