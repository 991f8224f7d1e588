"""The team starts, finishes or gives up a work order; the case's timeline says so."""

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from civicline.cases.forms import PhotosField
from civicline.cases.models import EventKind, PhotoStage
from civicline.directory.models import Membership, Role
from civicline.workorders.models import WorkOrderState
from civicline.workorders.services import (
    workorder_cannot_do,
    workorder_done,
    workorder_start,
)
from tests.photos import jpeg_with_gps


def _photo():
    from django.core.files.uploadedfile import SimpleUploadedFile

    return PhotosField().clean([SimpleUploadedFile("after.jpg", jpeg_with_gps())])


def test_a_member_starts_and_finishes_with_an_after_photo(city, water_order):
    order = water_order()

    workorder_start(order=order, by=city.field_worker)
    order = workorder_done(
        order=order, by=city.field_worker, note="Valve replaced.", photos=_photo()
    )

    assert order.state == WorkOrderState.DONE and order.done_at and order.note == "Valve replaced."
    [photo] = order.case.photos.all()
    assert photo.stage == PhotoStage.AFTER and photo.uploaded_by == city.field_worker
    kinds = list(order.case.events.values_list("kind", flat=True))
    assert EventKind.PHOTO in kinds
    assert "Valve replaced." in order.case.events.filter(kind=EventKind.NOTE).last().note


def test_an_inspection_stores_its_photos_as_before(city, water_order):
    order = workorder_done(order=water_order("inspect"), by=city.field_worker, photos=_photo())
    assert order.case.photos.get().stage == PhotoStage.BEFORE


def test_someone_outside_the_team_cannot_complete_it(city, water_order):
    order = water_order()
    stranger = get_user_model().objects.create_user(username="marko", password="x")
    Membership.objects.create(user=stranger, organisation=city.water, role=Role.FIELD_WORKER)

    for user in (stranger, city.water_officer):
        with pytest.raises(ValidationError, match="Only the members of the team"):
            workorder_done(order=order, by=user, photos=_photo())
    order.refresh_from_db()
    assert order.state == WorkOrderState.SENT and not order.case.photos.exists()


def test_cannot_do_needs_a_reason(city, water_order):
    order = water_order()

    with pytest.raises(ValidationError, match="Write why it cannot be done"):
        workorder_cannot_do(order=order, by=city.field_worker, reason="   ")

    order = workorder_cannot_do(order=order, by=city.field_worker, reason="The gate is locked.")
    assert order.state == WorkOrderState.CANNOT_DO and order.reason == "The gate is locked."
    assert "The gate is locked." in order.case.events.filter(kind=EventKind.NOTE).last().note


def test_a_finished_order_stays_finished(city, water_order):
    order = workorder_cannot_do(order=water_order(), by=city.field_worker, reason="Locked.")
    with pytest.raises(ValidationError, match="already"):
        workorder_done(order=order, by=city.field_worker)
    with pytest.raises(ValidationError, match="already"):
        workorder_start(order=order, by=city.field_worker)
