"""Open311 reads. No reporter field is ever selected here: GETs are public."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Prefetch, Q, QuerySet

from civicline import clock
from civicline.cases.models import OPEN_STATUSES, Case, CaseEvent, EventKind, Photo
from civicline.cases.selectors import public_case_filter, public_cases
from civicline.directory.models import Category
from civicline.directory.selectors import reportable_categories

DEFAULT_WINDOW = timedelta(days=90)
MAX_PAGE_SIZE = 1000


def services() -> QuerySet[Category]:
    """What citizens can report: active categories that take more than information requests."""
    reportable = [category.id for category in reportable_categories()]
    return (
        Category.objects.filter(id__in=reportable)
        .select_related("default_organisation")
        .prefetch_related("questions__choices")
    )


def service_row(category: Category) -> dict:
    return {
        "service_code": category.code,
        "service_name": category.name,
        "description": category.name,
        "metadata": bool(category.questions.all()),
        "type": "realtime",
        "keywords": "",
        "group": category.default_organisation.name,
    }


def definition_row(category: Category) -> dict:
    return {
        "service_code": category.code,
        "attributes": [
            {
                "variable": True,
                "code": q.code,
                "datatype": q.datatype,
                "required": q.required,
                "datatype_description": q.datatype_description,
                "order": q.order,
                "description": q.description,
                "values": [{"key": c.key, "name": c.name} for c in q.choices.all()],
            }
            for q in category.questions.all()
        ],
    }


@dataclass(frozen=True)
class RequestFilters:
    ids: tuple[str, ...] = ()
    service_codes: tuple[str, ...] = ()
    start: datetime | None = None
    end: datetime | None = None
    status: str = ""
    updated_after: datetime | None = None
    updated_before: datetime | None = None
    page: int = 1
    page_size: int = MAX_PAGE_SIZE


def _public_notes() -> Prefetch:
    return Prefetch(
        "events",
        queryset=CaseEvent.objects.filter(is_public=True).exclude(note="").order_by("at", "id"),
        to_attr="public_events",
    )


def _public_photos() -> Prefetch:
    return Prefetch(
        "photos", queryset=Photo.objects.filter(is_public=True), to_attr="public_photos"
    )


def requests(filters: RequestFilters) -> list[Case]:
    cases = public_cases().select_related(
        "category", "organisation", "deadline", "area", "duplicate_of"
    )
    if filters.ids:
        cases = cases.filter(reference__in=filters.ids)
    else:
        start = filters.start or (filters.end or clock.now()) - DEFAULT_WINDOW
        cases = cases.filter(created_at__gte=start)
        if filters.end:
            cases = cases.filter(created_at__lte=filters.end)
        if filters.service_codes:
            cases = cases.filter(category__code__in=filters.service_codes)
        if filters.status == "open":
            cases = cases.filter(status__in=OPEN_STATUSES)
        elif filters.status == "closed":
            cases = cases.exclude(status__in=OPEN_STATUSES)
        if filters.updated_after:
            cases = cases.filter(updated_at__gt=filters.updated_after)
        if filters.updated_before:
            cases = cases.filter(updated_at__lt=filters.updated_before)
    offset = (filters.page - 1) * filters.page_size
    page = cases.order_by("-created_at", "-id")[offset : offset + filters.page_size]
    return list(page.prefetch_related(_public_notes(), _public_photos()))


def request_row(case: Case, *, site: str, extensions: bool = False) -> dict:
    """One request as Open311 shows it; `site` (scheme and host) makes photo addresses whole."""
    notes = case.public_events
    photos = [p.public_path if p.external_url else site + p.public_path for p in case.public_photos]
    deadline = getattr(case, "deadline", None)
    return {
        "service_request_id": case.reference,
        "status": "open" if case.status in OPEN_STATUSES else "closed",
        "status_notes": notes[-1].note if notes else "",
        "service_name": case.category.name,
        "service_code": case.category.code,
        "description": case.description,
        "agency_responsible": case.organisation.name,
        "service_notice": "",
        "requested_datetime": case.created_at,
        "updated_datetime": case.updated_at,
        "expected_datetime": deadline.resolution_due if deadline and case.is_open else None,
        "address": case.address,
        "address_id": "",
        "zipcode": "",
        "lat": case.latitude,
        "long": case.longitude,
        "media_url": photos[0] if photos else "",
    } | ({"extended_attributes": _extended(case, notes, photos)} if extensions else {})


def _extended(case: Case, notes: list[CaseEvent], photos: list[str]) -> dict:
    """The common extensions: where the report came from and what the public was told."""
    return {
        "channel": case.channel,
        "area": case.area.name if case.area_id else "",
        "duplicate_of": case.duplicate_of.reference if case.duplicate_of_id else "",
        "photos": photos,
        "public_notes": [{"datetime": n.at, "note": n.note} for n in notes],
    }


UPDATE_LIMIT = 1000


def updates(*, start: datetime, end: datetime | None) -> list[CaseEvent]:
    """Public changes since `start` (FixMyStreet's servicerequestupdates): status changes
    and public notes, oldest first."""
    events = CaseEvent.objects.filter(public_case_filter("case__"), at__gte=start).filter(
        Q(kind=EventKind.STATUS_CHANGED) | Q(is_public=True)
    )
    if end:
        events = events.filter(at__lte=end)
    return list(events.select_related("case").order_by("at", "id")[:UPDATE_LIMIT])


def update_row(event: CaseEvent) -> dict:
    return {
        "update_id": event.id,
        "service_request_id": event.case.reference,
        "status": "open" if event.status in OPEN_STATUSES else "closed",
        "updated_datetime": event.at,
        "description": event.note if event.is_public else "",
        "media_url": "",
    }
