"""GeoReport v2 from the outside: both formats, the errors the spec names, privacy."""

import json
import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.utils import timezone

from civicline.cases.models import Case, Channel, Reporter, Status
from civicline.cases.services import case_change_status
from civicline.open311.services import application_create

PRIVATE = ["Петар", "Петровић", "+381641234567", "641234567", "mira@example.org", "dev-77AA",
           "acct-4242"]  # fmt: skip


@pytest.fixture
def key(city):
    return application_create(name="Параћин — комунални проблем")[1]


def parse(response):
    text = response.content.decode()
    if response["Content-Type"].startswith("text/xml"):
        assert text.startswith('<?xml version="1.0" encoding="utf-8"?>')
        return ET.fromstring(text)
    assert response["Content-Type"] == "application/json; charset=utf-8"
    return json.loads(text)


def post(client, key, **fields):
    data = {"service_code": "rasveta", "lat": "45.2551", "long": "19.8452",
            "description": "Не ради светиљка", "first_name": "Петар", "last_name": "Петровић",
            "phone": "0641234567", "email": "mira@example.org", "device_id": "dev-77AA",
            "account_id": "acct-4242", **fields}  # fmt: skip
    if key is not None:
        data["api_key"] = key
    return client.post("/open311/v2/requests.json", data)


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_discovery_and_services_in_both_formats(city, client, fmt):
    discovery = parse(client.get(f"/open311/v2/discovery.{fmt}"))
    services = parse(client.get(f"/open311/v2/services.{fmt}"))
    definition = parse(client.get(f"/open311/v2/services/rasveta.{fmt}"))
    if fmt == "json":
        assert discovery["endpoints"][0]["formats"] == ["text/xml", "application/json"]
        codes = {s["service_code"] for s in services}
        assert definition == {"service_code": "rasveta", "attributes": []}
    else:
        assert discovery.tag == "discovery" and discovery.find("endpoints/endpoint") is not None
        codes = {s.findtext("service_code") for s in services.findall("service")}
        assert definition.findtext("service_code") == "rasveta"
    # information-only categories are not something to report
    assert codes == {"rasveta", "vodovod", "kanalizacija"}


def test_service_names_follow_the_language_asked_for(city, client):
    services = client.get("/open311/v2/services.json", HTTP_ACCEPT_LANGUAGE="en").json()
    assert {s["service_name"] for s in services} >= {"Street lighting", "Burst water pipe"}


def test_an_app_reports_a_problem_and_anyone_reads_it_back(city, client, key):
    created = post(client, key)
    assert created.status_code == 201
    [row] = created.json()
    case = Case.objects.get(reference=row["service_request_id"])
    assert (case.channel, case.organisation) == (Channel.MOBILE_APP, city.lighting)
    assert case.reporter.phone == "+381641234567" and case.reporter.consent_to_contact
    submission = case.open311_submission
    assert (submission.device_id, submission.account_id) == ("dev-77AA", "acct-4242")

    as_json = client.get(f"/open311/v2/requests/{case.reference}.json")
    as_xml = client.get(f"/open311/v2/requests/{case.reference}.xml")
    [public] = parse(as_json)
    assert public["status"] == "open" and public["agency_responsible"] == city.lighting.name
    assert public["lat"] == 45.2551 and public["requested_datetime"].endswith("+01:00")
    assert parse(as_xml).findtext("request/service_request_id") == case.reference
    extended = client.get(f"/open311/v2/requests/{case.reference}.json?extensions=true")
    for response in (as_json, as_xml, extended, client.get("/open311/v2/requests.json")):
        for private in PRIVATE:
            assert private not in response.content.decode()


