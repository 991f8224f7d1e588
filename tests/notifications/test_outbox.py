"""The outbox: a message is claimed by one worker, retried with growing waits, and taken
over when the worker that held it died."""

import logging
from datetime import timedelta

from django.utils import timezone

from civicline import clock
from civicline.notifications import outbox, tasks
from civicline.notifications.models import DeliveryStatus, Notification


def test_a_message_left_sending_by_a_dead_worker_is_resent_with_the_same_key(report, gateway):
    report(email="")
    start = timezone.now()
    # a worker leased it, handed it to the gateway, and was killed before recording it
    Notification.objects.update(
        status=DeliveryStatus.SENDING, attempts=1, lease_until=start + timedelta(minutes=5)
    )
    claimed = Notification.objects.get()
    gateway.answer(claimed.idempotency_key, {"text": claimed.body})

    assert tasks.send_due() == 0  # the lease still holds it
    with clock.frozen_at(start + timedelta(minutes=6)):
        assert tasks.send_due() == 1

    claimed.refresh_from_db()
    assert (claimed.status, claimed.attempts) == (DeliveryStatus.SENT, 2)
    assert len(gateway.requests) == 2 and len(gateway.delivered) == 1
    assert "duplicate" in claimed.gateway_response


def test_a_message_is_claimed_once_by_the_task_or_the_sweep(report, gateway):
    report(email="")
    notification = Notification.objects.get()

    assert tasks.send_due() == 1
    assert tasks.send_notifications.call([notification.pk]) == 0
    assert len(gateway.requests) == 1


def test_waits_grow_until_the_message_is_given_up(report, gateway):
    gateway.fail_next(100)
    report(email="")
    moment = timezone.now()
    for wait in outbox.BACKOFF + (timedelta(0),):
        with clock.frozen_at(moment):
            tasks.send_due()
        notification = Notification.objects.get()
        assert notification.next_attempt_at - moment == wait or notification.status == "failed"
        moment += wait + timedelta(seconds=1)

    assert (notification.status, notification.attempts) == (DeliveryStatus.FAILED, 8)
    assert len(gateway.requests) == outbox.MAX_ATTEMPTS
    assert notification.gateway_response.startswith("503 ")
    with clock.frozen_at(moment + timedelta(days=30)):
        assert tasks.send_due() == 0


def test_a_gateway_that_raises_fails_the_attempt_not_the_outbox(report, monkeypatch):
    report(email="")

    class Broken:
        def send(self, **kwargs):
            raise ValueError("bad configuration")

    monkeypatch.setattr(outbox, "sms_gateway", Broken)
    assert tasks.send_due() == 0
    notification = Notification.objects.get()
    assert notification.status == DeliveryStatus.PENDING
    assert notification.gateway_response == "ValueError: bad configuration"


def test_the_demo_gateways_log_sms_masked_and_print_emails(report, settings, caplog, capsys):
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    report()
    with caplog.at_level(logging.INFO, logger="civicline.sms"):
        assert tasks.send_due() == 2
    assert "+381 64 ***4567" in caplog.text and "+381641234567" not in caplog.text
    assert "Градски контакт центар" in capsys.readouterr().out
    assert set(Notification.objects.values_list("status", flat=True)) == {DeliveryStatus.SENT}
