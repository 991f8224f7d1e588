"""Queries over cases. Lists select their related rows up front: one query per page, not
one per row."""

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from civicline.cases.access import cases_visible_to
from civicline.cases.models import OPEN_STATUSES, Case, CaseEvent, Reporter, Status
from civicline.directory.models import CaseKind, Category, Organisation
from civicline.directory.selectors import StaffProfile

LIST_RELATED = ("category", "organisation", "area", "deadline")


@dataclass(frozen=True)
class CaseFilters:
    status: str = ""
    organisation_id: int | None = None
    category_id: int | None = None
    kind: str = ""
    channel: str = ""
    date_from: date | None = None
    date_to: date | None = None
    reference: str = ""
    overdue: bool = False


def day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def case_list(profile: StaffProfile, filters: CaseFilters) -> QuerySet[Case]:
    cases = cases_visible_to(profile)
    if filters.reference:
        cases = cases.filter(reference=filters.reference.strip())
    if filters.overdue:
        cases = cases.filter(deadline__overdue_since__isnull=False, status__in=OPEN_STATUSES)
    if filters.status:
        cases = cases.filter(status=filters.status)
    if filters.organisation_id:
        cases = cases.filter(organisation_id=filters.organisation_id)
    if filters.category_id:
        cases = cases.filter(category_id=filters.category_id)
    if filters.kind:
        cases = cases.filter(kind=filters.kind)
    if filters.channel:
        cases = cases.filter(channel=filters.channel)
    if filters.date_from:
        cases = cases.filter(created_at__gte=day_start(filters.date_from))
    if filters.date_to:
        cases = cases.filter(created_at__lt=day_start(filters.date_to + timedelta(days=1)))
    return cases.select_related(*LIST_RELATED).order_by("-created_at", "-id")


@dataclass(frozen=True)
class Page:
    """One page of a list, without counting the whole list: the cost of a page stays the
    same however many cases the city has."""

    items: list
    number: int
    has_previous: bool
    has_next: bool


def page_of(queryset: QuerySet, number: int, *, size: int) -> Page:
    number = max(1, number)
    rows = list(queryset[(number - 1) * size : number * size + 1])
    return Page(rows[:size], number, number > 1, len(rows) > size)


def page_number(raw: str | None) -> int:
    return int(raw) if raw and raw.isdigit() and 0 < int(raw) < 100_000 else 1


FINAL_STATUSES = (Status.RESOLVED, Status.CLOSED, Status.CANCELLED)
COUNT_WINDOW = timedelta(days=30)


def _by(cases: QuerySet[Case], field: str) -> dict:
    return dict(cases.order_by().values_list(field).annotate(n=Count("id")))


def status_counts(cases: QuerySet[Case], *, since: datetime) -> list[dict]:
    """Open cases in each status (the workload, however old), and the cases registered
    since `since` that are now resolved, closed or cancelled. Both read an index range
    that grows with the workload and the window, not with the years of history."""
    found = _by(cases.filter(status__in=OPEN_STATUSES), "status")
    found.update(_by(cases.filter(status__in=FINAL_STATUSES, created_at__gte=since), "status"))
    return [
        {"status": status, "label": label, "n": found.get(status, 0)}
        for status, label in Status.choices
    ]


def organisation_counts(cases: QuerySet[Case], *, since: datetime) -> list[dict]:
    """Per organisation: open cases now and cases registered since `since`, busiest first."""
    open_cases = _by(cases.filter(status__in=OPEN_STATUSES), "organisation_id")
    new_cases = _by(cases.filter(created_at__gte=since), "organisation_id")
    names = Organisation.objects.in_bulk(set(open_cases) | set(new_cases))
    rows = [
        {"id": org_id, "name": org.name, "open": open_cases.get(org_id, 0),
         "new": new_cases.get(org_id, 0)}
        for org_id, org in names.items()
    ]  # fmt: skip
    return sorted(rows, key=lambda r: (-r["open"], -r["new"], r["name"]))


def workstation_cases(profile: StaffProfile, *, order: str) -> QuerySet[Case]:
    """An officer's open cases: the oldest first (work the queue) or the newest first."""
    cases = cases_visible_to(profile).filter(status__in=OPEN_STATUSES)
    ordering = ("created_at", "id") if order == "oldest" else ("-created_at", "-id")
    return cases.select_related(*LIST_RELATED).order_by(*ordering)


