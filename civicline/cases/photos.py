"""Photos sent with a case: checked by their content, not their name, and published as a
re-encoded copy without metadata (EXIF GPS would show where the reporter lives).

Pure image work, no database: `photo_check` turns an upload into a `CheckedPhoto` that
the services store.
"""

import io
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

# What phones and cameras send; the rest (SVG, TIFF, GIF...) is refused.
FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
PUBLISHED_SIDE = 1600
PUBLISHED_QUALITY = 82


@dataclass(frozen=True)
class CheckedPhoto:
    original: bytes  # as uploaded, metadata and all: staff only
    extension: str
    published: bytes  # JPEG, at most PUBLISHED_SIDE px, no metadata
    width: int
    height: int


def _too_big() -> ValidationError:
    return ValidationError(
        _("The photo is larger than %(mb)d MB.") % {"mb": settings.PHOTO_MAX_BYTES // 2**20},
        code="too_big",
    )


def _not_an_image() -> ValidationError:
    return ValidationError(
        _("This file is not a photo: send a JPEG, PNG or WebP image."), code="not_an_image"
    )


def photo_check(upload) -> CheckedPhoto:
    """Read an uploaded file (a Django UploadedFile or any binary file object) and return
    it with its published copy; a ValidationError in the user's language otherwise."""
    size = getattr(upload, "size", None)
    if size is not None and size > settings.PHOTO_MAX_BYTES:
        raise _too_big()
    original = upload.read(settings.PHOTO_MAX_BYTES + 1)
    if len(original) > settings.PHOTO_MAX_BYTES:
        raise _too_big()
    try:
        with Image.open(io.BytesIO(original)) as probe:
            kind = probe.format
            width, height = probe.size
            if kind not in FORMATS:
                raise _not_an_image()
            if width * height > settings.PHOTO_MAX_PIXELS:
                raise ValidationError(
                    _("The photo has too many pixels; send a smaller one."), code="too_many_pixels"
                )
            probe.verify()
        with Image.open(io.BytesIO(original)) as image:
            published = _published(image)
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise _not_an_image() from None
    return CheckedPhoto(original, FORMATS[kind], *published)


def _published(image: Image.Image) -> tuple[bytes, int, int]:
    """Upright, bounded in size, flattened to RGB and saved as a fresh JPEG: nothing of the
    original's metadata is carried over."""
    image = ImageOps.exif_transpose(image)
    if image.mode in ("RGBA", "LA", "P"):
        image = image.convert("RGBA")
        flat = Image.new("RGB", image.size, "white")
        flat.paste(image, mask=image.getchannel("A"))
        image = flat
    else:
        image = image.convert("RGB")
    image.thumbnail((PUBLISHED_SIDE, PUBLISHED_SIDE))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=PUBLISHED_QUALITY, optimize=True)
    return out.getvalue(), image.width, image.height


def is_web_address(url: str) -> bool:
    """A photo a reporting app keeps itself is linked, never fetched: only its form counts."""
    try:
        parts = urlsplit(url)
    except ValueError:  # e.g. "http://[": not an address at all
        return False
    return len(url) <= 500 and parts.scheme in ("http", "https") and bool(parts.netloc)