def test_the_latest_public_note_is_the_status_note(city, client, key, register):
    case = register()
    for step in (Status.ASSIGNED, Status.IN_PROGRESS):
        case = case_change_status(case=case, to=step, actor=city.lighting_officer)
    case_change_status(case=case, to=Status.RESOLVED, actor=city.lighting_officer,
                       note="Замењена сијалица.")  # fmt: skip
    [row] = client.get(f"/open311/v2/requests/{case.reference}.json").json()
    assert (row["status"], row["status_notes"]) == ("closed", "Замењена сијалица.")


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_errors_are_open311s(city, client, key, fmt):
    no_key = client.post(f"/open311/v2/requests.{fmt}", {"service_code": "rasveta", "lat": "1",
                                                          "long": "2"})  # fmt: skip
    bad_key = client.post(f"/open311/v2/requests.{fmt}?api_key=nope", {"service_code": "x"})
    unknown = client.get(f"/open311/v2/requests/2026-999999.{fmt}")
    jurisdiction = client.get(f"/open311/v2/services.{fmt}?jurisdiction_id=elsewhere")
    assert [r.status_code for r in (no_key, bad_key, unknown, jurisdiction)] == [403, 403, 404, 404]
    body = parse(no_key)
    if fmt == "json":
        assert body[0]["code"] == 403 and body[0]["description"]
    else:
        assert body.tag == "errors" and body.findtext("error/code") == "403"
    assert client.get("/open311/v2/services.html").status_code == 404


def test_several_problems_are_reported_together_and_nothing_is_stored(city, client, key):
    response = post(client, key, service_code="nema", lat="", long="",
                    description="ж" * 4001)  # fmt: skip
    assert response.status_code == 400
    assert len(response.json()) == 3
    assert Case.objects.count() == 0 and Reporter.objects.count() == 0


def test_a_bad_phone_is_a_400_not_a_500(city, client, key):
    response = post(client, key, phone="12")
    assert response.status_code == 400 and "phone" in response.json()[0]["description"]
    assert Case.objects.count() == 0


def test_a_revoked_key_is_refused(city, client, key):
    from civicline.open311.models import Application

    Application.objects.update(revoked_at=timezone.now())
    assert post(client, key).status_code == 403


def test_the_list_filters_pages_and_windows(city, client, register):
    from civicline import clock

    with clock.frozen_at(timezone.now() - timedelta(days=200)):
        old = register()
    water, light = register(city.water_pipe), register(city.street_light)
    case_change_status(case=light, to=Status.CANCELLED, actor=city.operator, note="x")

    def refs(**query):
        return [
            r["service_request_id"] for r in client.get("/open311/v2/requests.json", query).json()
        ]

    assert old.reference not in refs()  # outside the default 90 days
    assert refs(service_request_id=old.reference) == [old.reference]
    assert refs(status="open") == [water.reference]
    assert refs(service_code="vodovod,kanalizacija") == [water.reference]
    assert refs(page_size=1) == [light.reference] and refs(page_size=1, page=2) == [water.reference]
    since = (timezone.now() - timedelta(minutes=1)).isoformat()
    assert set(refs(updated_after=since)) == {water.reference, light.reference}
    for bad in ({"page_size": "5000"}, {"status": "maybe"}, {"start_date": "yesterday"}):
        assert client.get("/open311/v2/requests.json", bad).status_code == 400


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_extensions_add_channel_area_and_public_notes_but_never_the_reporter(
    city, client, register, fmt
):
    from civicline.cases.services import case_add_note

    case = register(area=city.liman)
    case_add_note(
        case=case, actor=city.lighting_officer, note="Екипа излази сутра.", is_public=True
    )
    case_add_note(case=case, actor=city.lighting_officer, note="Интерно: кабл.", is_public=False)

    response = client.get(f"/open311/v2/requests/{case.reference}.{fmt}?extensions=true")

    body = response.content.decode()
    assert "Екипа излази сутра." in body and "Лиман" in body and "phone" in body
    assert "Интерно" not in body
    for private in PRIVATE:
        assert private not in body
    if fmt == "json":
        extended = response.json()[0]["extended_attributes"]
        assert extended["channel"] == "phone" and extended["public_notes"][0]["note"]
    else:
        assert parse(response).findtext("request/extended_attributes/public_notes/public_note/note")


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_updates_since_a_date_are_public_changes_only(city, client, register, fmt):
    case = register()
    since = (timezone.now() - timedelta(minutes=1)).isoformat()
    case_change_status(case=case, to=Status.ASSIGNED, actor=city.lighting_officer)
    from civicline.cases.services import case_add_note

    case_add_note(case=case, actor=city.lighting_officer, note="Интерно.", is_public=False)

    response = client.get(f"/open311/v2/servicerequestupdates.{fmt}", {"start_date": since})

    assert response.status_code == 200 and "Интерно" not in response.content.decode()
    if fmt == "json":
        assert [u["service_request_id"] for u in response.json()] == [case.reference]
    else:
        assert parse(response).findtext("request_update/status") == "open"
    assert client.get(f"/open311/v2/servicerequestupdates.{fmt}").status_code == 400


