"""Sending the outbox: claim a message, hand it to its gateway, record the answer.

A worker claims one message at a time with a conditional UPDATE from "waiting" to
"sending" that also sets a lease (on PostgreSQL the candidate row is locked with SKIP
LOCKED, so workers take different rows; SQLite serialises writers). A worker killed
mid-send leaves the row "sending"; when the lease runs out another worker sends it again
with the same idempotency key, which the gateway uses to deliver it once. Failures wait
longer after each attempt and give up after the last.
"""

import logging
import time
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Q, QuerySet

from civicline import clock
from civicline.notifications.gateways import sms_gateway
from civicline.notifications.gateways.base import RESPONSE_CHARS, Delivery
from civicline.notifications.gateways.email import send_email
from civicline.notifications.models import Channel, DeliveryStatus, Notification

log = logging.getLogger(__name__)

# The wait after the 1st, 2nd, ... failed attempt; after the last one the message fails.
BACKOFF = (
    timedelta(seconds=30),
    timedelta(minutes=2),
    timedelta(minutes=10),
    timedelta(hours=1),
    timedelta(hours=3),
    timedelta(hours=6),
    timedelta(hours=12),
)
MAX_ATTEMPTS = len(BACKOFF) + 1
# One sweep stops taking new messages after this long, so the scheduler's other jobs run.
SWEEP_SECONDS = 20


def _due(now: datetime) -> QuerySet[Notification]:
    return Notification.objects.filter(
        Q(status=DeliveryStatus.PENDING, next_attempt_at__lte=now)
        | Q(status=DeliveryStatus.SENDING, lease_until__lt=now)
    )


def _lease(notification: Notification, now: datetime) -> bool:
    """Lease the message to this worker if it is still due; False when another worker got
    there first. The conditional UPDATE is the claim, whatever the database locks."""
    lease_until = now + timedelta(seconds=settings.NOTIFICATIONS_LEASE_SECONDS)
    taken = (
        _due(now)
        .filter(pk=notification.pk)
        .update(status=DeliveryStatus.SENDING, attempts=F("attempts") + 1, lease_until=lease_until)
    )
    if taken:
        notification.status, notification.lease_until = DeliveryStatus.SENDING, lease_until
        notification.attempts += 1
    return bool(taken)


@transaction.atomic
def _claim(due: QuerySet[Notification], now: datetime) -> Notification | None:
    """The first of `due`, leased to this worker, or None."""
    skip_locked = connection.features.has_select_for_update_skip_locked
    notification = (
        due.select_for_update(skip_locked=skip_locked).order_by("next_attempt_at", "id").first()
    )
    return notification if notification and _lease(notification, now) else None


def _record(notification: Notification, delivery: Delivery) -> None:
    now = clock.now()
    answer = delivery.response[:RESPONSE_CHARS]
    rows = Notification.objects.filter(pk=notification.pk)
    if delivery.accepted:
        # Accepted wins over anything another worker recorded meanwhile.
        rows.exclude(status=DeliveryStatus.SENT).update(
            status=DeliveryStatus.SENT, sent_at=now, lease_until=None, gateway_response=answer
        )
        return
    rows = rows.filter(status=DeliveryStatus.SENDING)
    if notification.attempts >= MAX_ATTEMPTS:
        rows.update(status=DeliveryStatus.FAILED, lease_until=None, gateway_response=answer)
    else:
        rows.update(
            status=DeliveryStatus.PENDING,
            next_attempt_at=now + BACKOFF[notification.attempts - 1],
            lease_until=None,
            gateway_response=answer,
        )


def _deliver(notification: Notification) -> bool:
    key = notification.idempotency_key
    try:
        if notification.channel == Channel.SMS:
            delivery = sms_gateway().send(to=notification.to, text=notification.body, key=key)
        else:
            delivery = send_email(
                to=notification.to, subject=notification.subject, body=notification.body, key=key
            )
    except Exception as exc:  # a broken gateway fails this attempt, not the whole outbox
        log.exception("notification %s: the gateway raised", notification.pk)
        delivery = Delivery(accepted=False, response=f"{type(exc).__name__}: {exc}")
    _record(notification, delivery)
    return delivery.accepted


def send_one(*, notification_id: int) -> bool:
    """Send this message now if it is due and nobody else is sending it."""
    now = clock.now()
    notification = _claim(_due(now).filter(pk=notification_id), now)
    return notification is not None and _deliver(notification)


def send_due(*, seconds: float = SWEEP_SECONDS) -> int:
    """Send every message that is due, one claim at a time, for up to `seconds`; return
    how many the gateways accepted."""
    stop_at = time.monotonic() + seconds
    accepted = 0
    while time.monotonic() < stop_at:
        now = clock.now()
        notification = _claim(_due(now), now)
        if notification is None:
            break
        accepted += _deliver(notification)
    return accepted
