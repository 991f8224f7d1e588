"""Queries behind the supervisor's map. Every one starts from `cases.selectors.case_list`,
so the map holds exactly the cases the supervisor's list holds: one scoping, not two."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, FloatField, Q, QuerySet
from django.db.models.functions import Cast

from civicline.cases.models import OPEN_STATUSES, Case, Status
from civicline.cases.selectors import CaseFilters, case_list
from civicline.directory.selectors import StaffProfile

# A browser draws this many points in a heat layer and clusters them without stalling an
# old municipal PC; past it the map shows the newest and says so.
MAP_POINTS_LIMIT = 20_000
OPEN = "open"  # any of the open statuses: a status filter of its own on the map

LOCATED = Q(latitude__isnull=False, longitude__isnull=False)


@dataclass(frozen=True)
class MapFilters:
    category_id: int | None = None
    date_from: date | None = None
    date_to: date | None = None
    status: str = ""  # "", OPEN or one of Status


@dataclass(frozen=True)
class MapSummary:
    total: int  # cases that match the filters
    located: int  # of them, those with a point on the map
    shown: int  # of those, the newest ones the map draws

    @property
    def capped(self) -> bool:
        return self.shown < self.located

    @property
    def without_point(self) -> int:
        return self.total - self.located


def map_cases(profile: StaffProfile, filters: MapFilters) -> QuerySet[Case]:
    """The cases the map's filters pick out of those the user may see, newest first."""
    cases = case_list(
        profile,
        CaseFilters(
            category_id=filters.category_id,
            date_from=filters.date_from,
            date_to=filters.date_to,
            status="" if filters.status == OPEN else filters.status,
        ),
    )
    if filters.status == OPEN:
        cases = cases.filter(status__in=OPEN_STATUSES)
    return cases


def map_summary(cases: QuerySet[Case], *, limit: int) -> MapSummary:
    """Both counts in one pass over the filtered range."""
    counts = cases.order_by().aggregate(total=Count("id"), located=Count("id", filter=LOCATED))
    return MapSummary(counts["total"], counts["located"], min(counts["located"], limit))


def map_points(cases: QuerySet[Case], *, limit: int) -> list[list]:
    """The newest `limit` located cases as `[lat, lng, reference, status, status label]`:
    plain rows read in one query, no model instances. The database hands over floats
    (40,000 Decimals made only to become floats cost more than the query); rounded back
    to the stored six places, as SQLite keeps them as binary floats."""
    labels = {status: str(label) for status, label in Status.choices}
    rows = cases.filter(LOCATED).values_list(
        Cast("latitude", FloatField()), Cast("longitude", FloatField()), "reference", "status"
    )
    return [
        [round(lat, 6), round(lng, 6), reference, status, labels.get(status, status)]
        for lat, lng, reference, status in rows[:limit]
    ]
