"""Text with a NUL character is refused everywhere with a 400 (PostgreSQL cannot store or
compare it, so without the check it would be a 500 there), and nothing is stored."""

import pytest

from civicline.cases.models import Case


@pytest.mark.parametrize(
    "url",
    ["/categories/?q=ras%00", "/supervisor/?reference=%00", "/portal/track/2026%00/ABCDEFGHJK/"],
)
def test_a_nul_in_a_page_address_is_a_400(city, login, url):
    response = login(city.supervisor).get(url)
    assert response.status_code == 400
    assert response.content.decode() == "The request contains a NUL character."


def test_a_nul_in_a_form_is_a_400_and_nothing_is_stored(city, login):
    response = login(city.operator).post(
        "/desk/", {"kind": "complaint", "channel": "phone", "category": city.street_light.pk,
                   "description": "Не ради\x00 светиљка"},
    )  # fmt: skip
    assert response.status_code == 400 and not Case.objects.exists()


def test_the_json_api_answers_in_json(city, login):
    response = login(city.operator).post(
        "/api/v1/cases",
        {"kind": "complaint", "channel": "phone", "category": "rasveta", "description": "a\x00"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json() == {"detail": "The request contains a NUL character."}
    assert not Case.objects.exists()
