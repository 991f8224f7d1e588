"""Acceptance: real servers on loopback stand in for the SMS gateway and the mail server."""

from datetime import timedelta

from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from civicline import clock
from civicline.notifications import tasks
from civicline.notifications.models import Channel, DeliveryStatus, Notification
from tests.conftest import CITIZEN_PHONE
from tests.notifications.conftest import CITIZEN_EMAIL


def test_a_registered_case_sends_one_sms_and_one_email_in_the_reporters_language(
    report, gateway, smtp, django_capture_on_commit_callbacks
):
    # given Petar, who reads Bulgarian, reports a broken street light
    with django_capture_on_commit_callbacks(execute=True):
        case = report(language="bg")

    # when the task queued after the commit runs, and the worker's sweep after it
    [queued] = DBTaskResult.objects.all()
    assert queued.task_path == "civicline.notifications.tasks.send_notifications"
    assert tasks.send_notifications.call(*queued.args_kwargs["args"]) == 2
    assert tasks.send_due() == 0

    # then the gateway got exactly one SMS and the mail server exactly one e-mail
    assert len(gateway.requests) == 1 and len(smtp.messages) == 1
    sms = gateway.requests[0]
    assert sms["to"] == CITIZEN_PHONE
    assert sms["text"] == f"Сигнал {case.reference} е регистриран и изпратен до ЈКП Јавна расвета."
    message = smtp.messages[0]
    assert message["To"] == CITIZEN_EMAIL
    # Django folds a non-ASCII subject onto the next line; readers drop the fold's space.
    assert message["Subject"].strip() == f"Сигнал {case.reference} е регистриран"
    assert f"регистриран с номер {case.reference}" in message.get_content()
    by_channel = {n.channel: n for n in Notification.objects.all()}
    assert sms["key"] == by_channel[Channel.SMS].idempotency_key
    assert message["X-Idempotency-Key"] == by_channel[Channel.EMAIL].idempotency_key
    assert {n.status for n in by_channel.values()} == {DeliveryStatus.SENT}
    assert {n.language for n in by_channel.values()} == {"bg"}


def test_a_gateway_that_fails_twice_then_succeeds_delivers_once(report, gateway):
    gateway.fail_next(2)
    report(email="")
    start = timezone.now()

    assert tasks.send_due() == 0  # 503
    assert tasks.send_due() == 0  # waiting out the backoff: not even tried
    with clock.frozen_at(start + timedelta(seconds=31)):
        assert tasks.send_due() == 0  # 503 again
    with clock.frozen_at(start + timedelta(minutes=3)):
        assert tasks.send_due() == 1
    with clock.frozen_at(start + timedelta(days=2)):
        assert tasks.send_due() == 0

    notification = Notification.objects.get()
    assert len(gateway.requests) == 3 and len(gateway.delivered) == 1
    assert {r["key"] for r in gateway.requests} == {notification.idempotency_key}
    assert (notification.status, notification.attempts) == (DeliveryStatus.SENT, 3)
    assert notification.gateway_response.startswith("200 ")
