"""Filip's pages on his phone: his crew's orders, one order, its buttons."""

from django.core.files.uploadedfile import SimpleUploadedFile

from civicline.cases.models import PhotoStage
from civicline.workorders.models import WorkOrderState
from tests.conftest import CITIZEN_PHONE
from tests.photos import jpeg_with_gps, png


def test_an_anonymous_visitor_is_sent_to_login(client, water_order):
    order = water_order()
    for url in ("/field/", f"/field/{order.pk}/"):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith("/accounts/login/")


def test_the_pages_never_show_who_reported(city, water_order, login):
    order = water_order()  # registered from CITIZEN_PHONE by "Петар Петровић"
    filip = login(city.field_worker)

    for url in ("/field/", f"/field/{order.pk}/"):
        page = filip.get(url).content.decode()
        assert order.case.address in page
        assert "Петар" not in page and "Петровић" not in page
        assert CITIZEN_PHONE not in page and "123 45 67" not in page and "1234567" not in page


def test_the_order_page_offers_the_camera_and_a_map_link(city, water_order, login):
    from decimal import Decimal

    order = water_order(latitude=Decimal("45.250000"), longitude=Decimal("19.840000"))
    page = login(city.field_worker).get(f"/field/{order.pk}/").content.decode()
    assert 'capture="environment"' in page and 'accept="image/*"' in page and "multiple" in page
    assert "geo:45.250000,19.840000" in page
    assert "Close the valve." in page


def test_filip_finishes_with_a_photo_and_his_position(city, water_order, login):
    order = water_order()
    filip = login(city.field_worker)

    assert filip.post(f"/field/{order.pk}/start/").status_code == 302
    response = filip.post(
        f"/field/{order.pk}/done/",
        {
            "photos": SimpleUploadedFile("after.jpg", jpeg_with_gps()),
            "note": "Fixed.",
            "latitude": "45.25123456789",
            "longitude": "19.8412345",
        },
    )

    assert response.status_code == 302
    order.refresh_from_db()
    assert order.state == WorkOrderState.DONE
    [photo] = order.case.photos.all()
    assert photo.stage == PhotoStage.AFTER and photo.taken_at is not None
    assert str(photo.latitude) == "45.251235" and str(photo.longitude) == "19.841235"


def test_a_file_that_is_not_a_photo_is_refused_and_nothing_is_stored(city, water_order, login):
    order = water_order()
    filip = login(city.field_worker)

    response = filip.post(
        f"/field/{order.pk}/done/",
        {"photos": SimpleUploadedFile("notes.jpg", b"just text"), "latitude": "nonsense"},
    )

    assert response.status_code == 400
    assert "This file is not a photo" in response.content.decode()
    order.refresh_from_db()
    assert order.state == WorkOrderState.SENT and not order.case.photos.exists()


def test_a_good_photo_beside_a_bad_one_stores_nothing(city, water_order, login):
    order = water_order()
    response = login(city.field_worker).post(
        f"/field/{order.pk}/done/",
        {"photos": [SimpleUploadedFile("a.png", png()), SimpleUploadedFile("b.jpg", b"text")]},
    )
    assert response.status_code == 400
    assert not order.case.photos.exists()


def test_cannot_do_without_a_reason_says_so(city, water_order, login):
    order = water_order()
    filip = login(city.field_worker)

    response = filip.post(f"/field/{order.pk}/cannot/", {"reason": ""})
    assert response.status_code == 400
    assert "Write why it cannot be done." in response.content.decode()

    assert filip.post(f"/field/{order.pk}/cannot/", {"reason": "Locked."}).status_code == 302
    order.refresh_from_db()
    assert order.state == WorkOrderState.CANNOT_DO


def test_other_teams_orders_are_not_found(city, teams, register, login):
    from civicline.workorders.services import workorder_dispatch

    case = register(city.street_light)
    order = workorder_dispatch(case=case, team=teams.lighting, kind="fix", instructions="", by=None)
    filip = login(city.field_worker)

    assert filip.get(f"/field/{order.pk}/").status_code == 404
    assert filip.post(f"/field/{order.pk}/done/", {"note": "x"}).status_code == 404
    assert case.address not in filip.get("/field/").content.decode()


def test_officers_and_operators_have_no_field_page(city, login):
    assert login(city.operator).get("/field/").status_code == 403


def test_odd_positions_from_the_browser_are_left_out():
    from civicline.workorders.forms import DoneForm

    for odd in ("NaN", "sNaN", "Infinity", "1e999999", "181", "-200", "", "45,2"):
        form = DoneForm({"latitude": odd, "longitude": odd})
        assert form.is_valid(), form.errors
        assert form.cleaned_data["latitude"] is None and form.cleaned_data["longitude"] is None
