"""A case sent to another body's service (the lighting company) as an electronic work
order: Lena sees it in her workstation, prints it, and closes it with her own photo."""

import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfReader

from civicline.cases.models import EventKind, PhotoStage
from civicline.cases.photos import photo_check
from civicline.cases.services import case_add_photo
from civicline.workorders.models import WorkOrder, WorkOrderState
from civicline.workorders.services import workorder_dispatch
from tests.conftest import CITIZEN_PHONE
from tests.photos import jpeg_with_gps

LIMAN = {
    "type": "Polygon",
    "coordinates": [
        [[19.83, 45.24], [19.86, 45.24], [19.86, 45.26], [19.83, 45.26], [19.83, 45.24]]
    ],
}


@pytest.fixture
def lighting_order(city, register):
    """Vlada at the water utility asks the lighting company to fix the lamp its crew
    found broken over the burst pipe."""

    def _order(**fields):
        case = register(city.water_pipe, **fields)
        case.reporter.email = "petar@example.com"
        case.reporter.save()
        return workorder_dispatch(
            case=case, service=city.lighting, kind="fix", by=city.water_officer,
            instructions="Замените светиљку изнад шахта.",
        )  # fmt: skip

    return _order


def _pdf_text(response) -> str:
    reader = PdfReader(io.BytesIO(response.content))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_an_order_goes_to_another_bodys_service(city, lighting_order):
    order = lighting_order()

    assert order.organisation == city.lighting and order.team is None
    assert order.state == WorkOrderState.SENT
    note = order.case.events.filter(kind=EventKind.NOTE).last()
    assert "ЈКП Јавна расвета" in note.note and not note.is_public


@pytest.mark.parametrize("body", ["ministry", "water", "sewer"])
def test_state_bodies_and_the_cases_own_bodies_take_no_service_orders(city, register, body):
    case = register(city.water_pipe)
    with pytest.raises(ValidationError, match="does not take work orders"):
        workorder_dispatch(
            case=case, service=getattr(city, body), kind="fix", instructions="", by=None
        )
    assert not WorkOrder.objects.exists()


def test_the_officer_picks_the_service_on_the_case_page(city, register, login):
    case = register(city.water_pipe)
    vlada = login(city.water_officer)
    page = vlada.get(f"/cases/{case.reference}/").content.decode()
    assert "Other services" in page and f"service:{city.lighting.pk}" in page
    assert f"service:{city.ministry.pk}" not in page

    response = vlada.post(
        f"/cases/{case.reference}/dispatch/",
        {"to": f"service:{city.lighting.pk}", "kind": "inspect", "instructions": ""},
    )

    assert response.status_code == 302
    [order] = case.work_orders.all()
    assert order.organisation == city.lighting and order.created_by == city.water_officer


