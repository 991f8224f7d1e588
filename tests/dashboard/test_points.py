"""The map's feed: the filtered cases that have a place, newest first, in a few plain rows."""

from datetime import timedelta

import pytest
from django.utils import timezone

from civicline.dashboard import selectors
from tests.dashboard.conftest import CENTRE, LIMAN


def references(client, **query) -> list[str]:
    response = client.get("/dashboard/map/points.json", query)
    assert response.status_code == 200
    return [row[2] for row in response.json()["points"]]


def test_it_gives_each_located_case_as_a_compact_row_newest_first(city, located, register, login):
    older = located(days_ago=3, at=LIMAN)
    newer = located(city.water_pipe, days_ago=1, at=CENTRE)
    register()  # no point on the map
    sonja = login(city.supervisor)

    feed = sonja.get("/dashboard/map/points.json").json()

    assert feed == {
        "count": 2,
        "shown": 2,
        "points": [
            [45.2551, 19.8452, newer.reference, "registered", "Registered"],
            [45.2401, 19.8412, older.reference, "registered", "Registered"],
        ],
    }


def test_the_category_filter_changes_the_points(city, located, login):
    light, water = located(city.street_light), located(city.water_pipe)
    sonja = login(city.supervisor)

    assert set(references(sonja)) == {light.reference, water.reference}
    assert references(sonja, category=city.water_pipe.pk) == [water.reference]
    assert references(sonja, category=city.street_light.pk) == [light.reference]


def test_a_case_outside_the_period_is_absent(city, located, login):
    recent, old = located(days_ago=2), located(days_ago=45)
    sonja = login(city.supervisor)
    today = timezone.localdate()

    assert references(sonja) == [recent.reference]  # the last 30 days unless told
    longer = references(sonja, date_from=(today - timedelta(days=60)).isoformat())
    assert longer == [recent.reference, old.reference]
    only_old = references(
        sonja,
        date_from=(today - timedelta(days=60)).isoformat(),
        date_to=(today - timedelta(days=40)).isoformat(),
    )
    assert only_old == [old.reference]


def test_the_status_filter_tells_open_from_resolved(city, located, login, resolved_with_photos):
    fixed, _, _ = resolved_with_photos
    waiting = located(city.water_pipe)
    sonja = login(city.supervisor)

    assert references(sonja, status="open") == [waiting.reference]
    assert references(sonja, status="resolved") == [fixed.reference]
    assert references(sonja, status="closed") == []


def test_the_feed_reads_the_same_few_queries_however_many_cases(
    city, located, login, django_assert_max_num_queries
):
    sonja = login(city.supervisor)
    located()
    with django_assert_max_num_queries(8) as few:
        sonja.get("/dashboard/map/points.json")
    for days_ago in range(1, 11):
        located(days_ago=days_ago)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert sonja.get("/dashboard/map/points.json").json()["shown"] == 11


def test_past_the_cap_it_shows_the_newest_and_says_so(city, located, login, monkeypatch):
    monkeypatch.setattr(selectors, "MAP_POINTS_LIMIT", 2)
    newest = [located(days_ago=1), located(days_ago=2)]
    located(days_ago=3)
    sonja = login(city.supervisor)

    feed = sonja.get("/dashboard/map/points.json").json()
    page = sonja.get("/dashboard/map/").content.decode()

    assert feed["count"] == 3 and feed["shown"] == 2
    assert [row[2] for row in feed["points"]] == [c.reference for c in newest]
    assert "Showing the newest 2 of 3 cases on the map." in page


@pytest.mark.parametrize(
    ("query", "error"),
    [
        ({"date_from": "2026-13-45"}, "Enter a valid date."),
        ({"date_to": "yesterday"}, "Enter a valid date."),
        ({"category": "999999"}, "Select a valid choice."),
        ({"category": "rasveta"}, "Select a valid choice."),
        ({"status": "lost"}, "Select a valid choice."),
        ({"date_from": "2026-03-10", "date_to": "2026-03-01"}, "The period ends before it starts."),
        ({"date_from": "0001-01-01"}, "Choose a date between 01.01.2000 and 31.12.2099."),
        ({"date_to": "9999-12-31"}, "Choose a date between 01.01.2000 and 31.12.2099."),
    ],
)
def test_bad_filters_get_a_clear_error_not_a_crash(city, located, login, query, error):
    located()
    sonja = login(city.supervisor)

    page = sonja.get("/dashboard/map/", query)
    feed = sonja.get("/dashboard/map/points.json", query)

    assert page.status_code == 400 and error in page.content.decode()
    assert 'id="case-map"' not in page.content.decode()
    assert feed.status_code == 400
    assert any(error in message for messages in feed.json()["errors"].values()
               for message in messages)  # fmt: skip