@pytest.fixture
def questions(city):
    from civicline.directory.models import Choice, Question

    light = city.street_light
    pole = Question.objects.create(
        category=light, code="stub", required=True, description="Број стуба", datatype="number"
    )
    kind = Question.objects.create(
        category=light, code="vrsta", description="Шта не ради", datatype="multivaluelist", order=2
    )
    for key, name in [("sijalica", "Сијалица"), ("stub", "Стуб"), ("kabl", "Кабл")]:
        Choice.objects.create(question=kind, key=key, name=name)
    return pole, kind


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_a_service_definition_lists_its_questions(city, client, questions, fmt):
    response = client.get(f"/open311/v2/services/rasveta.{fmt}")
    if fmt == "json":
        attributes = response.json()["attributes"]
        assert [a["code"] for a in attributes] == ["stub", "vrsta"]
        assert attributes[0]["required"] and attributes[1]["values"][2] == {
            "key": "kabl",
            "name": "Кабл",
        }
    else:
        root = parse(response)
        assert [a.findtext("code") for a in root.findall("attributes/attribute")] == [
            "stub",
            "vrsta",
        ]
        pole, kind = root.findall("attributes/attribute")
        assert pole.find("values/value") is None  # a number has no list of values
        assert [v.findtext("key") for v in kind.findall("values/value")] == [
            "sijalica",
            "stub",
            "kabl",
        ]
    services = client.get("/open311/v2/services.json").json()
    assert {s["service_code"]: s["metadata"] for s in services}["rasveta"] is True


def test_answers_are_checked_and_stored(city, client, key, questions):
    from civicline.cases.models import Answer

    good = post(
        client, key, **{"attribute[stub]": "112", "attribute[vrsta][]": ["sijalica", "kabl"]}
    )
    assert good.status_code == 201
    stored = dict(Answer.objects.values_list("question__code", "value"))
    assert stored == {"stub": "112", "vrsta": "sijalica,kabl"}

    bad = post(client, key, **{"attribute[stub]": "сто", "attribute[vrsta][]": ["krov"],
                               "attribute[boja]": "plava"})  # fmt: skip
    missing = post(client, key)
    assert bad.status_code == missing.status_code == 400
    assert len(bad.json()) == 3 and "stub" in missing.json()[0]["description"]
    assert Case.objects.count() == 1


def test_posting_too_fast_gets_a_429_that_says_why(city, client, key, settings):
    settings.OPEN311_POSTS_PER_MINUTE_PER_KEY = 2
    settings.OPEN311_POSTS_PER_MINUTE_PER_ADDRESS = 3

    statuses = [post(client, key).status_code for _ in range(3)]
    guesses = [post(client, "guess").status_code for _ in range(2)]

    assert statuses == [201, 201, 429] and guesses == [429, 429]
    refused = post(client, key)
    # the city's language when the app asks for none
    assert refused["Retry-After"] == "60" and "сачекајте минут" in refused.json()[0]["description"]
    assert Case.objects.count() == 2


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_a_moderated_category_hands_out_a_token_until_an_operator_approves(city, client, key, fmt):
    from civicline.open311.models import PendingRequest
    from civicline.open311.services import pending_approve

    city.street_light.moderated = True
    city.street_light.save()

    response = post(client, key)
    [row] = response.json()
    assert response.status_code == 201 and "service_request_id" not in row
    assert Case.objects.count() == 0
    waiting = parse(client.get(f"/open311/v2/tokens/{row['token']}.{fmt}"))
    if fmt == "json":
        assert waiting == [{"service_request_id": "", "token": row["token"]}]

    case = pending_approve(pending=PendingRequest.objects.get())

    approved = parse(client.get(f"/open311/v2/tokens/{row['token']}.{fmt}"))
    if fmt == "json":
        assert approved[0]["service_request_id"] == case.reference
    else:
        assert approved.findtext("request/service_request_id") == case.reference
    assert case.reporter.phone == "+381641234567" and case.channel == Channel.MOBILE_APP
    assert client.get(f"/open311/v2/tokens/nope.{fmt}").status_code == 404
    assert post(client, key, phone="12").status_code == 400  # refused now, not at approval


