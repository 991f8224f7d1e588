"""The JSON API: token authentication without the password hasher, same rules as pages."""

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher

from civicline.cases.models import Case, Status
from civicline.directory.services import api_token_create


@pytest.fixture
def bearer(city):
    def _bearer(user):
        _, raw = api_token_create(user=user, name="test")
        return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}

    return _bearer


CASE = {
    "kind": "complaint",
    "channel": "phone",
    "category": "rasveta",
    "description": "Не ради светиљка",
    "address": "Футошка 1",
    "reporter": {"name": "Мира", "phone": "0641234567", "consent_to_contact": True},
}


def test_a_token_authenticates_without_running_the_password_hasher(
    city, client, bearer, monkeypatch
):
    headers = bearer(city.operator)

    def refuse(*args, **kwargs):
        raise AssertionError("the password hasher ran")

    monkeypatch.setattr(PBKDF2PasswordHasher, "verify", refuse)
    monkeypatch.setattr(PBKDF2PasswordHasher, "encode", refuse)
    for _ in range(3):
        assert client.get("/api/v1/cases", **headers).status_code == 200


def test_the_api_registers_and_routes_a_case(city, client, bearer):
    response = client.post(
        "/api/v1/cases", CASE, content_type="application/json", **bearer(city.operator)
    )

    assert response.status_code == 201
    body = response.json()
    case = Case.objects.get(reference=body["reference"])
    assert case.organisation == city.lighting and body["organisation"] == city.lighting.name
    assert body["reporter"]["phone"] == "+381641234567"
    assert [e["kind"] for e in body["events"]] == ["registered"]


@pytest.mark.parametrize(
    ("change", "status"),
    [
        ({"category": "nema-takve"}, 400),
        ({"kind": "suggestion"}, 400),
        ({"kind": "praise"}, 400),
        ({"description": "x" * 20_000}, 422),
        ({"reporter": {"phone": "123"}}, 400),
        ({"area": "mars"}, 400),
        ({"latitude": 95, "longitude": 20}, 422),
    ],
)
def test_bad_api_input_is_a_4xx_with_json_and_stores_nothing(city, client, bearer, change, status):
    response = client.post(
        "/api/v1/cases",
        {**CASE, **change},
        content_type="application/json",
        **bearer(city.operator),
    )
    assert response.status_code == status
    assert response.json()["detail"]
    assert Case.objects.count() == 0


def test_an_officer_cannot_register_through_the_api(city, client, bearer):
    response = client.post(
        "/api/v1/cases", CASE, content_type="application/json", **bearer(city.lighting_officer)
    )
    assert response.status_code == 403
    assert Case.objects.count() == 0


def test_the_officer_moves_a_case_through_the_api(city, client, register, bearer):
    case = register()
    headers = bearer(city.lighting_officer)
    url = f"/api/v1/cases/{case.reference}/status"

    accepted = client.post(url, {"status": "assigned"}, content_type="application/json", **headers)
    forged = client.post(url, {"status": "approved"}, content_type="application/json", **headers)
    illegal = client.post(url, {"status": "closed"}, content_type="application/json", **headers)

    assert accepted.status_code == 200 and accepted.json()["status"] == "assigned"
    assert accepted.json()["reporter"] is None
    assert forged.status_code == 422 and illegal.status_code == 400
    case.refresh_from_db()
    assert case.status == Status.ASSIGNED


def test_revoked_and_missing_tokens_are_refused(city, client):
    from django.utils import timezone

    token, raw = api_token_create(user=city.operator, name="old")
    token.revoked_at = timezone.now()
    token.save()
    assert client.get("/api/v1/cases", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401
    assert client.get("/api/v1/cases", HTTP_AUTHORIZATION="Bearer nope").status_code == 401
    assert client.get("/api/v1/cases").status_code == 401


def test_the_openapi_schema_is_served_to_staff(city, login):
    schema = login(city.operator).get("/api/v1/openapi.json").json()
    assert schema["info"]["title"] == "civicline" and "/api/v1/cases" in schema["paths"]


def test_the_api_docs_need_a_login_and_load_nothing_from_outside(city, login, client):
    assert client.get("/api/v1/docs").status_code == 302
    page = login(city.operator).get("/api/v1/docs").content.decode()
    assert "swagger-ui-bundle.js" in page and "cdn." not in page


def test_the_api_answers_the_categorys_questions(city, client, bearer):
    from civicline.cases.models import Answer
    from civicline.directory.models import Question

    Question.objects.create(
        category=city.street_light,
        code="stub",
        required=True,
        description="Стуб",
        datatype="number",
    )
    headers = bearer(city.operator)
    missing = client.post("/api/v1/cases", CASE, content_type="application/json", **headers)
    answered = client.post(
        "/api/v1/cases", {**CASE, "answers": {"stub": ["112"]}}, content_type="application/json",
        **headers,
    )  # fmt: skip
    assert missing.status_code == 400 and "stub" in missing.json()["errors"]
    assert answered.status_code == 201 and Answer.objects.get().value == "112"
