"""The system engineer edits texts and SMS options in the admin; settings fail loudly."""

import runpy

import pytest
from django.core.exceptions import ImproperlyConfigured

from civicline import settings as project_settings
from civicline.notifications.models import Notification, NotificationTemplate, SmsPreference

SETTINGS = project_settings.__file__


def test_templates_are_edited_and_checked_in_the_admin(city, login):
    client = login(city.admin)
    template = NotificationTemplate.objects.get(notice="registered", channel="sms", language="en")
    url = f"/admin/notifications/notificationtemplate/{template.pk}/change/"
    fields = {"notice": "registered", "channel": "sms", "language": "en", "subject": ""}

    broken = client.post(url, {**fields, "body": "Case {% if %}"})
    fixed = client.post(url, {**fields, "body": "Case {{ reference }} is in."})

    assert broken.status_code == 200 and "This template has an error" in broken.content.decode()
    assert fixed.status_code == 302
    template.refresh_from_db()
    assert template.body == "Case {{ reference }} is in."


def test_the_outbox_is_read_only_in_the_admin(city, login, report):
    report()
    client = login(city.admin)
    listing = client.get("/admin/notifications/notification/")
    pk = Notification.objects.first().pk
    assert listing.status_code == 200 and "+381 64 ***4567" in listing.content.decode()
    assert client.get("/admin/notifications/notification/add/").status_code == 403
    assert client.post(f"/admin/notifications/notification/{pk}/delete/").status_code == 403


def test_the_latin_sms_option_is_set_per_body_in_the_admin(city, login):
    response = login(city.admin).post(
        "/admin/notifications/smspreference/add/",
        {"organisation": city.lighting.pk, "latin_ascii": "on"},
    )
    assert response.status_code == 302
    assert SmsPreference.objects.get().latin_ascii


@pytest.mark.parametrize(
    ("environment", "named"),
    [
        ({"CIVICLINE_SMS_GATEWAY": "pigeon"}, "CIVICLINE_SMS_GATEWAY"),
        ({"CIVICLINE_SMS_GATEWAY": "http"}, "CIVICLINE_SMS_URL"),
        ({"CIVICLINE_SMS_METHOD": "DELETE"}, "CIVICLINE_SMS_METHOD"),
        ({"CIVICLINE_SMS_TIMEOUT": "soon"}, "CIVICLINE_SMS_TIMEOUT"),
        ({"CIVICLINE_NOTIFY_LEASE_SECONDS": "5"}, "CIVICLINE_NOTIFY_LEASE_SECONDS"),
    ],
)
def test_a_bad_notification_setting_stops_the_start(monkeypatch, environment, named):
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(ImproperlyConfigured, match=named):
        runpy.run_path(SETTINGS)


def test_smtp_is_used_when_a_mail_host_is_set(monkeypatch):
    monkeypatch.setenv("CIVICLINE_EMAIL_HOST", "mail.grad.rs")
    monkeypatch.setenv("CIVICLINE_EMAIL_PASSWORD", "s3cret")
    values = runpy.run_path(SETTINGS)
    assert values["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert (values["EMAIL_HOST"], values["EMAIL_PORT"], values["EMAIL_USE_TLS"]) == (
        "mail.grad.rs",
        587,
        True,
    )
