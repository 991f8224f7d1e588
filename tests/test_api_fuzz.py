"""Schemathesis against the JSON API's own OpenAPI schema, as the operator's token: whatever
a client sends, the answer is never a 5xx and is what the schema promises."""

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from civicline.api import api
from civicline.directory.services import api_token_create
from civicline.wsgi import application

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture
def in_process():
    """The app runs in the test's own transaction: keep a finished request from closing
    the connection, as Django's test client does."""
    for signal in (signals.request_started, signals.request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (signals.request_started, signals.request_finished):
        signal.connect(close_old_connections)


def test_no_request_to_the_json_api_gets_a_5xx(city, register, in_process):
    token = api_token_create(user=city.operator, name="fuzz")[1]
    register()
    schema = schemathesis.openapi.from_dict(api.get_openapi_schema(path_prefix="/api/v1/"))
    for result in schema.get_all_operations():
        operation = result.ok()

        @given(case=operation.as_strategy())
        @settings(max_examples=30, derandomize=True, deadline=None,
                  suppress_health_check=list(HealthCheck))  # fmt: skip
        def call(case):
            case.headers = {**(case.headers or {}), "Authorization": f"Bearer {token}"}
            case.call_and_validate(app=application, checks=CHECKS)

        call()
