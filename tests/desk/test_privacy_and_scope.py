"""From the outside: what each role's pages and API answers contain."""

import pytest

from civicline.cases import services
from civicline.cases.models import Status
from tests.conftest import CITIZEN_PHONE

PHONE_FORMS = [CITIZEN_PHONE, "+381 64 1234567", "641234567", "064 123 4567"]
REPORTER_NAME = "Петар Петровић"


def assert_no_reporter(body: str):
    for form in PHONE_FORMS:
        assert form not in body
    assert REPORTER_NAME not in body


@pytest.mark.parametrize("persona", ["lighting_officer", "field_worker"])
def test_bodies_never_see_who_reported(city, register, login, persona):
    case = register(city.street_light if persona == "lighting_officer" else city.water_pipe)
    client = login(getattr(city, persona))

    page = client.get(f"/cases/{case.reference}/")
    api = client.get(f"/api/v1/cases/{case.reference}")
    listing = client.get("/work/")

    assert page.status_code == 200 and case.reference in page.content.decode()
    assert api.status_code == 200 and api.json()["reporter"] is None
    assert case.reference in listing.content.decode()
    for response in (page, api, listing, client.get("/api/v1/cases")):
        assert_no_reporter(response.content.decode())


def test_the_contact_center_sees_the_reporter(city, register, login):
    case = register()
    client = login(city.operator)
    assert "+381 64 1234567" in client.get(f"/cases/{case.reference}/").content.decode()
    assert client.get(f"/api/v1/cases/{case.reference}").json()["reporter"]["phone"] == (
        CITIZEN_PHONE
    )


def test_an_officer_cannot_open_another_bodys_case(city, register, login):
    water_case = register(city.water_pipe)
    client = login(city.lighting_officer)

    page = client.get(f"/cases/{water_case.reference}/")
    api = client.get(f"/api/v1/cases/{water_case.reference}")
    post = client.post(
        f"/cases/{water_case.reference}/status/", {"status": Status.ASSIGNED, "note": ""}
    )

    assert page.status_code == api.status_code == post.status_code == 404
    for response in (page, api, post):
        assert_no_reporter(response.content.decode())
    water_case.refresh_from_db()
    assert water_case.status == Status.REGISTERED


def test_a_case_that_does_not_exist_is_the_same_404(city, login):
    assert login(city.lighting_officer).get("/cases/2026-999999/").status_code == 404


def test_an_officer_sees_the_cases_of_their_departments(city, register, login):
    sewer_case = register(city.sewer_block)
    lighting_case = register(city.street_light)
    body = login(city.water_officer).get("/work/").content.decode()
    assert sewer_case.reference in body
    assert lighting_case.reference not in body


def test_the_api_list_is_scoped_too(city, register, login):
    water_case, lighting_case = register(city.water_pipe), register(city.street_light)
    items = login(city.lighting_officer).get("/api/v1/cases").json()["items"]
    assert [i["reference"] for i in items] == [lighting_case.reference]
    assert water_case.reference not in str(items)


def test_after_a_transfer_the_old_body_loses_the_case(city, register, login):
    case = register()
    client = login(city.lighting_officer)
    response = client.post(
        f"/cases/{case.reference}/transfer/",
        {"organisation": city.water.pk, "reason": "Није наша надлежност"},
    )
    assert response.status_code == 302
    assert client.get(f"/cases/{case.reference}/").status_code == 404
    assert login(city.water_officer).get(f"/cases/{case.reference}/").status_code == 200


@pytest.mark.parametrize("path", ["/desk/", "/supervisor/", "/work/", "/cases/2026-000001/"])
def test_staff_pages_need_a_login(client, city, path):
    response = client.get(path)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize(
    ("persona", "path"),
    [
        ("lighting_officer", "/desk/"),
        ("lighting_officer", "/supervisor/"),
        ("operator", "/supervisor/"),
        ("field_worker", "/desk/caller/?phone=0641234567"),
    ],
)
def test_roles_stay_on_their_pages(city, login, persona, path):
    assert login(getattr(city, persona)).get(path).status_code == 403


def test_an_officer_cannot_close_or_cancel(city, register, login):
    case = register()
    services.case_change_status(case=case, to=Status.ASSIGNED, actor=city.lighting_officer)
    client = login(city.lighting_officer)
    response = client.post(
        f"/cases/{case.reference}/status/", {"status": Status.CANCELLED, "note": "не"}
    )
    assert response.status_code == 400
    assert "You may not move this case" in response.content.decode()
    case.refresh_from_db()
    assert case.status == Status.ASSIGNED
