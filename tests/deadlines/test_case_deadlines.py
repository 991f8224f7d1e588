"""Due times follow the case: registration, transfer, waiting on the citizen, the sweep."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from civicline import clock
from civicline.cases import services
from civicline.cases.models import CaseEvent, EventKind, Status
from civicline.deadlines import services as deadline_services
from civicline.deadlines.models import (
    Action,
    BusinessCalendar,
    CallbackTask,
    CaseDeadline,
    Counting,
    DeadlinePolicy,
    Escalation,
    EscalationStep,
    OpeningHours,
    OrganisationCalendar,
)
from civicline.directory.models import CaseKind
from civicline.routing.services import case_transfer

BELGRADE = ZoneInfo("Europe/Belgrade")
MONDAY_3PM = datetime(2026, 11, 23, 15, 0, tzinfo=BELGRADE)


@pytest.fixture
def calendars(city):
    """The lighting company keeps office hours; the water utility answers 24/7."""
    office = BusinessCalendar.objects.create(name="Office", country="RS")
    OpeningHours.objects.bulk_create(
        OpeningHours(calendar=office, weekday=d, opens=time(7, 30), closes=time(15, 30))
        for d in range(5)
    )
    always = BusinessCalendar.objects.create(name="24/7", always_open=True)
    OrganisationCalendar.objects.create(organisation=city.lighting, calendar=office)
    OrganisationCalendar.objects.create(organisation=city.water, calendar=always)
    for category in (city.street_light, city.water_pipe):
        policy = DeadlinePolicy.objects.create(category=category, counting=Counting.BUSINESS)
        EscalationStep.objects.create(policy=policy, percent=100, action=Action.OVERDUE)
    return office, always


def due_of(case):
    return CaseDeadline.objects.get(case=case).resolution_due.astimezone(BELGRADE)


def test_a_case_is_due_by_its_bodys_calendar(calendars, register):
    with clock.frozen_at(MONDAY_3PM):
        case = register()  # street light: 48 business hours
    # Monday 0.5 h, Tuesday-Friday 4 x 8 h, Monday 8 h, Tuesday 7.5 h
    assert due_of(case) == datetime(2026, 12, 1, 15, 0, tzinfo=BELGRADE)


def test_a_transfer_counts_again_on_the_new_bodys_calendar(calendars, city, register):
    with clock.frozen_at(MONDAY_3PM):
        case = register()
    later = MONDAY_3PM + timedelta(hours=20)  # Tuesday 11:00
    with clock.frozen_at(later):
        case_transfer(case=case, to=city.water, actor=city.operator, reason="ВиК")
    # the water utility counts every hour: 48 hours from the transfer
    assert due_of(case) == later + timedelta(hours=48)


def test_waiting_on_the_citizen_stops_the_clock(calendars, city, register):
    with clock.frozen_at(MONDAY_3PM):
        case = register()
    with clock.frozen_at(datetime(2026, 11, 24, 9, 30, tzinfo=BELGRADE)):  # 2.5 h used
        services.case_wait_on_citizen(case=case, actor=city.lighting_officer, note="Број стуба?")
    assert not Escalation.objects.filter(case=case, done_at__isnull=True).exists()
    with clock.frozen_at(datetime(2026, 11, 30, 7, 30, tzinfo=BELGRADE)):  # a week later
        services.case_resume(case=case, actor=city.operator, note="Стуб 112")
    # 45.5 business hours left from Monday 30 Nov 07:30
    assert due_of(case) == datetime(2026, 12, 7, 13, 0, tzinfo=BELGRADE)
    assert Escalation.objects.get(case=case, done_at__isnull=True).due_at == due_of(case)


def test_a_resolved_case_does_not_escalate(calendars, city, register):
    case = register()
    for step in (Status.ASSIGNED, Status.IN_PROGRESS):
        case = services.case_change_status(case=case, to=step, actor=city.lighting_officer)
    services.case_change_status(
        case=case, to=Status.RESOLVED, actor=city.lighting_officer, note="Поправљено."
    )
    assert not Escalation.objects.filter(case=case, done_at__isnull=True).exists()


def test_the_sweep_marks_overdue_once_and_the_chase_list_shows_it(calendars, city, register, login):
    with clock.frozen_at(MONDAY_3PM):
        case = register()
    with clock.frozen_at(MONDAY_3PM + timedelta(days=30)):
        first = deadline_services.deadline_sweep()
        second = deadline_services.deadline_sweep()

    assert (first.escalations, second.escalations) == (1, 0)
    assert CaseEvent.objects.filter(case=case, kind=EventKind.OVERDUE).count() == 1
    client = login(city.operator)
    chase = client.get("/chase/").content.decode()
    assert case.reference in chase and city.lighting.name in chase
    assert (
        "overdue" in login(city.supervisor).get("/supervisor/", {"overdue": "on"}).content.decode()
    )

    response = client.post("/chase/", {"reference": case.reference, "note": "Сутра излазе."})
    assert response.status_code == 302
    assert CaseEvent.objects.get(case=case, kind=EventKind.CHASED).note == "Сутра излазе."


@pytest.mark.django_db(transaction=True)
def test_two_workers_sweeping_at_once_escalate_once(calendars, register):
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connection

    with clock.frozen_at(MONDAY_3PM):
        cases = [register() for _ in range(20)]

    def sweep(_):
        try:
            with clock.frozen_at(MONDAY_3PM + timedelta(days=30)):
                return deadline_services.deadline_sweep(batch=7).escalations
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=2) as pool:
        assert sum(pool.map(sweep, range(2))) == 20
    assert CaseEvent.objects.filter(kind=EventKind.OVERDUE).count() == len(cases)


def test_an_unanswered_information_request_gets_a_callback_and_a_delay_notice(city, register):
    with clock.frozen_at(MONDAY_3PM):
        case = register(city.information, kind=CaseKind.INFORMATION)
        answered = register(city.information, kind=CaseKind.INFORMATION, answer="7:30-15:30")
    task = CallbackTask.objects.get(case=case)
    assert task.due_at == MONDAY_3PM + timedelta(hours=48)
    withdrawn = register(city.information, kind=CaseKind.INFORMATION)
    services.case_change_status(case=withdrawn, to=Status.CANCELLED, actor=city.operator, note="x")
    assert not CallbackTask.objects.filter(case=withdrawn).exists()
    assert not CallbackTask.objects.filter(case=answered).exists()

    with clock.frozen_at(MONDAY_3PM + timedelta(hours=49)):
        assert deadline_services.deadline_sweep().delayed_callbacks == 1
        assert deadline_services.deadline_sweep().delayed_callbacks == 0
    delayed = CaseEvent.objects.get(case=case, kind=EventKind.DELAYED)
    assert delayed.is_public


def test_the_operator_records_the_callback(city, register, login):
    case = register(city.information, kind=CaseKind.INFORMATION)
    task = CallbackTask.objects.get(case=case)
    client = login(city.operator)
    assert case.reference in client.get("/desk/").content.decode()

    client.post(f"/callbacks/{task.id}/", {"outcome": "Објашњено где се подноси захтев."})

    task.refresh_from_db()
    assert task.state == CallbackTask.State.DONE and task.done_by == city.operator
    assert CaseEvent.objects.get(case=case, kind=EventKind.CALLBACK).is_public
    page = client.get("/desk/").content.decode()
    callbacks = page.split("Citizens to call back")[1].split("My cases")[0]
    assert case.reference not in callbacks


def test_an_overdue_case_transferred_starts_over_at_the_new_body(calendars, city, register):
    with clock.frozen_at(MONDAY_3PM):
        case = register()
    late = MONDAY_3PM + timedelta(days=30)
    with clock.frozen_at(late):
        deadline_services.deadline_sweep()
        case_transfer(case=case, to=city.water, actor=city.operator, reason="ВиК је надлежан")
    assert CaseDeadline.objects.get(case=case).overdue_since is None
    assert due_of(case) == late + timedelta(hours=48)

    with clock.frozen_at(late + timedelta(hours=49)):
        assert deadline_services.deadline_sweep().escalations == 1
    assert CaseEvent.objects.filter(case=case, kind=EventKind.OVERDUE).count() == 2
