"""A reporting app talks to a running server over real HTTP, not Django's test client."""

import json
import secrets
import urllib.request
import xml.etree.ElementTree as ET

from civicline.directory.models import Question
from civicline.open311.services import application_create
from tests.photos import gps_of, jpeg_with_gps


def multipart(fields: dict[str, str], files: dict[str, tuple[str, bytes]]) -> tuple[bytes, str]:
    """A multipart/form-data body as a phone app sends it."""
    boundary = secrets.token_hex(12)
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in fields.items()
    ]
    for name, (filename, data) in files.items():
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{filename}"\r\nContent-Type: image/jpeg\r\n\r\n'
        )
        parts.append(head.encode() + data + b"\r\n")
    body = b"".join(parts) + f"--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


def test_an_app_posts_a_request_with_answers_and_a_photo_and_reads_it_back(city, server):
    _, key = application_create(name="Нови Сад — пријави проблем")
    Question.objects.create(
        category=city.street_light, code="stub", description="Број стуба", datatype="number"
    )
    body, content_type = multipart(
        {
            "api_key": key,
            "service_code": "rasveta",
            "lat": "45.2551",
            "long": "19.8452",
            "description": "Не ради светиљка код моста",
            "attribute[stub]": "112",
            "phone": "+381641112233",
        },
        {"media": ("IMG_0042.jpg", jpeg_with_gps())},
    )
    posting = urllib.request.Request(
        f"{server}/open311/v2/requests.json", data=body, headers={"Content-Type": content_type}
    )
    with urllib.request.urlopen(posting) as created:
        assert created.status == 201
        [row] = json.load(created)
    reference = row["service_request_id"]

    with urllib.request.urlopen(f"{server}/open311/v2/requests/{reference}.json") as as_json:
        assert as_json.headers["Content-Type"] == "application/json; charset=utf-8"
        [public] = json.load(as_json)
    with urllib.request.urlopen(f"{server}/open311/v2/requests/{reference}.xml") as as_xml:
        assert as_xml.headers["Content-Type"] == "text/xml; charset=utf-8"
        text = as_xml.read().decode()

    assert public["service_code"] == "rasveta" and public["status"] == "open"
    assert ET.fromstring(text).findtext("request/description") == "Не ради светиљка код моста"
    assert "1112233" not in json.dumps(public) and "1112233" not in text
    assert ET.fromstring(text).findtext("request/media_url") == public["media_url"]
    with urllib.request.urlopen(public["media_url"]) as photo:
        assert photo.headers["Content-Type"] == "image/jpeg"
        assert gps_of(photo.read()) == {}  # where the reporter stood is not published
