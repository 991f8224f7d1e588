"""Addresses as the delivery log shows them: enough to recognise, not enough to contact."""

from civicline.directory.phones import phone_display


def mask_phone(e164: str) -> str:
    """+381641234567 -> +381 64 ***4567: country and network stay, the subscriber goes."""
    parts = phone_display(e164).split(" ")
    head = parts[:2] if len(parts) > 2 else parts[:1]
    digits = "".join(ch for ch in e164 if ch.isdigit())
    return " ".join([*head, "***" + digits[-4:]])


def mask_email(address: str) -> str:
    """petar.petrovic@example.com -> p***@example.com"""
    local, _, domain = address.rpartition("@")
    return f"{local[:1]}***@{domain}" if local else "***"


def mask_address(channel: str, to: str) -> str:
    return mask_email(to) if channel == "email" else mask_phone(to)
