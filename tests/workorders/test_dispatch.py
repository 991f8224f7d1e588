"""A supervisor or the competent body's officer sends a case to one of the body's teams."""

import pytest
from django.core.exceptions import ValidationError

from civicline.cases.models import EventKind
from civicline.workorders.models import WorkOrder, WorkOrderState
from civicline.workorders.services import workorder_dispatch


def test_it_sends_a_case_to_a_team_of_the_competent_body_or_its_departments(city, teams, register):
    case = register(city.water_pipe)

    order = workorder_dispatch(
        case=case, team=teams.sewer, kind="inspect", instructions="Look at it.", by=city.supervisor
    )

    assert order.state == WorkOrderState.SENT and order.case == case
    note = case.events.filter(kind=EventKind.NOTE).last()
    assert "Sewer crew" in note.note and not note.is_public


def test_it_refuses_a_team_of_another_organisation(city, teams, register):
    case = register(city.water_pipe)

    with pytest.raises(ValidationError) as error:
        workorder_dispatch(
            case=case, team=teams.lighting, kind="fix", instructions="", by=city.supervisor
        )

    assert "is not a team of" in str(error.value)
    assert not WorkOrder.objects.exists()
    assert not case.events.filter(kind=EventKind.NOTE).exists()


def test_a_case_may_have_several_work_orders(city, teams, register):
    case = register(city.water_pipe)
    for kind in ("inspect", "fix"):
        workorder_dispatch(case=case, team=teams.water, kind=kind, instructions="", by=None)
    assert [o.kind for o in case.work_orders.all()] == ["inspect", "fix"]


def test_the_officer_sends_it_from_the_case_page(city, teams, register, login):
    case = register(city.water_pipe)
    officer = login(city.water_officer)

    page = officer.get(f"/cases/{case.reference}/").content.decode()
    assert "Send a work order" in page
    assert "Water crew" in page and "Lighting crew" not in page

    response = officer.post(
        f"/cases/{case.reference}/dispatch/",
        {"to": f"team:{teams.water.pk}", "kind": "fix", "instructions": "Close the valve."},
    )

    assert response.status_code == 302
    [order] = case.work_orders.all()
    assert order.team == teams.water and order.created_by == city.water_officer
    assert "Water crew" in officer.get(f"/cases/{case.reference}/").content.decode()


def test_another_organisations_team_is_refused_on_the_page(city, teams, register, login):
    case = register(city.water_pipe)
    supervisor = login(city.supervisor)

    response = supervisor.post(
        f"/cases/{case.reference}/dispatch/",
        {"to": f"team:{teams.lighting.pk}", "kind": "fix", "instructions": ""},
    )

    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert not WorkOrder.objects.exists()


def test_officers_of_other_bodies_and_operators_cannot_send(city, teams, register, login):
    case = register(city.water_pipe)
    data = {"to": f"team:{teams.water.pk}", "kind": "fix"}

    assert login(city.lighting_officer).post(
        f"/cases/{case.reference}/dispatch/", data
    ).status_code == 404  # fmt: skip
    assert login(city.operator).post(
        f"/cases/{case.reference}/dispatch/", data
    ).status_code == 403  # fmt: skip
    assert not WorkOrder.objects.exists()


def test_the_engineer_keeps_teams_in_the_admin_and_reads_orders_there(city, water_order, login):
    order = water_order()
    admin = login(city.admin)
    team_page = admin.get(f"/admin/workorders/fieldteam/{order.team.pk}/change/")
    assert team_page.status_code == 200 and "selectfilter" in team_page.content.decode().lower()
    assert admin.get("/admin/workorders/workorder/").status_code == 200
    assert admin.get("/admin/workorders/workorder/add/").status_code == 403


def test_the_utilitys_own_crew_serves_its_departments_cases(city, teams, register):
    blocked = register(city.sewer_block)  # worked by the sewer department of the water utility
    order = workorder_dispatch(
        case=blocked, team=teams.water, kind="inspect", instructions="Look.", by=city.supervisor
    )
    assert order.team == teams.water
