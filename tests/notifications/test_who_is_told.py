"""Only the reporter who consented hears about their case, and only about what matters."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from civicline import clock
from civicline.cases import services as case_services
from civicline.cases.models import Status
from civicline.notifications.models import Channel, Notice, Notification, Recipient
from civicline.notifications.services import notify_reporter, notify_staff
from civicline.routing.services import case_transfer


def notices(case) -> list[tuple[str, str]]:
    return sorted(Notification.objects.filter(case=case).values_list("notice", "channel"))


def move(case, *steps, actor):
    for status, note in steps:
        case = case_services.case_change_status(case=case, to=status, actor=actor, note=note)
    return case


def test_it_tells_a_consenting_reporter_by_sms_and_email(report):
    case = report()
    assert notices(case) == [(Notice.REGISTERED, Channel.EMAIL), (Notice.REGISTERED, Channel.SMS)]


def test_it_uses_only_the_contacts_the_reporter_gave(report):
    case = report(email="")
    assert notices(case) == [(Notice.REGISTERED, Channel.SMS)]


def test_nobody_is_told_about_an_anonymous_case(city):
    case = case_services.case_intake(
        reporter=case_services.ReporterDetails(),
        actor=city.operator,
        kind="complaint",
        channel="phone",
        category=city.street_light,
        description="Не ради светиљка.",
    )
    assert case.reporter is None and notices(case) == []


def test_a_reporter_who_did_not_consent_is_not_told(report):
    assert notices(report(consent=False)) == []


def test_citizens_hear_of_work_resolution_cancellation_and_reopening(city, report):
    officer = city.lighting_officer
    case = report(email="")
    case = move(case, (Status.ASSIGNED, ""), (Status.IN_PROGRESS, ""), actor=officer)
    case = move(case, (Status.RESOLVED, "Замењена сијалица."), actor=officer)
    case = move(case, (Status.IN_PROGRESS, "Грађанин каже да и даље не ради."), actor=city.operator)
    other = move(report(email=""), (Status.CANCELLED, "Дупла пријава."), actor=city.operator)

    told = list(Notification.objects.filter(case=case).order_by("id").values_list("notice", "body"))
    assert [notice for notice, _ in told] == [
        Notice.REGISTERED,
        Notice.WORK_STARTED,
        Notice.RESOLVED,
        Notice.REOPENED,
    ]
    assert "Замењена сијалица." in told[2][1]
    assert "и даље не ради" not in told[3][1]  # the reason to reopen is internal
    cancelled = Notification.objects.get(case=other, notice=Notice.CANCELLED)
    assert "Разлог: Дупла пријава." in cancelled.body


def test_internal_changes_tell_nobody(city, report):
    case = report()
    case = move(case, (Status.ASSIGNED, ""), actor=city.lighting_officer)
    case_services.case_add_note(case=case, actor=city.operator, note="Звао поново.", is_public=True)
    case_transfer(case=case, to=city.water, actor=city.operator, reason="Није расвета.")
    assert {notice for notice, _ in notices(case)} == {Notice.REGISTERED}


def test_delays_and_callbacks_are_told_with_their_public_words(city, report):
    case = report(email="")
    case_services.case_tell_delayed(case=case, note="Нови рок: петак.")
    case_services.case_record_callback(case=case, actor=city.operator, outcome="Екипа стиже.")

    told = dict(Notification.objects.filter(case=case).values_list("notice", "body"))
    assert "Нови рок: петак." in told[Notice.DELAYED]
    assert "Екипа стиже." in told[Notice.CALLBACK]


def test_one_event_is_told_once(report):
    case = report()
    event = case.events.get()
    assert notify_reporter(event=event) == []
    assert Notification.objects.filter(event=event).count() == 2


def test_old_events_are_history_not_news(report):
    with clock.frozen_at(timezone.now() - timedelta(days=3)):
        case = report()
    assert notices(case) == []


def test_a_change_rolled_back_tells_nobody(report):
    with pytest.raises(RuntimeError), transaction.atomic():
        report()
        raise RuntimeError("the registration fails after its event")
    assert not Notification.objects.exists()


def test_staff_are_written_to_when_they_have_an_address(city, report):
    case = report(consent=False)
    city.supervisor.email = "sonja@grad.rs"
    city.supervisor.save()

    sent = notify_staff(user=city.supervisor, case=case, subject="Рок\nпрошао", body="Касни.")
    skipped = notify_staff(user=city.operator, case=case, subject="Рок", body="Касни.")

    assert skipped is None
    assert (sent.recipient, sent.channel, sent.to, sent.subject) == (
        Recipient.STAFF,
        Channel.EMAIL,
        "sonja@grad.rs",
        "Рок прошао",
    )
