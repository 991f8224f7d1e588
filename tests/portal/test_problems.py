"""The public map and list of reported problems: open and recently closed cases, filtered;
never the reporter, the tracking code, an internal note or an information request."""

from datetime import timedelta

import pytest
from django.utils import timezone

from civicline import clock
from civicline.cases.models import Photo, Status
from civicline.cases.services import case_add_note, case_change_status
from civicline.directory.models import CaseKind
from tests.conftest import CITIZEN_PHONE

PRIVATE = ["Петар", "Петровић", CITIZEN_PHONE, CITIZEN_PHONE[4:]]
PIN = {"latitude": "45.245100", "longitude": "19.842000"}


@pytest.fixture
def citizen(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def resolve(case, actor, *, close=False):
    case_change_status(case=case, to=Status.ASSIGNED, actor=actor)
    case_change_status(case=case, to=Status.IN_PROGRESS, actor=actor)
    case = case_change_status(case=case, to=Status.RESOLVED, actor=actor, note="Замењена сијалица.")
    return case_change_status(case=case, to=Status.CLOSED, actor=actor) if close else case


def listed(client, **params) -> str:
    response = client.get("/portal/problems/", params)
    assert response.status_code == 200
    return response.content.decode()


def feed(client, **params) -> list[dict]:
    response = client.get("/portal/problems.geojson", params)
    assert response.status_code == 200
    body = response.json()
    assert body["type"] == "FeatureCollection"
    return body["features"]


def test_the_list_shows_open_and_recently_closed_problems_not_old_ones(city, citizen, register):
    open_case = register(**PIN)
    with clock.frozen_at(timezone.now() - timedelta(days=50)):
        recently_closed = register(**PIN)
        old = resolve(register(**PIN), city.lighting_officer, close=True)
    resolve(recently_closed, city.lighting_officer, close=True)
    cancelled = register(**PIN)
    case_change_status(case=cancelled, to=Status.CANCELLED, actor=city.operator, note="Дупло.")

    page = listed(citizen)
    assert open_case.reference in page and recently_closed.reference in page
    assert old.reference not in page and cancelled.reference not in page
    assert "Received" in page and "Closed" in page and "Street lighting" in page

    assert open_case.reference in listed(citizen, status="open")
    assert recently_closed.reference not in listed(citizen, status="open")
    closed_page = listed(citizen, status="closed")
    assert recently_closed.reference in closed_page and open_case.reference not in closed_page
    # newest first
    assert page.index(open_case.reference) < page.index(recently_closed.reference)


def test_filter_by_category_and_by_area(city, citizen, register):
    light = register(area=city.liman, **PIN)
    water = register(city.water_pipe, area=city.futog, **PIN)

    by_category = listed(citizen, category="vodovod")
    assert water.reference in by_category and light.reference not in by_category
    by_area = listed(citizen, area="liman")
    assert light.reference in by_area and water.reference not in by_area
    assert [f["properties"]["reference"] for f in feed(citizen, area="futog")] == [water.reference]
    assert feed(citizen, category="rasveta", area="futog") == []


@pytest.mark.parametrize(
    "params, message",
    [
        ({"category": "nema"}, "Choose a category from the list."),
        ({"category": "informacije"}, "Choose a category from the list."),
        ({"area": "<script>"}, "Choose an area from the list."),
        ({"status": "maybe"}, "Choose a status from the list."),
    ],
)
def test_a_bad_filter_is_a_clear_400_not_a_500(city, citizen, params, message):
    response = citizen.get("/portal/problems/", params)
    assert response.status_code == 400
    assert message in response.content.decode()
    response = citizen.get("/portal/problems.geojson", params)
    assert response.status_code == 400
    assert message in str(response.json()["errors"])


def test_bad_filters_speak_the_citizens_language(city, client):
    response = client.get("/portal/problems/", {"category": "x"}, HTTP_ACCEPT_LANGUAGE="sr")
    assert response.status_code == 400
    assert "Choose a category from the list." not in response.content.decode()


def test_a_bad_page_number_is_the_first_page(city, citizen, register):
    case = register(**PIN)
    for page in ("abc", "-1", "99999999999"):
        assert case.reference in listed(citizen, page=page)


def test_the_feed_has_pins_and_never_the_reporter_or_the_tracking_code(city, citizen, register):
    pinned = register(**PIN)
    register(address="Без пина 1")  # no coordinates: in the list, not on the map

    [feature] = feed(citizen)
    assert feature["geometry"] == {"type": "Point", "coordinates": [19.842, 45.2451]}
    props = feature["properties"]
    assert props["reference"] == pinned.reference and props["category"] == "Street lighting"
    assert props["status"] == "registered" and props["status_label"] == "Received"
    assert props["url"] == f"/portal/problems/{pinned.reference}/"
    assert props["date"] == timezone.localtime(pinned.created_at).isoformat(timespec="seconds")
    assert citizen.get(props["url"]).status_code == 200

    for body in (
        citizen.get("/portal/problems.geojson").content.decode(),
        listed(citizen),
        citizen.get(props["url"]).content.decode(),
    ):
        assert pinned.tracking_code not in body
        for private in PRIVATE:
            assert private not in body


def test_the_list_shows_the_first_public_photo(city, citizen, register):
    case = register(**PIN)
    at = timezone.now()
    Photo.objects.create(case=case, stage="report", external_url="https://x.test/hidden.jpg",
                         is_public=False, created_at=at)  # fmt: skip
    Photo.objects.create(case=case, stage="report", external_url="https://x.test/shown.jpg",
                         created_at=at)  # fmt: skip
    page = listed(citizen)
    assert "https://x.test/shown.jpg" in page and "hidden.jpg" not in page


def test_the_detail_page_shows_public_notes_never_internal_ones(city, citizen, register):
    case = register(area=city.liman, **PIN)
    case_add_note(
        case=case, actor=city.lighting_officer, note="Екипа излази сутра.", is_public=True
    )
    case_add_note(case=case, actor=city.lighting_officer, note="Интерно: кабл.", is_public=False)

    response = citizen.get(f"/portal/problems/{case.reference}/")

    page = response.content.decode()
    assert response.status_code == 200
    assert "Екипа излази сутра." in page and "Интерно" not in page
    assert "Street lighting" in page and "Лиман" in page and "ЈКП Јавна расвета" in page
    assert case.description in page and "Received" in page
    assert case.tracking_code not in page and "Tracking code" not in page


def test_information_requests_never_appear(city, citizen, register):
    info = register(city.information, kind=CaseKind.INFORMATION, **PIN)
    # an information request in a category that also takes complaints: still private
    question = register(kind=CaseKind.REQUEST, **PIN)
    question.kind = CaseKind.INFORMATION
    question.save(update_fields=["kind"])

    for body in (listed(citizen), citizen.get("/portal/problems.geojson").content.decode()):
        assert info.reference not in body and question.reference not in body
    assert "General information" not in listed(citizen)
    assert citizen.get(f"/portal/problems/{info.reference}/").status_code == 404
    assert citizen.get(f"/portal/problems/{question.reference}/").status_code == 404
    assert citizen.get("/portal/problems/2000-999999/").status_code == 404


def test_the_anonymous_menu_links_to_the_map(city, citizen):
    assert 'href="/portal/problems/"' in citizen.get("/portal/").content.decode()
