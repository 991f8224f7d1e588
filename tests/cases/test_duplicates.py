"""Duplicates: the same problem reported twice is suggested on the desk and merged into the
oldest case, whose citizens all hear what happens; the public map shows one pin."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from civicline import clock
from civicline.cases import services
from civicline.cases.duplicates import case_merge, duplicate_candidates
from civicline.cases.models import Case, EventKind, Follower, Status
from civicline.cases.selectors import distance_m
from civicline.deadlines.models import Escalation
from civicline.notifications.models import Notification

LAT, LON = Decimal("45.245100"), Decimal("19.842000")
# Straight north of the pin: 0.00044 degrees is 48.9 m, 0.00054 degrees 60.0 m.
NEAR_49 = {"latitude": Decimal("45.245540"), "longitude": LON}
FAR_60 = {"latitude": Decimal("45.245640"), "longitude": LON}
PIN = {"latitude": LAT, "longitude": LON}
NEIGHBOUR_PHONE = "+381637654321"


def test_the_test_points_are_as_far_as_they_say():
    assert 48 < distance_m(float(LAT), float(LON), float(NEAR_49["latitude"]), float(LON)) < 50
    assert 59 < distance_m(float(LAT), float(LON), float(FAR_60["latitude"]), float(LON)) < 61


def neighbour_reports(city, category=None, **where):
    """A second citizen, who agreed to be told what happens, reports the same problem."""
    return services.case_intake(
        reporter=services.ReporterDetails(
            name="Мира", phone=NEIGHBOUR_PHONE, consent_to_contact=True
        ),
        actor=city.operator,
        kind="complaint",
        channel="phone",
        category=category or city.street_light,
        description="Светиљка у мраку код продавнице.",
        **where,
    )


def suggested(case) -> list[str]:
    return [other.reference for other, _metres in duplicate_candidates(case)]


def test_cases_of_the_same_category_within_the_distance_are_suggested(city, register):
    case = register(**PIN)
    near = register(**NEAR_49)
    far = register(**FAR_60)
    other_category = register(city.water_pipe, **NEAR_49)
    no_pin = register()

    assert suggested(case) == [near.reference]
    [(found, metres)] = duplicate_candidates(case)
    assert metres == 49
    assert case.reference in suggested(near)
    assert far.reference not in suggested(case) and other_category.reference not in suggested(case)
    assert duplicate_candidates(no_pin) == []


def test_the_distance_is_a_setting(city, register, settings):
    settings.DUPLICATE_DISTANCE_M = 70
    case = register(**PIN)
    far = register(**FAR_60)
    assert suggested(case) == [far.reference]


def test_only_cases_registered_within_the_window_are_suggested(city, register):
    now = timezone.now()
    with clock.frozen_at(now - timedelta(days=13)):
        inside = register(**NEAR_49)
    with clock.frozen_at(now - timedelta(days=15)):
        outside = register(**PIN)
    case = register(**PIN)

    assert suggested(case) == [inside.reference]
    assert case.reference not in suggested(outside)


def test_finished_and_merged_cases_are_not_suggested(city, register):
    case = register(**PIN)
    cancelled = register(**PIN)
    services.case_change_status(
        case=cancelled, to=Status.CANCELLED, actor=city.operator, note="Грешком."
    )
    master = register(**PIN)
    merged = register(**NEAR_49)
    case_merge(duplicate=merged, master=master, actor=city.operator)
    assert merged.reference not in suggested(case) and cancelled.reference not in suggested(case)


@pytest.mark.parametrize("newest_first", [False, True])
def test_the_oldest_case_stays_the_master_whatever_the_order(city, register, newest_first):
    older = register(**PIN)
    newer = neighbour_reports(city, **NEAR_49)
    first, second = (newer, older) if newest_first else (older, newer)

    master = case_merge(duplicate=first, master=second, actor=city.operator)

    assert master.pk == older.pk
    newer.refresh_from_db()
    older.refresh_from_db()
    assert newer.duplicate_of_id == older.pk and older.duplicate_of_id is None
    assert newer.status == Status.CLOSED and older.status == Status.REGISTERED


def test_merging_moves_the_citizens_and_writes_both_timelines(city, register):
    master = register(**PIN)
    duplicate = neighbour_reports(city, **NEAR_49)
    # The master's own reporter joined the duplicate too: still one follower, not two.
    services.case_follow(
        case=duplicate,
        reporter=services.ReporterDetails(phone="+381641234567"),
        channel="web",
    )
    services.case_follow(
        case=duplicate, reporter=services.ReporterDetails(email="ana@example.org"), channel="web"
    )

    case_merge(duplicate=duplicate, master=master, actor=city.operator)

    followers = Follower.objects.filter(case=master)
    assert sorted(f.reporter.phone or f.reporter.email for f in followers) == [
        NEIGHBOUR_PHONE,
        "ana@example.org",
    ]
    assert not Follower.objects.filter(case=duplicate).exists()

    [into] = duplicate.events.filter(kind=EventKind.MERGED)
    [into_master] = master.events.filter(kind=EventKind.MERGED)
    assert (into.old_value, into.new_value) == (duplicate.reference, master.reference)
    assert master.reference in into.note and duplicate.reference in into_master.note
    closing = duplicate.events.get(kind=EventKind.STATUS_CHANGED, new_value=Status.CLOSED)
    assert closing.is_public
    assert closing.note == f"Merged with {master.reference}: the same problem is handled there."
    # Closed, not cancelled: the duplicate's reporter is not told their report was turned down.
    assert not duplicate.notifications.filter(notice="cancelled").exists()
    # Closing stops the duplicate's escalations, as any closing does.
    assert not Escalation.objects.filter(case=duplicate, done_at__isnull=True).exists()


def test_the_duplicates_reporter_is_told_when_the_master_is_resolved(city, register):
    master = register(**PIN)
    duplicate = neighbour_reports(city, **NEAR_49)
    case_merge(duplicate=duplicate, master=master, actor=city.operator)

    for step in (Status.ASSIGNED, Status.IN_PROGRESS):
        services.case_change_status(case=master, to=step, actor=city.lighting_officer)
    services.case_change_status(
        case=master, to=Status.RESOLVED, actor=city.lighting_officer, note="Замењена сијалица."
    )

    told = Notification.objects.filter(case=master, notice="resolved", to=NEIGHBOUR_PHONE)
    assert told.count() == 1


def test_cases_merged_into_the_duplicate_follow_it_to_the_master(city, register):
    oldest = register(**PIN)
    middle = register(**PIN)
    newest = neighbour_reports(city, **PIN)
    case_merge(duplicate=newest, master=middle, actor=city.operator)
    case_merge(duplicate=middle, master=oldest, actor=city.operator)
    assert set(oldest.duplicates.values_list("reference", flat=True)) == {
        middle.reference,
        newest.reference,
    }
    assert Follower.objects.filter(case=oldest, reporter__phone=NEIGHBOUR_PHONE).exists()


def test_merges_that_make_no_sense_are_refused_and_change_nothing(city, register):
    case = register(**PIN)
    water = register(city.water_pipe, **PIN)
    master, merged = register(**PIN), register(**PIN)
    case_merge(duplicate=merged, master=master, actor=city.operator)
    cancelled = register(**PIN)
    services.case_change_status(
        case=cancelled, to=Status.CANCELLED, actor=city.operator, note="Грешком."
    )

    refusals = {
        case.pk: "cannot be merged with itself",
        water.pk: "same category",
        merged.pk: f"already merged into {master.reference}",
        cancelled.pk: "already cancelled",
    }
    for other_pk, message in refusals.items():
        other = Case.objects.get(pk=other_pk)
        with pytest.raises(ValidationError, match=message):
            case_merge(duplicate=other, master=case, actor=city.operator)
    case.refresh_from_db()
    assert case.status == Status.REGISTERED and case.duplicate_of_id is None
    assert not case.events.filter(kind=EventKind.MERGED).exists()
    assert not Follower.objects.filter(case=case).exists()


def test_the_public_map_shows_one_pin_and_the_duplicate_is_still_tracked(city, register, client):
    master = register(**PIN)
    duplicate = neighbour_reports(city, **NEAR_49)
    case_merge(duplicate=duplicate, master=master, actor=city.operator)

    features = client.get("/portal/problems.geojson").json()["features"]
    assert [f["properties"]["reference"] for f in features] == [master.reference]
    page = client.get("/portal/problems/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert master.reference in page and duplicate.reference not in page

    tracking = client.get(
        f"/portal/track/{duplicate.reference}/{duplicate.tracking_code}/",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert tracking.status_code == 200
    assert f"Merged with {master.reference}" in tracking.content.decode()


def test_open311_names_the_master_of_a_duplicate(city, register, client):
    master = register(**PIN)
    duplicate = neighbour_reports(city, **NEAR_49)
    case_merge(duplicate=duplicate, master=master, actor=city.operator)

    [row] = client.get(f"/open311/v2/requests/{duplicate.reference}.json?extensions=true").json()
    assert row["status"] == "closed"
    assert row["extended_attributes"]["duplicate_of"] == master.reference
    assert row["status_notes"].startswith(f"Merged with {master.reference}")
    [row] = client.get(f"/open311/v2/requests/{master.reference}.json?extensions=true").json()
    assert row["extended_attributes"]["duplicate_of"] == ""


def test_the_desk_suggests_and_merges(city, register, login):
    master = register(**PIN)
    duplicate = neighbour_reports(city, **NEAR_49)
    client = login(city.operator)

    page = client.get(f"/cases/{duplicate.reference}/").content.decode()
    assert "Possible duplicates" in page and master.reference in page
    assert f"Merge into {master.reference}" in page
    assert "Merge into this one" in client.get(f"/cases/{master.reference}/").content.decode()

    response = client.post(f"/cases/{duplicate.reference}/merge/", {"other": master.reference})
    assert response.status_code == 302 and response["Location"] == f"/cases/{master.reference}/"
    duplicate.refresh_from_db()
    assert duplicate.duplicate_of_id == master.pk
    page = client.get(response["Location"]).content.decode()
    assert f"Case {duplicate.reference} merged into {master.reference}" in page
    assert "Possible duplicates" not in page
    merged_page = client.get(f"/cases/{duplicate.reference}/").content.decode()
    assert "Merged into" in merged_page and f"/cases/{master.reference}/" in merged_page


def test_the_competent_officer_may_merge_another_body_may_not(city, register, login):
    master = register(**PIN)
    duplicate = neighbour_reports(city, **NEAR_49)

    water = login(city.water_officer)
    assert water.get(f"/cases/{master.reference}/").status_code == 404
    response = water.post(f"/cases/{master.reference}/merge/", {"other": duplicate.reference})
    assert response.status_code == 404

    lighting = login(city.lighting_officer)
    assert "Possible duplicates" in lighting.get(f"/cases/{master.reference}/").content.decode()
    response = lighting.post(f"/cases/{master.reference}/merge/", {"other": duplicate.reference})
    assert response.status_code == 302
    assert Case.objects.get(pk=duplicate.pk).duplicate_of_id == master.pk


def test_bad_merge_requests_are_answered_with_a_message(city, register, login):
    case = register(**PIN)
    water = register(city.water_pipe, **PIN)
    client = login(city.operator)

    for other, message in [
        ("", "There is no case"),
        ("2099-999999", "There is no case “2099-999999”"),
        ("x" * 500, "There is no case"),
        (case.reference, "cannot be merged with itself"),
        (water.reference, "same category"),
    ]:
        response = client.post(f"/cases/{case.reference}/merge/", {"other": other})
        assert response.status_code == 400, other
        assert message in response.content.decode()
    assert client.post("/cases/2099-999999/merge/", {"other": case.reference}).status_code == 404
    assert client.get(f"/cases/{case.reference}/merge/").status_code == 405
    assert not Case.objects.filter(duplicate_of__isnull=False).exists()
