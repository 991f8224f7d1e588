"""Field work on a phone: Filip opens his crew's work order, photographs the repaired pipe
and marks it done; once the officer resolves the case, the supervisor's map shows it as
resolved with the photos from before and after."""

import io
import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from civicline.cases.models import PhotoStage, Status
from civicline.cases.photos import photo_check
from civicline.cases.services import case_add_photo
from civicline.workorders.models import FieldTeam, WorkOrderState
from civicline.workorders.services import workorder_dispatch
from tests.conftest import PASSWORD
from tests.e2e.test_case_flow import log_in
from tests.photos import jpeg_with_gps

pytestmark = pytest.mark.e2e

PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
    "locale": "en-US",
    # Where Filip stands: the browser hands it to the page when the photo goes up.
    "permissions": ["geolocation"],
    "geolocation": {"latitude": 45.2501, "longitude": 19.8402},
}
NO_TILES = re.compile(r"tile\.openstreetmap\.org")


def test_a_field_worker_closes_an_order_on_a_phone_and_the_map_shows_the_proof(
    city, server, browser, register, tmp_path
):
    # given a burst pipe that needs photo proof, photographed by the inspection before
    city.water_pipe.photo_proof = True
    city.water_pipe.save()
    case = register(
        city.water_pipe,
        address="Булевар ослобођења 30",
        latitude=Decimal("45.250000"),
        longitude=Decimal("19.840000"),
    )
    case_add_photo(
        case=case,
        photo=photo_check(io.BytesIO(jpeg_with_gps(color=(30, 60, 200)))),
        stage=PhotoStage.BEFORE,
        actor=city.water_officer,
    )
    crew = FieldTeam.objects.create(name="Water crew", organisation=city.water)
    crew.members.add(city.field_worker)
    order = workorder_dispatch(
        case=case, team=crew, kind="fix", instructions="Замените деоницу цеви.", by=city.supervisor
    )
    after = tmp_path / "IMG_3107.jpg"
    after.write_bytes(jpeg_with_gps(color=(40, 170, 60)))

    # when Filip, on his phone, opens today's orders and the order
    context = browser.new_context(**PHONE)
    phone = context.new_page()
    phone.route(NO_TILES, lambda route: route.abort())
    phone.goto(f"{server}/accounts/login/")
    phone.fill("[name=username]", city.field_worker.username)
    phone.fill("[name=password]", PASSWORD)
    phone.click("button[type=submit]")
    phone.goto(f"{server}/field/")
    expect(phone.locator(".order")).to_contain_text("Булевар ослобођења 30")
    phone.locator(".order a.big", has_text="Open").click()
    expect(phone.locator("h1")).to_contain_text("Burst water pipe")
    # the buttons are big enough for a thumb, and the page fits the screen
    start = phone.locator("button", has_text="Start")
    assert start.bounding_box()["height"] >= 44
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390

    # and starts it, takes the photo, writes a note and marks it done
    start.click()
    expect(phone.locator("text=Work order started.")).to_be_visible()
    camera = phone.locator("#done-form input[type=file]")
    assert camera.get_attribute("capture") == "environment"
    camera.set_input_files(str(after))
    phone.fill("#done-form textarea", "Деоница замењена, притисак враћен.")
    phone.locator("#done-form button", has_text="Mark done").click()

    # then the order is done, with his photo as the "after" proof taken where he stood
    expect(phone.locator("text=Work order done.")).to_be_visible()
    order.refresh_from_db()
    assert order.state == WorkOrderState.DONE
    proof = case.photos.get(stage=PhotoStage.AFTER)
    assert proof.uploaded_by == city.field_worker and proof.latitude == Decimal("45.250100")
    context.close()

    # when the water utility's officer resolves the case (the proof is there now)
    officer = log_in(browser, server, city.water_officer)
    officer.goto(f"{server}/cases/{case.reference}/")
    officer.click("button[value=assigned]")
    officer.click("button[value=in_progress]")
    officer.fill("textarea[name=note]", "Цев је замењена.")
    officer.click("button[value=resolved]")
    expect(officer.locator(".message")).to_contain_text("Resolved")
    case.refresh_from_db()
    assert case.status == Status.RESOLVED

    # then the supervisor's map of cases shows it resolved, with both photos
    supervisor = log_in(browser, server, city.supervisor)
    supervisor.route(NO_TILES, lambda route: route.abort())
    supervisor.goto(f"{server}/dashboard/map/")
    expect(supervisor.locator("#case-map-summary")).to_contain_text("1")
    supervisor.locator(".leaflet-control-layers label", has_text="Cases by status").click()
    supervisor.locator(".leaflet-marker-icon.map-pin").click()
    popup = supervisor.locator(".leaflet-popup-content")
    expect(popup).to_contain_text(case.reference)
    expect(popup).to_contain_text("Resolved")
    expect(popup.locator("img[alt=Before]")).to_have_count(1)
    expect(popup.locator("img[alt=After]")).to_have_count(1)
    for image in popup.locator("img").all():
        expect(image).to_have_js_property("complete", True)
        assert image.evaluate("i => i.naturalWidth") > 0
