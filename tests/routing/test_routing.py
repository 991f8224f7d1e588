import pytest
from django.core.exceptions import ValidationError

from civicline.cases.models import CaseEvent, EventKind, Status
from civicline.routing.models import RoutingRule
from civicline.routing.selectors import competent_organisation
from civicline.routing.services import case_transfer


def test_without_rules_the_category_default_is_competent(city):
    assert competent_organisation(category=city.street_light, area=city.liman) == city.lighting


def test_the_most_specific_rule_wins(city):
    # given a rule for the area, one for the category, and one for both
    RoutingRule.objects.create(area=city.liman, organisation=city.ministry)
    RoutingRule.objects.create(category=city.street_light, organisation=city.contact_center)
    RoutingRule.objects.create(category=city.street_light, area=city.liman, organisation=city.water)

    # then category+area beats category, category beats area, area beats the default
    assert competent_organisation(category=city.street_light, area=city.liman) == city.water
    assert (
        competent_organisation(category=city.street_light, area=city.futog) == city.contact_center
    )
    assert competent_organisation(category=city.water_pipe, area=city.liman) == city.ministry
    assert competent_organisation(category=city.water_pipe, area=city.futog) == city.water
    assert competent_organisation(category=city.street_light, area=None) == city.contact_center


def test_inactive_rules_and_inactive_organisations_are_skipped(city):
    RoutingRule.objects.create(
        category=city.street_light, area=city.liman, organisation=city.water, is_active=False
    )
    city.ministry.is_active = False
    city.ministry.save()
    RoutingRule.objects.create(category=city.street_light, organisation=city.ministry)

    assert competent_organisation(category=city.street_light, area=city.liman) == city.lighting


def test_a_registered_case_is_routed_by_its_area(city, register):
    RoutingRule.objects.create(
        category=city.street_light, area=city.futog, organisation=city.contact_center
    )
    assert register(area=city.futog).organisation == city.contact_center
    assert register(area=city.liman).organisation == city.lighting


def test_a_transfer_moves_the_case_and_records_why(city, register):
    case = register()
    case = case_transfer(
        case=case, to=city.water, actor=city.lighting_officer, reason="Кабл је ВиК-ов."
    )

    assert case.organisation == city.water and case.status == Status.REGISTERED
    event = CaseEvent.objects.filter(case=case).last()
    assert (event.kind, event.old_value, event.new_value, event.note) == (
        EventKind.TRANSFERRED,
        city.lighting.name,
        city.water.name,
        "Кабл је ВиК-ов.",
    )


def test_a_transferred_case_waits_to_be_accepted_again(city, register):
    from civicline.cases.services import case_change_status

    case = case_change_status(case=register(), to=Status.ASSIGNED, actor=city.lighting_officer)
    case = case_transfer(case=case, to=city.water, actor=city.lighting_officer, reason="ВиК")
    assert case.status == Status.REGISTERED and case.assignee is None


@pytest.mark.parametrize(
    ("target", "reason", "message"),
    [("lighting", "x", "already with this organisation"), ("water", "  ", "Write why")],
)
def test_a_bad_transfer_is_refused(city, register, target, reason, message):
    case = register()
    with pytest.raises(ValidationError, match=message):
        case_transfer(case=case, to=getattr(city, target), actor=city.operator, reason=reason)
    case.refresh_from_db()
    assert case.organisation == city.lighting


def test_a_closed_case_cannot_be_transferred(city, register):
    from civicline.cases.services import case_change_status

    case = register()
    case = case_change_status(case=case, to=Status.CANCELLED, actor=city.operator, note="дупла")
    with pytest.raises(ValidationError, match="Only an open case"):
        case_transfer(case=case, to=city.water, actor=city.operator, reason="x")
