"""Bad input: a clear message in the user's language, and nothing stored."""

import pytest

from civicline.cases.models import Case, CaseEvent, Reporter, Status
from civicline.directory.models import CaseKind
from tests.desk.test_register_case import form


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"phone": "12345"}, "is not a valid phone number"),
        ({"phone": "call me maybe"}, "is not a phone number"),
        ({"category": "999999"}, "Choose a category from the list."),
        ({"category": "rasveta"}, "Choose a category from the list."),
        ({"kind": CaseKind.SUGGESTION}, "is not allowed for the category"),
        ({"kind": "praise"}, "Select a valid choice"),
        ({"description": "Ж" * 20_000}, "Ensure this value has at most 4000 characters"),
        ({"description": "   "}, "This field is required"),
        ({"latitude": "45.25"}, "Give both latitude and longitude"),
        ({"latitude": "123", "longitude": "19.8"}, "less than or equal to 90"),
        ({"language": "klingon"}, "Select a valid choice"),
    ],
)
def test_a_bad_registration_is_refused_with_a_message(city, login, overrides, message):
    response = login(city.operator).post("/desk/", form(city, **overrides))

    assert response.status_code == 400
    assert message in response.content.decode()
    assert Case.objects.count() == 0 and Reporter.objects.count() == 0


def test_errors_are_in_the_users_language(city, login):
    client = login(city.operator)
    response = client.post(
        "/desk/", form(city, kind=CaseKind.SUGGESTION), HTTP_ACCEPT_LANGUAGE="sr"
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "није дозвољен за категорију" in body
    assert Case.objects.count() == 0


@pytest.mark.parametrize("forged", ["approved", "<script>", "", "resolved'; --"])
def test_a_forged_status_changes_nothing(city, register, login, forged):
    case = register()
    response = login(city.supervisor).post(
        f"/cases/{case.reference}/status/", {"status": forged, "note": "x"}
    )
    assert response.status_code == 400
    case.refresh_from_db()
    assert case.status == Status.REGISTERED
    assert CaseEvent.objects.filter(case=case).count() == 1


def test_an_illegal_move_through_the_page_is_explained(city, register, login):
    case = register()
    response = login(city.supervisor).post(
        f"/cases/{case.reference}/status/", {"status": Status.CLOSED, "note": ""}
    )
    assert response.status_code == 400
    assert "cannot become" in response.content.decode()


def test_a_bad_filter_is_a_message_not_a_crash(city, login):
    response = login(city.supervisor).get(
        "/supervisor/", {"date_from": "yesterday", "organisation": "x", "page": "-3"}
    )
    assert response.status_code == 400
    assert "Enter a valid date" in response.content.decode()


def test_a_transfer_without_a_reason_is_refused(city, register, login):
    case = register()
    response = login(city.operator).post(
        f"/cases/{case.reference}/transfer/", {"organisation": city.water.pk, "reason": ""}
    )
    assert response.status_code == 400
    case.refresh_from_db()
    assert case.organisation == city.lighting