def test_a_photo_is_published_without_gps_and_listed_with_the_request(city, client, key):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.photos import gps_of, jpeg_with_gps

    media = SimpleUploadedFile("IMG_0042.jpg", jpeg_with_gps(), content_type="image/jpeg")
    [row] = post(client, key, media=media).json()

    [public] = client.get(
        f"/open311/v2/requests/{row['service_request_id']}.json?extensions=true"
    ).json()
    assert public["media_url"].startswith("http://testserver/photos/")
    assert public["extended_attributes"]["photos"] == [public["media_url"]]
    photo = client.get(public["media_url"].removeprefix("http://testserver"))
    assert photo["Content-Type"] == "image/jpeg"
    assert gps_of(photo.content) == {}


def test_a_file_that_is_not_a_photo_is_refused_and_nothing_is_stored(city, client, key):
    from django.core.files.uploadedfile import SimpleUploadedFile

    media = SimpleUploadedFile("photo.jpg", b"MZ\x90\x00 an executable", content_type="image/jpeg")
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    response = post(client, key, media=media, service_code="")

    assert response.status_code == 400
    assert [e["description"] for e in response.json()] == [
        "media: This file is not a photo: send a JPEG, PNG or WebP image.",
        "service_code is missing or unknown.",
    ]
    assert Case.objects.count() == 0 and Reporter.objects.count() == 0


def test_a_photo_the_app_keeps_is_linked_not_fetched(city, client, key):
    link = "https://app.example.org/media/42.jpg"
    [row] = post(client, key, media_url=link).json()
    [public] = client.get(f"/open311/v2/requests/{row['service_request_id']}.json").json()
    assert public["media_url"] == link

    refused = post(client, key, media_url="file:///etc/passwd")
    assert refused.status_code == 400
    assert refused.json()[0]["description"].startswith("media_url: ")


def test_a_moderated_report_keeps_its_photo_until_approved(city, client, key):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from civicline.open311.models import PendingRequest
    from civicline.open311.services import pending_approve
    from tests.photos import png

    city.street_light.moderated = True
    city.street_light.save()
    media = SimpleUploadedFile("leaf.png", png(), content_type="image/png")
    assert post(client, key, media=media).status_code == 201

    case = pending_approve(pending=PendingRequest.objects.get())
    assert [p.width for p in case.photos.all()] == [64]


def test_information_requests_are_never_published(city, client, register):
    from civicline.directory.models import CaseKind

    asked = register(city.information, kind=CaseKind.INFORMATION,
                     description="Питала за социјалну помоћ за мајку")  # fmt: skip
    since = (timezone.now() - timedelta(days=1)).isoformat()

    assert client.get(f"/open311/v2/requests/{asked.reference}.json").status_code == 404
    listed = client.get("/open311/v2/requests.json").content.decode()
    updates = client.get("/open311/v2/servicerequestupdates.json", {"start_date": since})
    assert asked.reference not in listed and asked.reference not in updates.content.decode()


def test_a_broken_multipart_body_gets_open311s_400(city, client, key):
    body = b'--xyz\r\nContent-Disposition: form-data; name="service_code"\r\n\r\nrasv'
    response = client.post(  # a multipart body without its boundary cannot be read
        "/open311/v2/requests.json", body, content_type="multipart/form-data"
    )
    assert response.status_code == 400
    assert response.json()[0]["code"] == 400
