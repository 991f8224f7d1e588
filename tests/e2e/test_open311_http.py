"""A reporting app talks to a running server over real HTTP, not Django's test client."""

import json
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET

from civicline.directory.models import Question
from civicline.open311.services import application_create


def test_an_app_posts_a_request_with_answers_and_reads_it_back(city, server):
    _, key = application_create(name="Нови Сад — пријави проблем")
    Question.objects.create(
        category=city.street_light, code="stub", description="Број стуба", datatype="number"
    )
    body = urllib.parse.urlencode(
        {
            "api_key": key,
            "service_code": "rasveta",
            "lat": "45.2551",
            "long": "19.8452",
            "description": "Не ради светиљка код моста",
            "attribute[stub]": "112",
            "phone": "+381641112233",
        }
    ).encode()

    with urllib.request.urlopen(f"{server}/open311/v2/requests.json", data=body) as created:
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
