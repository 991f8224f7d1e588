"""The state machine, transition by transition."""

import itertools

import pytest
from django.core.exceptions import ValidationError

from civicline.cases import services
from civicline.cases.models import CaseEvent, EventKind, Status
from civicline.cases.workflow import TRANSITIONS

PATH = [Status.REGISTERED, Status.ASSIGNED, Status.IN_PROGRESS, Status.RESOLVED, Status.CLOSED]
LEGAL = {
    (Status.REGISTERED, Status.ASSIGNED),
    (Status.ASSIGNED, Status.IN_PROGRESS),
    (Status.IN_PROGRESS, Status.RESOLVED),
    (Status.RESOLVED, Status.CLOSED),
    (Status.RESOLVED, Status.IN_PROGRESS),
    (Status.REGISTERED, Status.CANCELLED),
    (Status.ASSIGNED, Status.CANCELLED),
    (Status.IN_PROGRESS, Status.CANCELLED),
}


def bring_to(case, status, actor):
    """Walk a fresh case along the main path (or cancel it) until it is in `status`."""
    if status == Status.CANCELLED:
        return services.case_change_status(case=case, to=status, actor=actor, note="дупликат")
    for step in PATH[1 : PATH.index(status) + 1]:
        case = services.case_change_status(case=case, to=step, actor=actor, note="урађено")
    return case


def test_the_machine_is_exactly_the_documented_one():
    assert {(a, b) for a, targets in TRANSITIONS.items() for b in targets} == LEGAL


@pytest.mark.parametrize(("current", "target"), sorted(LEGAL))
def test_it_allows_a_legal_transition_and_records_one_event(city, register, current, target):
    case = bring_to(register(), current, city.supervisor)
    before = CaseEvent.objects.filter(case=case).count()

    case = services.case_change_status(case=case, to=target, actor=city.supervisor, note="зато")

    case.refresh_from_db()
    assert case.status == target
    events = CaseEvent.objects.filter(case=case).order_by("id")
    assert events.count() == before + 1
    last = events.last()
    assert (last.kind, last.old_value, last.new_value) == (
        EventKind.STATUS_CHANGED,
        current,
        target,
    )
    assert last.actor == city.supervisor and last.status == target


ILLEGAL = sorted(
    (a, b) for a, b in itertools.product(Status.values, Status.values) if (a, b) not in LEGAL
)


@pytest.mark.parametrize(("current", "target"), ILLEGAL)
def test_it_refuses_an_illegal_transition_and_changes_nothing(city, register, current, target):
    case = bring_to(register(), current, city.supervisor)
    events = CaseEvent.objects.filter(case=case).count()

    with pytest.raises(ValidationError) as refused:
        services.case_change_status(case=case, to=target, actor=city.supervisor, note="x")

    assert "cannot become" in str(refused.value)
    case.refresh_from_db()
    assert case.status == current
    assert CaseEvent.objects.filter(case=case).count() == events


def test_it_refuses_a_status_that_does_not_exist(city, register):
    case = register()
    with pytest.raises(ValidationError, match="is not a status"):
        services.case_change_status(case=case, to="approved", actor=city.supervisor)
    case.refresh_from_db()
    assert case.status == Status.REGISTERED


@pytest.mark.parametrize(
    ("current", "target"),
    [
        (Status.IN_PROGRESS, Status.RESOLVED),
        (Status.RESOLVED, Status.IN_PROGRESS),
        (Status.REGISTERED, Status.CANCELLED),
    ],
)
def test_resolving_reopening_and_cancelling_need_a_note(city, register, current, target):
    case = bring_to(register(), current, city.supervisor)
    with pytest.raises(ValidationError, match="needs a note"):
        services.case_change_status(case=case, to=target, actor=city.supervisor, note="  ")
    case.refresh_from_db()
    assert case.status == current


def test_the_resolution_note_is_public_and_the_reopen_reason_internal(city, register):
    case = bring_to(register(), Status.IN_PROGRESS, city.supervisor)
    services.case_change_status(
        case=case, to=Status.RESOLVED, actor=city.supervisor, note="Замењена сијалица."
    )
    services.case_change_status(
        case=case, to=Status.IN_PROGRESS, actor=city.operator, note="Грађанин: и даље не ради."
    )
    resolved, reopened = CaseEvent.objects.filter(case=case).order_by("-id")[:2][::-1]
    assert resolved.is_public and resolved.note == "Замењена сијалица."
    assert not reopened.is_public


def test_accepting_assigns_the_case_to_the_officer(city, register):
    case = services.case_change_status(
        case=register(), to=Status.ASSIGNED, actor=city.lighting_officer
    )
    assert case.assignee == city.lighting_officer
