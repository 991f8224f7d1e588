"""Schemathesis against GeoReport v2's own OpenAPI description: whatever an app sends, the
answer is never a 5xx and always what the description promises (status, content type,
body)."""

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from civicline.cases.services import case_add_note
from civicline.directory.models import Choice, Question
from civicline.open311.services import application_create
from civicline.wsgi import application

schema = schemathesis.openapi.from_wsgi("/open311/v2/openapi.json", application)

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
# Generated requests carry these where the test puts the real key, reference or token.
KNOWN_KEY, KNOWN_REFERENCE, KNOWN_TOKEN = "known-key", "known-reference", "known-token"
CODES = ["rasveta", "vodovod", "kanalizacija", "informacije"]
KNOWN = {
    "service_code": CODES,
    "service_request_id": [KNOWN_REFERENCE],
    "token": [KNOWN_TOKEN],
}


@schema.hook
def flatmap_body(context, body):
    """Most generated reports come from the known app for a known service, so that they get
    past the key to registration (and, for the moderated sewer, to the operator's queue)."""
    if context.operation.method.upper() != "POST" or not isinstance(body, dict):
        return st.just(body)

    def variant(code: str | None) -> dict:
        if code is None:
            return body
        known = {**body, "api_key": KNOWN_KEY, "service_code": code}
        if code == "rasveta":
            known.setdefault("attribute[stub]", "12")
        return known

    return st.sampled_from([*CODES, None]).map(variant)


@schema.hook
def flatmap_path_parameters(context, path_parameters):
    """Known codes, references and tokens too, so that the 200s are checked, not only 404s."""
    if not isinstance(path_parameters, dict):
        return st.just(path_parameters)
    known = [
        {**path_parameters, name: value}
        for name in path_parameters
        for value in KNOWN.get(name, ())
    ]
    return st.sampled_from([*known, path_parameters])


@pytest.fixture
def in_process():
    """The app runs in the test's own transaction: like Django's test client, keep a
    finished request from closing the connection."""
    for signal in (signals.request_started, signals.request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (signals.request_started, signals.request_finished):
        signal.connect(close_old_connections)


@pytest.fixture
def api(city, register, client, settings):
    """The city with a question on street lighting, a moderated sewer, two cases, a report
    waiting for an operator, and an app's key."""
    settings.OPEN311_POSTS_PER_MINUTE_PER_KEY = 10**6
    settings.OPEN311_POSTS_PER_MINUTE_PER_ADDRESS = 10**6
    city.sewer_block.moderated = True
    city.sewer_block.save()
    Question.objects.create(
        category=city.street_light, code="stub", description="Број стуба", datatype="number"
    )
    kind = Question.objects.create(
        category=city.street_light, code="vrsta", description="Шта", datatype="multivaluelist"
    )
    for key in ("sijalica", "stub", "kabl"):
        Choice.objects.create(question=kind, key=key, name=key)
    case = register(description="Не ради светиљка.")
    case_add_note(case=case, actor=city.lighting_officer, note="Екипа излази.", is_public=True)
    register(city.water_pipe, description="Цури вода.")
    key = application_create(name="Фазер")[1]
    waiting = client.post("/open311/v2/requests.json", {
        "api_key": key, "service_code": "kanalizacija", "address_string": "Футошка 1"
    })  # fmt: skip
    assert waiting.status_code == 201
    return {
        KNOWN_KEY: key,
        KNOWN_REFERENCE: case.reference,
        KNOWN_TOKEN: waiting.json()[0]["token"],
    }


def _known(values: dict, api: dict) -> None:
    for name, value in values.items():
        if isinstance(value, str) and value in api:
            values[name] = api[value]


@schema.parametrize()
@settings(max_examples=60, derandomize=True, deadline=None,
          suppress_health_check=list(HealthCheck))  # fmt: skip
def test_every_answer_is_as_described_and_none_is_a_5xx(case, api, in_process):
    if isinstance(case.body, dict):
        _known(case.body, api)
    if case.path_parameters:
        _known(case.path_parameters, api)
    case.call_and_validate(checks=CHECKS)


def test_the_description_is_served_and_valid(client):
    response = client.get("/open311/v2/openapi.json")
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    loaded = schemathesis.openapi.from_dict(response.json())
    loaded.validate()  # against the OpenAPI 3.0 meta-schema
    operations = {(op.ok().method.upper(), op.ok().path) for op in loaded.get_all_operations()}
    assert ("POST", "/requests.json") in operations and len(operations) == 8


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("requests.json?page=%C2%B2", 400),  # "²" is a digit to str.isdigit, not to int()
        ("requests.json?page_size=" + "1" * 5000, 400),  # more digits than int() takes
        ("requests.json?start_date=0001-01-01T00:00:00%2B01:00", 200),  # before the year 1 in UTC
        ("requests.json?end_date=0001-01-01T00:00:00Z", 200),  # the 90 days reach before it
        ("requests.json?updated_before=6186-08-13T23:34:23-20:48", 200),  # PostgreSQL: ±15:59
        ("servicerequestupdates.json?start_date=9999-12-31T23:59:59-05:00", 200),
        ("requests.json?service_request_id=%00", 400),  # PostgreSQL: no NUL in text
        ("tokens/%00.json", 400),
        ("services.json?%00=1", 400),
    ],
)
def test_inputs_that_once_got_a_500(city, client, url, status):
    response = client.get(f"/open311/v2/{url}")
    assert response.status_code == status
    assert response["Content-Type"] == "application/json; charset=utf-8"


@pytest.mark.parametrize(
    "fields",
    [
        {"address_string": "Футошка 1\x00"},
        {"address_string": "Футошка 1", "description": "\x00"},
        {"lat": "NaN", "long": "19.8"},
        {"lat": "45.2", "long": "-Infinity"},
        {"address_string": "Футошка 1", "media_url": "http://["},
        {"address_string": "Футошка 1", "email": "a" * 250 + "@x.rs"},
        {"address_string": "Футошка 1", "email": "not an address"},
    ],
)
def test_reports_that_once_got_a_500(city, client, fields):
    key = application_create(name="Апликација")[1]
    data = {"api_key": key, "service_code": "rasveta", **fields}
    response = client.post("/open311/v2/requests.json", data)
    assert response.status_code == 400
