from datetime import UTC, datetime

import pytest
from django.core.exceptions import ValidationError

from civicline import clock
from civicline.cases import services
from civicline.cases.models import Case, CaseEvent, EventKind, Reporter, Status
from civicline.directory.models import CaseKind


def test_it_registers_a_case_with_a_reference_and_one_event(city, register):
    with clock.frozen_at(datetime(2026, 3, 1, 9, 0, tzinfo=UTC)):
        first, second = register(), register()

    assert first.reference == "2026-000001" and second.reference == "2026-000002"
    assert first.status == Status.REGISTERED
    assert first.organisation == city.lighting
    event = CaseEvent.objects.get(case=first)
    assert (event.kind, event.actor, event.new_value) == (
        EventKind.REGISTERED,
        city.operator,
        first.reference,
    )


def test_one_citizen_has_many_cases_found_by_phone(city, register):
    register(phone="064 123 4567")
    register(phone="+381 64 1234567")

    reporter = Reporter.objects.get()
    assert reporter.phone == "+381641234567"
    assert reporter.cases.count() == 2


def test_an_anonymous_case_has_no_reporter(city):
    case = services.case_intake(
        reporter=services.ReporterDetails(),
        actor=city.operator,
        kind=CaseKind.COMPLAINT,
        channel="walk_in",
        category=city.street_light,
        description="Не ради светло",
    )
    assert case.reporter is None
    assert Reporter.objects.count() == 0


def test_an_information_request_answered_on_the_spot_is_registered_and_resolved(city, register):
    case = register(
        city.information, kind=CaseKind.INFORMATION, answer="Радно време је 7:30–15:30."
    )

    assert case.status == Status.RESOLVED
    kinds = list(CaseEvent.objects.filter(case=case).values_list("kind", "new_value", "is_public"))
    assert kinds == [
        (EventKind.REGISTERED, case.reference, False),
        (EventKind.STATUS_CHANGED, Status.RESOLVED, True),
    ]


def test_only_information_can_be_answered_on_the_spot(city, register):
    with pytest.raises(ValidationError, match="Only an information request"):
        register(answer="Већ смо поправили.")
    assert Case.objects.count() == 0


def test_a_rejected_case_leaves_no_reporter_behind(city, register):
    with pytest.raises(ValidationError):
        register(kind=CaseKind.SUGGESTION)
    assert Case.objects.count() == 0
    assert Reporter.objects.count() == 0


def test_a_note_is_an_event(city, register):
    case = register()
    services.case_add_note(
        case=case, actor=city.lighting_officer, note="Екипа на путу.", is_public=True
    )
    event = CaseEvent.objects.filter(case=case).last()
    assert (event.kind, event.note, event.is_public) == (EventKind.NOTE, "Екипа на путу.", True)


@pytest.mark.django_db(transaction=True)
def test_operators_registering_at_once_get_distinct_references(city):
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connection

    def register_five(n):
        try:
            return [
                services.case_intake(
                    reporter=services.ReporterDetails(phone=f"+38164123456{n}"),
                    actor=city.operator,
                    kind=CaseKind.COMPLAINT,
                    channel="phone",
                    category=city.street_light,
                    description=f"позив {n}/{i}",
                ).reference
                for i in range(5)
            ]
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=4) as pool:
        references = [ref for batch in pool.map(register_five, range(4)) for ref in batch]

    assert len(set(references)) == 20
    assert Case.objects.count() == 20