def cases_registered_by(user, *, limit: int = 50) -> QuerySet[Case]:
    return (
        Case.objects.filter(registered_by=user)
        .select_related(*LIST_RELATED)
        .order_by("-created_at", "-id")[:limit]
    )


def caller_history(phone_e164: str, *, limit: int = 20) -> tuple[Reporter | None, list[Case]]:
    """The citizen calling from this number and their latest cases, open ones first."""
    reporter = Reporter.objects.filter(phone=phone_e164).order_by("id").first()
    if reporter is None:
        return None, []
    cases = list(
        Case.objects.filter(reporter=reporter)
        .select_related(*LIST_RELATED)
        .order_by("-created_at", "-id")[:limit]
    )
    cases.sort(key=lambda c: not c.is_open)
    return reporter, cases


def case_timeline(case: Case) -> QuerySet[CaseEvent]:
    return case.events.select_related("actor").order_by("at", "id")


LIVE_FIELDS = ("id", "case__reference", "kind", "status", "organisation_id")


def live_changes(*, after_id: int, also_ids: Iterable[int] = (), limit: int = 500) -> list[dict]:
    """Events after `after_id` (plus the listed ids that were not committed yet when last
    looked at), as the few fields the live view sends."""
    scope = Q(id__gt=after_id)
    if also_ids:
        scope |= Q(id__in=list(also_ids))
    return list(CaseEvent.objects.filter(scope).order_by("id").values(*LIVE_FIELDS)[:limit])


def live_changes_for(profile: StaffProfile, *, after_id: int, limit: int = 500) -> list[dict]:
    """What a reconnecting page missed: events after `after_id` that this user may see."""
    events = CaseEvent.objects.filter(id__gt=after_id)
    if not profile.is_contact_center:
        events = events.filter(organisation_id__in=profile.organisation_ids or [0])
    return list(events.order_by("id").values(*LIVE_FIELDS)[:limit])


def latest_event_id() -> int:
    return CaseEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0


EARTH_RADIUS_M = 6_371_000


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine); within a city its error is centimetres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(a))


def cases_near(
    cases: QuerySet[Case], *, latitude: Decimal, longitude: Decimal, radius_m: int, scan: int = 200
) -> list[tuple[Case, float]]:
    """The cases of `cases` within `radius_m` of the point, nearest first, with their
    distance in metres: a bounding box the indexes narrow, then the exact distance of at
    most `scan` cases in it."""
    lat, lon = float(latitude), float(longitude)
    dlat = radius_m / 111_320
    dlon = dlat / max(math.cos(math.radians(lat)), 0.01)

    def bounds(centre: float, half: float) -> tuple[Decimal, Decimal]:
        return Decimal(f"{centre - half:.6f}"), Decimal(f"{centre + half:.6f}")

    box = cases.filter(
        latitude__range=bounds(lat, dlat), longitude__range=bounds(lon, dlon)
    ).select_related("category")[:scan]
    found = [(c, distance_m(lat, lon, float(c.latitude), float(c.longitude))) for c in box]
    return sorted((pair for pair in found if pair[1] <= radius_m), key=lambda pair: pair[1])


def nearby_open(
    *, category_id: int, latitude: Decimal, longitude: Decimal, radius_m: int = 150, limit: int = 5
) -> list[tuple[Case, int]]:
    """Open cases of the category within `radius_m` of the point, nearest first, with their
    distance in metres: the "is this it?" a citizen sees before reporting again."""
    cases = Case.objects.filter(category_id=category_id, status__in=OPEN_STATUSES)
    near = cases_near(cases, latitude=latitude, longitude=longitude, radius_m=radius_m)
    return [(case, round(metres)) for case, metres in near[:limit]]


def public_case_filter(prefix: str = "") -> Q:
    """What may be published (the portal, Open311): problems citizens report, never
    information requests, which can be about a caller's private life. Written as what to
    leave out, so a list still walks the cases by date (an IN list of every reportable
    category makes SQLite sort them all instead)."""
    private = [category.id for category in Category.objects.all() if not category.citizen_kind]
    hidden = Q(**{f"{prefix}kind": CaseKind.INFORMATION})
    if private:
        hidden |= Q(**{f"{prefix}category_id__in": private})
    return ~hidden


def public_cases() -> QuerySet[Case]:
    return Case.objects.filter(public_case_filter())
