"""Photos are checked by what they are, and published without where they were taken."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from civicline.cases.models import EventKind, PhotoStage
from civicline.cases.photos import PUBLISHED_SIDE, photo_check
from civicline.cases.services import case_add_photo
from tests.photos import gps_of, jpeg_with_gps, png


def upload(data: bytes, name="photo.jpg", content_type="image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def test_the_published_copy_has_no_gps_and_the_original_keeps_it():
    checked = photo_check(upload(jpeg_with_gps()))

    assert gps_of(checked.original)  # staff keep what the phone recorded
    assert gps_of(checked.published) == {}
    with Image.open(io.BytesIO(checked.published)) as published:
        assert published.format == "JPEG"
        assert max(published.size) == PUBLISHED_SIDE
        assert not published.getexif()


def test_a_transparent_png_is_published_as_a_jpeg():
    checked = photo_check(upload(png(), "leaf.png", "image/png"))
    assert checked.extension == "png" and (checked.width, checked.height) == (64, 48)


@pytest.mark.parametrize(
    "data",
    [
        b"%PDF-1.4 not a photo at all",
        b"<svg xmlns='http://www.w3.org/2000/svg'></svg>",
        jpeg_with_gps()[:400],  # cut off in transit
        b"",
    ],
)
def test_what_is_not_a_photo_is_refused_whatever_its_name(data):
    with pytest.raises(ValidationError) as refused:
        photo_check(upload(data, "looks-like.jpg"))
    assert refused.value.messages == ["This file is not a photo: send a JPEG, PNG or WebP image."]


def test_a_gif_is_refused_too():
    out = io.BytesIO()
    Image.new("RGB", (8, 8)).save(out, "GIF")
    with pytest.raises(ValidationError):
        photo_check(upload(out.getvalue(), "x.gif", "image/gif"))


def test_a_file_over_the_limit_is_refused(settings):
    settings.PHOTO_MAX_BYTES = 2**20
    big = io.BytesIO()
    Image.effect_noise((1400, 1400), 100).convert("RGB").save(big, "PNG")
    assert len(big.getvalue()) > 2**20
    with pytest.raises(ValidationError) as refused:
        photo_check(upload(big.getvalue(), "big.png", "image/png"))
    assert refused.value.messages == ["The photo is larger than 1 MB."]


def test_a_small_file_that_would_decode_into_a_huge_image_is_refused(settings):
    settings.PHOTO_MAX_PIXELS = 1000 * 1000
    out = io.BytesIO()
    Image.new("L", (2000, 2000)).save(out, "PNG")  # a few KB of zeros
    with pytest.raises(ValidationError) as refused:
        photo_check(upload(out.getvalue(), "bomb.png", "image/png"))
    assert refused.value.messages == ["The photo has too many pixels; send a smaller one."]


def test_a_photo_added_later_is_on_the_timeline_and_served_without_gps(city, register, client):
    case = register()
    photo = case_add_photo(
        case=case, photo=photo_check(upload(jpeg_with_gps())), stage=PhotoStage.AFTER,
        actor=city.lighting_officer,
    )  # fmt: skip

    assert case.events.last().kind == EventKind.PHOTO
    served = client.get(photo.public_path)
    assert served.status_code == 200 and served["Content-Type"] == "image/jpeg"
    assert gps_of(served.content) == {}


def test_a_private_photo_is_not_served_to_the_public(city, register, client):
    photo = case_add_photo(
        case=register(), photo=photo_check(upload(png())), stage=PhotoStage.BEFORE,
        actor=city.lighting_officer, is_public=False,
    )  # fmt: skip
    assert client.get(photo.public_path).status_code == 404
    assert client.get("/photos/00000000-0000-0000-0000-000000000000.jpg").status_code == 404
