"""Read-side queries of field work: which teams may take a case, a team's route."""

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import QuerySet

from civicline.cases.models import Case
from civicline.cases.selectors import distance_m
from civicline.directory.models import Organisation
from civicline.directory.selectors import StaffProfile
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


def may_dispatch(profile: StaffProfile, case: Case) -> bool:
    """Supervisors, and officers of the competent body, send the body's teams out."""
    if profile.is_supervisor:
        return True
    return profile.is_officer and case.organisation_id in profile.organisation_ids


def is_member(order: WorkOrder, user: AbstractBaseUser) -> bool:
    return order.team.members.filter(pk=user.pk).exists()


def orders_visible_to(profile: StaffProfile, user: AbstractBaseUser) -> QuerySet[WorkOrder]:
    """A field worker sees their teams' orders; a supervisor sees every team's."""
    orders = WorkOrder.objects.select_related("case", "case__category", "team")
    if profile.is_supervisor:
        return orders
    return orders.filter(team__members=user)


def case_work_orders(case: Case) -> QuerySet[WorkOrder]:
    return case.work_orders.select_related("team", "created_by")


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


def field_routes(profile: StaffProfile, user: AbstractBaseUser) -> list[tuple[FieldTeam, list]]:
    """Each team's open orders, in route order, one entry per team."""
    by_team: dict[int, tuple[FieldTeam, list[WorkOrder]]] = {}
    for order in orders_visible_to(profile, user).filter(state__in=OPEN_STATES):
        by_team.setdefault(order.team_id, (order.team, []))[1].append(order)
    teams = sorted(by_team.values(), key=lambda pair: (pair[0].name, pair[0].id))
    return [(team, route(orders)) for team, orders in teams]
