"""Read-side queries of field work: which teams may take a case, a team's route."""

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Q, QuerySet

from civicline.cases.models import Case
from civicline.cases.selectors import distance_m
from civicline.directory.models import Organisation, OrganisationKind
from civicline.directory.selectors import StaffProfile, staff_profile
from civicline.workorders.models import OPEN_STATES, FieldTeam, WorkOrder


def bodies_serving(organisation_id: int) -> set[int]:
    """The body, the bodies above it (a utility's crews serve its departments' cases) and
    its departments."""
    found, current = {organisation_id}, Organisation.objects.filter(pk=organisation_id).first()
    while current is not None and current.parent_id and current.parent_id not in found:
        found.add(current.parent_id)
        current = current.parent
    frontier = {organisation_id}
    while frontier:
        frontier = set(
            Organisation.objects.filter(parent_id__in=frontier)
            .exclude(id__in=found)
            .values_list("id", flat=True)
        )
        found |= frontier
    return found


def teams_for_case(case: Case) -> QuerySet[FieldTeam]:
    """The teams a case may be sent to: those of its competent body, the bodies above it
    and its departments."""
    return FieldTeam.objects.filter(
        organisation_id__in=bodies_serving(case.organisation_id)
    ).select_related("organisation")


def services_for_case(case: Case) -> QuerySet[Organisation]:
    """Other bodies' services a case may be sent to as an electronic work order: the
    utilities and public companies (and their departments) that do not work it already."""
    return Organisation.objects.filter(
        kind__in=[OrganisationKind.PUBLIC_UTILITY, OrganisationKind.PUBLIC_COMPANY]
    ).exclude(id__in=bodies_serving(case.organisation_id))


def may_dispatch(profile: StaffProfile, case: Case) -> bool:
    """Supervisors, and officers of the competent body, send the body's teams out."""
    if profile.is_supervisor:
        return True
    return profile.is_officer and case.organisation_id in profile.organisation_ids


def may_work(order: WorkOrder, user: AbstractBaseUser) -> bool:
    """A team's order is worked by its members; an order sent to a service (no team) by
    that service's officers."""
    if order.team_id:
        return order.team.members.filter(pk=user.pk).exists()
    profile = staff_profile(user)
    return profile.is_officer and order.organisation_id in profile.organisation_ids


def _assigned(profile: StaffProfile, user: AbstractBaseUser) -> Q:
    """Orders the user works: their teams', and for officers the orders sent to their
    bodies' services."""
    mine = Q(team__members=user)
    if profile.is_officer:
        mine |= Q(team=None, organisation_id__in=profile.organisation_ids)
    return mine


def orders_visible_to(profile: StaffProfile, user: AbstractBaseUser) -> QuerySet[WorkOrder]:
    """A field worker sees their teams' orders; an officer those sent to their body's
    services and those sent about their body's cases; a supervisor every order."""
    orders = WorkOrder.objects.select_related("case", "case__category", "team", "organisation")
    if profile.is_supervisor:
        return orders
    mine = _assigned(profile, user)
    if profile.is_officer:
        mine |= Q(case__organisation_id__in=profile.organisation_ids)
    return orders.filter(mine).distinct()


def service_orders(profile: StaffProfile) -> QuerySet[WorkOrder]:
    """The open orders sent to the officer's bodies, oldest first: their workstation's
    list."""
    if not profile.is_officer:
        return WorkOrder.objects.none()
    return (
        WorkOrder.objects.filter(
            organisation_id__in=profile.organisation_ids, state__in=OPEN_STATES
        )
        .select_related(
            "case", "case__category", "case__area", "case__organisation", "team", "organisation"
        )
        .order_by("created_at", "id")
    )


def case_work_orders(case: Case) -> QuerySet[WorkOrder]:
    return case.work_orders.select_related("team", "organisation", "created_by")


def route(orders: list[WorkOrder]) -> list[WorkOrder]:
    """A short way round: from the first order sent with a point, always on to the
    nearest one not visited yet (nearest neighbour); orders without a point come last,
    in the order they were sent."""
    ordered = sorted(orders, key=lambda o: (o.created_at, o.id))
    placed = [o for o in ordered if o.case.latitude is not None and o.case.longitude is not None]
    unplaced = [o for o in ordered if o not in placed]
    if not placed:
        return unplaced
    path, left = [placed[0]], placed[1:]
    while left:
        here = path[-1].case
        nearest = min(
            left,
            key=lambda o: distance_m(
                float(here.latitude),
                float(here.longitude),
                float(o.case.latitude),
                float(o.case.longitude),
            ),
        )
        path.append(nearest)
        left.remove(nearest)
    return path + unplaced


def field_routes(profile: StaffProfile, user: AbstractBaseUser) -> list[tuple[object, list]]:
    """Each team's open orders in route order, one entry per team; orders sent to a
    service with no team are grouped under the service (both have a name and a phone)."""
    by_assignee: dict[tuple, tuple[object, list[WorkOrder]]] = {}
    orders = orders_visible_to(profile, user).filter(state__in=OPEN_STATES)
    if not profile.is_supervisor:
        orders = orders.filter(_assigned(profile, user))
    for order in orders:
        key = ("team", order.team_id) if order.team_id else ("service", order.organisation_id)
        by_assignee.setdefault(key, (order.team or order.organisation, []))[1].append(order)
    groups = sorted(by_assignee.items(), key=lambda item: (item[1][0].name, item[0]))
    return [(assignee, route(orders)) for _key, (assignee, orders) in groups]
