"""Cases on the supervisor's map: Sonja looks at where the problems of the last weeks are."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from civicline import clock
from civicline.cases import services as case_services
from civicline.cases.photos import photo_check
from tests.photos import png

LIMAN = (Decimal("45.240100"), Decimal("19.841200"))
CENTRE = (Decimal("45.255100"), Decimal("19.845200"))


@pytest.fixture
def located(city, register):
    """Register a case at a point, `days_ago` days back."""

    def _located(category=None, *, at=LIMAN, days_ago=1, **fields):
        with clock.frozen_at(timezone.now() - timedelta(days=days_ago)):
            return register(category, latitude=at[0], longitude=at[1], **fields)

    return _located


@pytest.fixture
def resolved_with_photos(city, located):
    """A street light Lena's company fixed, with a photo before and after the work."""

    def _photo(case, stage):
        upload = SimpleUploadedFile(f"{stage}.png", png(), content_type="image/png")
        return case_services.case_add_photo(
            case=case, stage=stage, actor=city.lighting_officer, photo=photo_check(upload)
        )

    case = located(city.street_light)
    before = _photo(case, "before")
    for status in ("assigned", "in_progress"):
        case = case_services.case_change_status(case=case, to=status, actor=city.lighting_officer)
    after = _photo(case, "after")
    case = case_services.case_change_status(
        case=case, to="resolved", actor=city.lighting_officer, note="Замењена сијалица."
    )
    return case, before, after