@pytest.mark.parametrize("to", ["service:999999", "team:abc", "", "service:"])
def test_a_bad_recipient_is_refused_and_nothing_is_sent(city, register, login, to):
    case = register(city.water_pipe)
    response = login(city.water_officer).post(
        f"/cases/{case.reference}/dispatch/", {"to": to, "kind": "fix"}
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Select a valid choice" in body or "Choose a team or a service." in body
    assert not WorkOrder.objects.exists()


def test_the_service_sees_it_in_its_workstation(city, lighting_order, login):
    order = lighting_order()

    lena = login(city.lighting_officer).get("/work/").content.decode()
    assert "Work orders for us" in lena and f"/field/{order.pk}/order.pdf" in lena
    assert order.case.reference in lena and city.water.name in lena
    assert "Петар" not in lena and CITIZEN_PHONE not in lena

    vlada = login(city.water_officer).get("/work/").content.decode()
    assert "Work orders for us" not in vlada


def test_the_service_closes_it_with_its_own_photo(city, lighting_order, login):
    order = lighting_order()
    lena = login(city.lighting_officer)
    page = lena.get(f"/field/{order.pk}/").content.decode()
    assert "Mark done" in page and "Петар" not in page and CITIZEN_PHONE not in page

    assert lena.post(f"/field/{order.pk}/start/").status_code == 302
    response = lena.post(
        f"/field/{order.pk}/done/",
        {"photos": SimpleUploadedFile("after.jpg", jpeg_with_gps()), "note": "Замењена."},
    )

    assert response.status_code == 302
    order.refresh_from_db()
    assert order.state == WorkOrderState.DONE
    [photo] = order.case.photos.all()
    assert photo.stage == PhotoStage.AFTER and photo.uploaded_by == city.lighting_officer
    assert "Замењена." in order.case.events.filter(kind=EventKind.NOTE).last().note


def test_the_sender_reads_the_order_but_only_the_service_works_it(city, lighting_order, login):
    order = lighting_order()
    vlada = login(city.water_officer)

    page = vlada.get(f"/field/{order.pk}/").content.decode()
    assert "Замените светиљку" in page and "Mark done" not in page
    response = vlada.post(
        f"/field/{order.pk}/done/", {"photos": SimpleUploadedFile("a.jpg", jpeg_with_gps())}
    )
    assert (
        response.status_code == 400 and "Only the members of the team" in response.content.decode()
    )
    order.refresh_from_db()
    assert order.state == WorkOrderState.SENT and not order.case.photos.exists()


def test_other_services_do_not_see_it(city, lighting_order, login, teams):
    order = lighting_order()
    water_crew_order = workorder_dispatch(
        case=order.case, team=teams.water, kind="inspect", instructions="", by=None
    )
    lena = login(city.lighting_officer)
    assert lena.get(f"/field/{water_crew_order.pk}/").status_code == 404
    assert lena.get(f"/field/{water_crew_order.pk}/order.pdf").status_code == 404
    assert login(city.field_worker).get(f"/field/{order.pk}/order.pdf").status_code == 404
    assert login(city.operator).get(f"/field/{order.pk}/order.pdf").status_code == 403


def test_the_printed_order_has_the_facts_a_map_and_photos_but_not_the_reporter(
    city, lighting_order, login
):
    city.liman.boundary = LIMAN
    city.liman.save()
    order = lighting_order(
        address="Булевар ослобођења 100",
        latitude=Decimal("45.250000"),
        longitude=Decimal("19.845000"),
    )
    case = order.case
    case_add_photo(
        case=case,
        photo=photo_check(io.BytesIO(jpeg_with_gps())),
        stage=PhotoStage.BEFORE,
        actor=None,
    )
    hidden = case_add_photo(
        case=case,
        photo=photo_check(io.BytesIO(jpeg_with_gps())),
        stage=PhotoStage.BEFORE,
        actor=None,
    )
    hidden.is_public = False
    hidden.save()

    response = login(city.lighting_officer).get(f"/field/{order.pk}/order.pdf")

    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = _pdf_text(response)
    for fact in (
        f"Work order {order.pk}",
        case.reference,
        "Burst water pipe",
        "Булевар ослобођења 100",
        "Лиман",  # the area is placed from the point and drawn on the sketch map
        "Замените светиљку изнад шахта.",
        case.description,
        "ЈКП Јавна расвета",
        "ЈКП Водовод",
        "45.250000, 19.845000",
        "500 m",
    ):
        assert fact in text, fact
    for private in ("Петар", "Петровић", "petar@example.com", CITIZEN_PHONE, "64 123", "1234567"):
        assert private not in text, private
    images = [
        image for page in PdfReader(io.BytesIO(response.content)).pages for image in page.images
    ]
    assert len(images) == 1  # the public photo; the internal one stays off paper


def test_the_printed_order_speaks_the_readers_language(city, lighting_order, login):
    order = lighting_order()
    lena = login(city.lighting_officer)
    text = _pdf_text(lena.get(f"/field/{order.pk}/order.pdf", HTTP_ACCEPT_LANGUAGE="sr"))
    assert f"Радни налог {order.pk}" in text
