"""A category can require proof: its cases are resolved only with an "after" photo."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from civicline.cases.models import PhotoStage, Status
from civicline.cases.photos import photo_check
from civicline.cases.services import case_add_photo, case_change_status
from tests.photos import png


@pytest.fixture
def started(city, register):
    city.street_light.photo_proof = True
    city.street_light.save()
    case = register()
    for status in ("assigned", "in_progress"):
        case = case_change_status(case=case, to=status, actor=city.lighting_officer)
    return case


def photo(city, case, stage):
    upload = SimpleUploadedFile("p.png", png(), content_type="image/png")
    return case_add_photo(
        case=case, photo=photo_check(upload), stage=stage, actor=city.lighting_officer
    )


def test_resolving_without_an_after_photo_is_refused(city, started):
    photo(city, started, PhotoStage.BEFORE)  # a "before" photo is not proof
    with pytest.raises(ValidationError) as refused:
        case_change_status(case=started, to="resolved", actor=city.lighting_officer, note="ok")
    assert refused.value.messages == [
        "Add a photo of the problem fixed first: this category needs proof."
    ]
    started.refresh_from_db()
    assert started.status == Status.IN_PROGRESS


def test_with_an_after_photo_it_resolves(city, started):
    photo(city, started, PhotoStage.AFTER)
    case = case_change_status(case=started, to="resolved", actor=city.lighting_officer, note="ok")
    assert case.status == Status.RESOLVED


def test_the_officer_reads_why_on_the_case_page(city, started, login):
    response = login(city.lighting_officer).post(
        f"/cases/{started.reference}/status/", {"status": "resolved", "note": "Замењено."}
    )
    assert response.status_code == 400
    assert "Add a photo of the problem fixed first" in response.content.decode()
