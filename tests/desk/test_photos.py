"""Staff add photos to a case; officers see them, originals stay with staff who see the case."""

from django.core.files.uploadedfile import SimpleUploadedFile

from civicline.cases.models import Case, PhotoStage
from tests.photos import gps_of, jpeg_with_gps, png


def test_an_officer_adds_an_after_photo_and_the_case_page_shows_it(city, register, login):
    case = register()
    officer = login(city.lighting_officer)

    response = officer.post(
        f"/cases/{case.reference}/photos/",
        {
            "stage": "after",
            "is_public": "on",
            "photos": SimpleUploadedFile("a.jpg", jpeg_with_gps()),
        },
    )

    assert response.status_code == 302
    [photo] = case.photos.all()
    assert photo.stage == PhotoStage.AFTER and photo.is_public
    page = officer.get(f"/cases/{case.reference}/").content.decode()
    assert f"/cases/{case.reference}/photos/{photo.key}.jpg" in page
    original = officer.get(f"/cases/{case.reference}/photos/{photo.key}/original/")
    assert gps_of(original.content)  # the original is the phone's file, for staff


def test_a_file_that_is_not_a_photo_gets_a_clear_error(city, register, login):
    case = register()
    officer = login(city.lighting_officer)
    response = officer.post(
        f"/cases/{case.reference}/photos/",
        {"stage": "after", "photos": SimpleUploadedFile("notes.jpg", b"just text")},
    )
    assert response.status_code == 400
    assert "This file is not a photo" in response.content.decode()
    assert not case.photos.exists()


def test_another_bodys_officer_cannot_see_or_add_photos(city, register, login):
    case = register()  # street lighting: not the water utility's
    lena = login(city.lighting_officer)
    lena.post(
        f"/cases/{case.reference}/photos/",
        {"stage": "before", "photos": SimpleUploadedFile("p.png", png())},
    )
    photo = case.photos.get()

    vlada = login(city.water_officer)
    assert vlada.get(f"/cases/{case.reference}/photos/{photo.key}/original/").status_code == 404
    refused = vlada.post(
        f"/cases/{case.reference}/photos/",
        {"stage": "before", "photos": SimpleUploadedFile("p.png", png())},
    )
    assert refused.status_code == 404 and case.photos.count() == 1


def test_the_operator_registers_a_case_with_the_citizens_photo(city, login):
    olga = login(city.operator)
    photos = [SimpleUploadedFile("1.jpg", jpeg_with_gps()), SimpleUploadedFile("2.png", png())]
    response = olga.post(
        "/desk/",
        {"kind": "complaint", "channel": "email", "category": city.street_light.pk,
         "description": "Светиљка виси са стуба", "language": "sr", "photos": photos},
    )  # fmt: skip
    assert response.status_code == 302
    assert Case.objects.get().photos.count() == 2
