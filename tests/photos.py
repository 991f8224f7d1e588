"""Photos as phones make them: a JPEG that says where it was taken."""

import io

from PIL import Image

# Novi Sad, Liman: where the reporter's phone was when it took the photo.
GPS = {1: "N", 2: (45.0, 14.0, 40.0), 3: "E", 4: (19.0, 50.0, 12.0)}


def jpeg_with_gps(size=(2400, 1800), color=(180, 40, 40)) -> bytes:
    image = Image.new("RGB", size, color)
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x8825] = GPS  # GPSInfo
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def png(size=(64, 48)) -> bytes:
    out = io.BytesIO()
    Image.new("RGBA", size, (0, 120, 0, 128)).save(out, "PNG")
    return out.getvalue()


def gps_of(data: bytes) -> dict:
    with Image.open(io.BytesIO(data)) as image:
        return dict(image.getexif().get_ifd(0x8825))
