"""The supervisors' delivery log: what went to whom and how, without whole phone numbers."""

import pytest

from civicline.notifications import tasks
from tests.conftest import CITIZEN_PHONE
from tests.notifications.conftest import CITIZEN_EMAIL


def test_supervisors_see_what_was_sent_with_contacts_masked(city, report, login, gateway):
    case = report()
    gateway.fail_next(1)
    tasks.send_due()

    page = login(city.supervisor).get("/notifications/")

    body = page.content.decode()
    assert page.status_code == 200 and case.reference in body
    assert "+381 64 ***4567" in body and "p***@example.com" in body
    for secret in (CITIZEN_PHONE, "+381 64 1234567", "641234567", CITIZEN_EMAIL):
        assert secret not in body
    assert "Sent" in body and "Waiting" in body and "503" in body


def test_the_log_filters_by_status_and_channel(city, report, login, gateway):
    gateway.fail_next(1)
    report()
    tasks.send_due()  # the SMS fails once, the e-mail goes
    client = login(city.supervisor)

    failed_sms = client.get("/notifications/?status=pending&channel=sms").content.decode()
    sent_email = client.get("/notifications/?status=sent&channel=email").content.decode()
    none = client.get("/notifications/?status=failed").content.decode()

    assert "+381 64 ***4567" in failed_sms and "p***@" not in failed_sms
    assert "p***@" in sent_email and "***4567" not in sent_email
    assert "No messages." in none


def test_a_bad_filter_is_a_message(city, login):
    assert login(city.supervisor).get("/notifications/?status=lost").status_code == 400


@pytest.mark.parametrize("persona", ["operator", "lighting_officer", "field_worker"])
def test_only_supervisors_open_the_log(city, report, login, persona):
    report()
    response = login(getattr(city, persona)).get("/notifications/")
    assert response.status_code == 403
    assert CITIZEN_PHONE not in response.content.decode()


def test_the_log_needs_a_login(client, db):
    assert client.get("/notifications/").status_code == 302


def test_the_log_costs_the_same_queries_for_any_length(
    city, report, login, django_assert_max_num_queries
):
    for _ in range(30):
        report()
    client = login(city.supervisor)
    with django_assert_max_num_queries(8):
        assert client.get("/notifications/").status_code == 200
