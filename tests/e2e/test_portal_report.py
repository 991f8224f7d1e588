"""A citizen reports a problem on the portal with a pin and a photo, and the tracking page
shows what the officer told them once the officer resolves it."""

import re

import pytest
from playwright.sync_api import expect

from civicline.cases.models import Case
from tests.e2e.test_case_flow import log_in
from tests.photos import jpeg_with_gps

pytestmark = pytest.mark.e2e


def test_a_citizen_reports_with_a_pin_and_a_photo_and_follows_it_to_the_end(
    city, server, browser, tmp_path
):
    photo = tmp_path / "IMG_2041.jpg"
    photo.write_bytes(jpeg_with_gps())
    citizen = browser.new_context(locale="en-US").new_page()
    citizen.route(re.compile(r"tile\.openstreetmap\.org"), lambda route: route.abort())

    # given a citizen on the report page
    citizen.goto(f"{server}/portal/report/")
    citizen.select_option("#id_category", str(city.street_light.pk))
    citizen.fill("[name=description]", "Светиљка трепери целу ноћ испред зграде.")

    # when they tap the map, the pin sets the place
    citizen.locator("#report-map").click(position={"x": 200, "y": 120})
    expect(citizen.locator("#pin-status")).to_contain_text("Pin at")
    assert citizen.input_value("#id_latitude") and citizen.input_value("#id_longitude")

    # and they add a photo and an e-mail, and send the report
    citizen.set_input_files("#id_photos", str(photo))
    citizen.fill("[name=email]", "mira@example.org")
    citizen.check("[name=consent_to_contact]")
    citizen.click("button.primary")

    # then they get the reference and a tracking link
    expect(citizen.locator(".receipt")).to_be_visible()
    reference = citizen.locator(".receipt .reference").inner_text()
    case = Case.objects.get(reference=reference)
    assert case.latitude is not None and case.photos.count() == 1
    link = citizen.locator(".track-link").inner_text()
    assert link.endswith(f"/portal/track/{reference}/{case.tracking_code}/")
    expect(citizen.locator(".photos img")).to_have_count(1)

    # when the lighting officer resolves it with a note for the citizen
    officer = log_in(browser, server, city.lighting_officer)
    officer.goto(f"{server}/cases/{reference}/")
    officer.click("button[value=assigned]")
    officer.click("button[value=in_progress]")
    officer.fill("textarea[name=note]", "Замењена пригушница, светиљка ради.")
    officer.click("button[value=resolved]")
    expect(officer.locator(".message")).to_contain_text("Resolved")

    # then the citizen's tracking link shows it, and nothing internal or personal
    citizen.goto(link)
    expect(citizen.locator(".status")).to_have_text("Resolved")
    expect(citizen.locator(".public-note")).to_contain_text("Замењена пригушница, светиљка ради.")
    assert "mira@example.org" not in citizen.content()
