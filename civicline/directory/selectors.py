"""Read-side queries of the directory: who a user is, and what they may see."""

import logging
import math
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import QuerySet

from civicline.directory import geo
from civicline.directory.models import (
    CONTACT_CENTER_ROLES,
    Area,
    Category,
    Membership,
    Organisation,
    Role,
)
from civicline.searchtext import normalise

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class StaffProfile:
    """The roles a user holds, computed once per request."""

    roles: frozenset[str] = frozenset()
    # Organisations the user's officer/field-worker roles cover, departments included.
    organisation_ids: frozenset[int] = field(default_factory=frozenset)
    is_admin: bool = False

    @property
    def is_contact_center(self) -> bool:
        return self.is_admin or bool(self.roles & CONTACT_CENTER_ROLES)

    @property
    def is_supervisor(self) -> bool:
        return self.is_admin or bool(self.roles & {Role.SUPERVISOR, Role.SYSTEM_ENGINEER})

    @property
    def is_operator(self) -> bool:
        return Role.OPERATOR in self.roles

    @property
    def is_officer(self) -> bool:
        """Officers and heads work their bodies' cases."""
        return bool(self.roles & {Role.OFFICER, Role.HEAD})

    @property
    def is_field_worker(self) -> bool:
        return Role.FIELD_WORKER in self.roles

    @property
    def is_staff_member(self) -> bool:
        return self.is_admin or bool(self.roles)


def _with_departments(root_ids: set[int]) -> set[int]:
    """The given organisations and every department below them."""
    found = set(root_ids)
    frontier = set(root_ids)
    while frontier:
        frontier = set(
            Organisation.objects.filter(parent_id__in=frontier)
            .exclude(id__in=found)
            .values_list("id", flat=True)
        )
        found |= frontier
    return found


def staff_profile(user: AbstractBaseUser | AnonymousUser) -> StaffProfile:
    if not user.is_authenticated or not user.is_active:
        return StaffProfile()
    rows = list(Membership.objects.filter(user=user).values_list("role", "organisation_id"))
    roles = frozenset(role for role, _ in rows)
    body_ids = {org for role, org in rows if role in (Role.OFFICER, Role.HEAD, Role.FIELD_WORKER)}
    return StaffProfile(
        roles=roles,
        organisation_ids=frozenset(_with_departments(body_ids)),
        is_admin=user.is_superuser,
    )


def category_search(query: str, *, kind: str | None = None) -> QuerySet[Category]:
    """Active categories whose name in any language contains every word typed."""
    categories = Category.objects.filter(is_active=True)
    for word in normalise(query).split():
        categories = categories.filter(search_text__contains=word)
    if kind:
        # JSON containment is not portable to SQLite; the catalogue is small.
        ids = [c.id for c in categories if kind in c.allowed_kinds]
        categories = categories.filter(id__in=ids)
    return categories.select_related("default_organisation")


def reportable_categories() -> list[Category]:
    """What citizens can report themselves (the portal, Open311): active categories that
    take more than information requests."""
    active = Category.objects.filter(is_active=True).select_related("default_organisation")
    return [category for category in active if category.citizen_kind]


def area_at(latitude: Decimal | float | str, longitude: Decimal | float | str) -> Area | None:
    """The area a point lies in: the smallest one whose boundary holds it (a local community
    rather than the district around it), its border included; None outside every boundary.

    The boundaries are read afresh on each call, so an area edited in the admin counts at
    once in every process (nothing is cached). See `directory.geo` for the rules."""
    try:
        lat, lon = float(latitude), float(longitude)
    except (TypeError, ValueError):
        return None
    if not (math.isfinite(lat) and math.isfinite(lon)):
        return None
    shapes = []
    for area_id, boundary in (
        Area.objects.filter(boundary__isnull=False).order_by("id").values_list("id", "boundary")
    ):
        try:
            found = geo.shape(area_id, boundary)
        except (TypeError, ValueError, IndexError, KeyError, AttributeError):
            found = None  # a boundary written around the admin's checks is skipped
        if found:
            shapes.append(found)
    try:
        area_id = geo.smallest_containing(shapes, lon, lat)
    except (TypeError, ValueError, IndexError, KeyError, AttributeError, ZeroDivisionError):
        logger.exception("An area boundary could not be read; no area was chosen.")
        return None
    return Area.objects.filter(id=area_id).first() if area_id is not None else None
