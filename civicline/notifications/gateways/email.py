"""E-mail through Django's e-mail backend: SMTP in production, the console in the demo."""

import smtplib
from email.utils import parseaddr

from django.conf import settings
from django.core.mail import EmailMessage

from civicline.notifications.gateways.base import RESPONSE_CHARS, Delivery


def send_email(*, to: str, subject: str, body: str, key: str) -> Delivery:
    """Send one e-mail. Its Message-ID comes from `key`, so a copy resent after a crash has
    the same Message-ID as the first and mail clients show it once."""
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "civicline"
    message = EmailMessage(
        subject=subject,
        body=body,
        to=[to],
        headers={"Message-ID": f"<{key}@{domain}>", "X-Idempotency-Key": key},
    )
    try:
        message.send()
    except (smtplib.SMTPException, OSError) as exc:
        return Delivery(accepted=False, response=f"{type(exc).__name__}: {exc}"[:RESPONSE_CHARS])
    return Delivery(accepted=True, response=f"accepted by {settings.EMAIL_BACKEND}")
