"""Read-side queries of the directory: who a user is, and what they may see."""

from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import QuerySet

from civicline.directory.models import (
    CONTACT_CENTER_ROLES,
    Category,
    Membership,
    Organisation,
    Role,
)
from civicline.searchtext import normalise


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
