"""The map page and a pin's popup: the case at a glance, its photos, never its reporter."""

from civicline.cases.models import Case
from tests.dashboard.conftest import LIMAN
from tests.desk.test_privacy_and_scope import assert_no_reporter


def test_the_page_loads_the_filtered_feed_and_counts_what_it_cannot_place(
    city, located, register, login
):
    located(city.water_pipe)
    register()  # no point
    sonja = login(city.supervisor)

    response = sonja.get("/dashboard/map/", {"category": "", "status": "open"})

    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="case-map"' in page and "/dashboard/map/points.json?" in page
    assert "status=open" in page and "date_from=" in page  # the page's own filters
    assert "1 case on the map." in page and "1 more has no place on the map." in page
    assert "vendor/leaflet-heat/leaflet-heat.js" in page
    assert "Street lighting" in page  # the category picker


def test_the_popup_shows_a_resolved_case_with_both_photos(city, login, resolved_with_photos):
    case, before, after = resolved_with_photos
    sonja = login(city.supervisor)

    response = sonja.get(f"/dashboard/map/cases/{case.reference}/")

    fragment = response.content.decode()
    assert response.status_code == 200
    assert f'href="/cases/{case.reference}/"' in fragment
    assert "Resolved" in fragment and "Street lighting" in fragment
    assert f"/cases/{case.reference}/photos/{before.key}.jpg" in fragment
    assert f"/cases/{case.reference}/photos/{after.key}.jpg" in fragment
    assert "Before" in fragment and "After" in fragment
    assert_no_reporter(fragment)
    assert "<html" not in fragment  # a fragment, not a page


def test_the_popup_of_a_case_that_is_not_there_is_not_found(city, login):
    assert login(city.supervisor).get("/dashboard/map/cases/NS-0000-1/").status_code == 404


def test_the_feed_holds_no_reporter_either(city, located, login):
    located(at=LIMAN)
    feed = login(city.supervisor).get("/dashboard/map/points.json").content.decode()
    assert_no_reporter(feed)
    assert Case.objects.get().reporter_id  # the case has one; the map leaves it out
