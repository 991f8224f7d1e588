"""Only supervisors open the map, its feed and its popups."""

import pytest

from tests.dashboard.conftest import LIMAN


@pytest.mark.parametrize("persona", ["operator", "lighting_officer", "field_worker"])
def test_it_refuses_staff_who_are_not_supervisors(city, located, login, persona):
    case = located()
    client = login(getattr(city, persona))

    for url in ("/dashboard/map/", "/dashboard/map/points.json",
                f"/dashboard/map/cases/{case.reference}/"):  # fmt: skip
        assert client.get(url).status_code == 403, url


def test_it_sends_the_signed_out_to_sign_in(client, city):
    response = client.get("/dashboard/map/points.json")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_supervisor_finds_the_map_in_the_navigation(city, login):
    page = login(city.supervisor).get("/supervisor/").content.decode()
    assert 'href="/dashboard/map/"' in page
    assert 'href="/dashboard/map/"' not in login(city.operator).get("/desk/").content.decode()


@pytest.mark.parametrize("persona", ["supervisor", "admin"])
def test_supervisors_see_every_bodys_cases_as_their_list_does(city, located, login, persona):
    # given: cases of two bodies; supervisors are not scoped to a body (cases.access)
    water, light = located(city.water_pipe), located(city.street_light, at=LIMAN)
    client = login(getattr(city, persona))

    # when
    feed = client.get("/dashboard/map/points.json").json()
    listing = client.get("/supervisor/").content.decode()

    # then
    assert {row[2] for row in feed["points"]} == {water.reference, light.reference}
    assert water.reference in listing and light.reference in listing
