"""A citizen reports on the portal and follows the report; the public sees no private data."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from civicline.cases.models import Case, Channel, EventKind, Follower
from civicline.cases.services import case_add_note, case_change_status
from civicline.directory.models import CaseKind
from tests.photos import gps_of, jpeg_with_gps


@pytest.fixture
def citizen(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def report(client, **fields):
    data = {"category": fields.pop("category"), "description": "Не ради светиљка код школе",
            "latitude": "45.245100", "longitude": "19.842000", **fields}  # fmt: skip
    return client.post("/portal/report/", data)


def test_a_citizen_reports_with_a_pin_and_a_photo_and_gets_a_tracking_link(city, citizen):
    photo = SimpleUploadedFile("IMG_1.jpg", jpeg_with_gps(), content_type="image/jpeg")
    response = report(
        citizen, category=city.street_light.pk, photos=photo, name="Мира", phone="0641112233",
        consent_to_contact="on",
    )  # fmt: skip

    case = Case.objects.get()
    assert case.channel == Channel.WEB and case.kind == CaseKind.COMPLAINT
    assert case.reporter.phone == "+381641112233" and case.reporter.consent_to_contact
    assert response.status_code == 302
    assert response["Location"] == f"/portal/track/{case.reference}/{case.tracking_code}/?new=1"
    page = citizen.get(response["Location"]).content.decode()
    assert case.reference in page and case.tracking_code in page
    assert "1112233" not in page and "Мира" not in page
    [published] = case.photos.all()
    assert gps_of(citizen.get(published.public_path).content) == {}


def test_keep_me_anonymous_keeps_no_contact(city, citizen):
    report(citizen, category=city.street_light.pk, anonymous="on", name="Мира",
           phone="0641112233", consent_to_contact="on")  # fmt: skip
    assert Case.objects.get().reporter is None


def test_a_report_needs_a_category_a_description_and_a_place(city, citizen):
    response = citizen.post("/portal/report/", {"description": ""})
    assert response.status_code == 400
    text = response.content.decode()
    assert "This field is required." in text
    assert "Put a pin on the map or write the address." in text
    assert not Case.objects.exists()


def test_errors_speak_the_citizens_language(city, client):
    response = client.post("/portal/report/", {}, HTTP_ACCEPT_LANGUAGE="sr")
    assert response.status_code == 400
    assert "Ово поље се мора попунити." in response.content.decode()


def test_a_file_that_is_not_a_photo_is_refused_and_nothing_is_stored(city, citizen):
    fake = SimpleUploadedFile("photo.jpg", b"GIF89a not really", content_type="image/jpeg")
    response = report(citizen, category=city.street_light.pk, photos=fake)
    assert response.status_code == 400
    assert "This file is not a photo" in response.content.decode()
    assert not Case.objects.exists()


def test_consent_without_a_contact_is_explained(city, citizen):
    response = report(citizen, category=city.street_light.pk, consent_to_contact="on")
    assert response.status_code == 400
    assert "Give a phone or an e-mail so we can tell you." in response.content.decode()


def test_robots_filling_the_hidden_field_are_turned_away(city, citizen):
    response = report(citizen, category=city.street_light.pk, website="http://spam.example")
    assert response.status_code == 400 and not Case.objects.exists()


def test_information_only_categories_cannot_be_reported_here(city, citizen):
    response = report(citizen, category=city.information.pk)
    assert response.status_code == 400 and not Case.objects.exists()


def test_the_tracking_page_needs_the_right_code(city, citizen, register):
    case = register()
    assert citizen.get(f"/portal/track/{case.reference}/{case.tracking_code}/").status_code == 200
    assert citizen.get(f"/portal/track/{case.reference}/ABCDEFGHJK/").status_code == 404
    found = citizen.post(
        "/portal/track/", {"reference": case.reference, "code": case.tracking_code.lower()}
    )
    assert found.status_code == 302
    wrong = citizen.post("/portal/track/", {"reference": case.reference, "code": "ABCDEFGHJK"})
    assert wrong.status_code == 400
    assert "No report has this reference and tracking code." in wrong.content.decode()


def test_tracking_shows_public_notes_and_the_deadline_never_internal_ones(city, citizen, register):
    case = register()
    case_add_note(case=case, actor=city.lighting_officer, note="Екипа излази сутра", is_public=True)
    case_add_note(case=case, actor=city.lighting_officer, note="Стуб 112 труо", is_public=False)
    page = citizen.get(f"/portal/track/{case.reference}/{case.tracking_code}/").content.decode()
    assert "Екипа излази сутра" in page and "Стуб 112 труо" not in page
    assert "To be resolved by" in page
    assert "Петар" not in page and "1234567" not in page  # the register fixture's caller

    case_change_status(case=case, to="assigned", actor=city.lighting_officer)
    case_change_status(case=case, to="in_progress", actor=city.lighting_officer)
    case_change_status(case=case, to="resolved", actor=city.lighting_officer,
                       note="Сијалица замењена")  # fmt: skip
    page = citizen.get(f"/portal/track/{case.reference}/{case.tracking_code}/").content.decode()
    assert "Сијалица замењена" in page and "Resolved" in page
    assert "To be resolved by" not in page


def test_is_this_it_shows_open_cases_of_the_category_nearby(city, citizen, register):
    near = register(latitude="45.245200", longitude="19.842100")  # ~14 m away
    far = register(latitude="45.255100", longitude="19.842000")  # ~1.1 km away
    other = register(city.water_pipe, latitude="45.245100", longitude="19.842000")

    html = citizen.get(
        "/portal/report/nearby/",
        {"category": city.street_light.pk, "latitude": "45.245100", "longitude": "19.842000"},
    ).content.decode()

    assert f"/portal/report/{near.reference}/join/" in html
    assert far.reference not in html and other.reference not in html
    assert "14 m away" in html


def test_joining_a_case_counts_the_citizen_and_tells_them_what_happens(city, citizen, register):
    case = register()
    response = citizen.post(
        f"/portal/report/{case.reference}/join/",
        {"name": "Мира", "email": "mira@example.org", "consent_to_contact": "on"},
    )
    assert response.status_code == 302
    [follower] = Follower.objects.filter(case=case)
    assert follower.reporter.email == "mira@example.org"
    assert case.events.filter(kind=EventKind.FOLLOWED).count() == 1

    case_change_status(case=case, to="assigned", actor=city.lighting_officer)
    case_change_status(case=case, to="in_progress", actor=city.lighting_officer)
    told = {n.to for n in case.notifications.filter(notice="work_started")}
    assert "mira@example.org" in told

    again = citizen.post(
        f"/portal/report/{case.reference}/join/",
        {"name": "Мира", "email": "mira@example.org", "consent_to_contact": "on"},
    )
    assert again.status_code == 302 and Follower.objects.filter(case=case).count() == 1


def test_staff_see_how_many_joined_and_only_the_contact_center_sees_who(
    city, citizen, register, login
):
    case = register()
    citizen.post(f"/portal/report/{case.reference}/join/", {"name": "Мира Мирић"})
    citizen.post(f"/portal/report/{case.reference}/join/", {"anonymous": "on"})

    operator_page = login(city.operator).get(f"/cases/{case.reference}/").content.decode()
    assert "2 more citizens" in operator_page and "Мира Мирић" in operator_page
    officer_page = login(city.lighting_officer).get(f"/cases/{case.reference}/").content.decode()
    assert "2 more citizens" in officer_page and "Мира Мирић" not in officer_page


def test_a_body_larger_than_any_report_is_refused_before_it_is_read(city, citizen, settings):
    settings.PHOTO_MAX_BYTES, settings.PHOTOS_PER_CASE = 2**20, 1  # at most 3 MB in all
    big = SimpleUploadedFile("huge.jpg", b"\xff" * (4 * 2**20), content_type="image/jpeg")
    response = report(citizen, category=city.street_light.pk, photos=big)
    assert response.status_code == 413
    assert "The upload is too large: at most 3 MB in all." in response.content.decode()
    assert not Case.objects.exists()
