"""Cases over JSON. Same gate, same services as the pages."""

from datetime import date, datetime
from decimal import Decimal

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja import Status as HttpStatus
from ninja.errors import HttpError

from civicline.cases import selectors, services
from civicline.cases.access import can_see_reporter, case_for_user, move_forbidden
from civicline.cases.models import DESCRIPTION_MAX, Case, Status
from civicline.directory.models import Area, Category
from civicline.directory.selectors import staff_profile

router = Router(tags=["cases"])
PAGE_SIZE = 50


class ErrorOut(Schema):
    """Every refusal: a sentence in the user's language; a refused case's fields in
    `errors`; a request that does not fit the schema lists its problems in `detail`."""

    detail: str | list[dict]
    errors: dict[str, list[str]] | None = None


ERRORS = {code: ErrorOut for code in (400, 401, 403, 404, 422)}


class ReporterOut(Schema):
    name: str
    phone: str
    email: str
    language: str
    consent_to_contact: bool


class CaseOut(Schema):
    reference: str
    kind: str
    channel: str
    status: str
    category: str
    organisation: str
    description: str
    address: str
    latitude: Decimal | None
    longitude: Decimal | None
    created_at: datetime
    updated_at: datetime


class EventOut(Schema):
    at: datetime
    kind: str
    status: str
    old_value: str
    new_value: str
    note: str
    is_public: bool


class CaseDetail(CaseOut):
    reporter: ReporterOut | None = None
    events: list[EventOut]


class CasePage(Schema):
    page: int
    has_next: bool
    items: list[CaseOut]


class CaseFilterIn(Schema):
    status: Status | None = None
    organisation: int | None = None
    category: str | None = None
    kind: str | None = None
    channel: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    page: int = Field(1, ge=1, le=100_000)


class ReporterIn(Schema):
    name: str = Field("", max_length=200)
    phone: str = Field("", max_length=40)
    email: str = Field("", max_length=254)
    language: str = "sr"
    consent_to_contact: bool = False


class CaseIn(Schema):
    kind: str
    channel: str = "phone"
    category: str = Field(..., description="category code")
    description: str = Field(..., max_length=DESCRIPTION_MAX)
    address: str = Field("", max_length=300)
    area: str | None = Field(None, description="area code")
    latitude: Decimal | None = Field(None, ge=-90, le=90)
    longitude: Decimal | None = Field(None, ge=-180, le=180)
    reporter: ReporterIn | None = None
    answer: str = Field("", max_length=DESCRIPTION_MAX)
    answers: dict[str, list[str]] = Field(
        default_factory=dict, description="the category's extra questions, by question code"
    )


class StatusIn(Schema):
    status: Status
    note: str = Field("", max_length=DESCRIPTION_MAX)


_CASE_FIELDS = [f for f in CaseOut.model_fields if f not in ("category", "organisation")]


def _summary(case: Case) -> dict:
    data = {name: getattr(case, name) for name in _CASE_FIELDS}
    data.update(category=case.category.code, organisation=case.organisation.name)
    return data


def _detail(request, case: Case) -> dict:
    data = _summary(case)
    data["events"] = list(selectors.case_timeline(case))
    if can_see_reporter(staff_profile(request.user)) and case.reporter_id:
        data["reporter"] = case.reporter
    return data


@router.get("", response={200: CasePage, **ERRORS})
def list_cases(request, filters: Query[CaseFilterIn]):
    profile = staff_profile(request.user)
    category_id = None
    if filters.category:
        category_id = get_object_or_404(Category, code=filters.category).id
    cases = selectors.case_list(
        profile,
        selectors.CaseFilters(
            status=filters.status or "",
            organisation_id=filters.organisation,
            category_id=category_id,
            kind=filters.kind or "",
            channel=filters.channel or "",
            date_from=filters.date_from,
            date_to=filters.date_to,
        ),
    )
    page = selectors.page_of(cases, filters.page, size=PAGE_SIZE)
    return {
        "page": page.number,
        "has_next": page.has_next,
        "items": [_summary(case) for case in page.items],
    }


@router.get("/{reference}", response={200: CaseDetail, **ERRORS})
def get_case(request, reference: str):
    return _detail(request, case_for_user(staff_profile(request.user), reference))


@router.post("", response={201: CaseDetail, **ERRORS})
def register_case(request, payload: CaseIn):
    profile = staff_profile(request.user)
    if not profile.is_contact_center:
        raise HttpError(403, _("Only the contact center registers cases."))
    category = Category.objects.filter(code=payload.category, is_active=True).first()
    if category is None:
        raise HttpError(400, _("Choose a category from the list."))
    area = None
    if payload.area:
        area = Area.objects.filter(code=payload.area).first()
        if area is None:
            raise HttpError(400, _("Choose an area from the list."))
    reporter = payload.reporter or ReporterIn()
    case = services.case_intake(
        reporter=services.ReporterDetails(**reporter.model_dump()),
        actor=request.user,
        kind=payload.kind,
        channel=payload.channel,
        category=category,
        description=payload.description,
        address=payload.address,
        area=area,
        latitude=payload.latitude,
        longitude=payload.longitude,
        answer=payload.answer,
        answers=payload.answers,
    )
    return HttpStatus(201, _detail(request, case))


@router.post("/{reference}/status", response={200: CaseDetail, **ERRORS})
def change_status(request, reference: str, payload: StatusIn):
    profile = staff_profile(request.user)
    case = case_for_user(profile, reference)
    if move_forbidden(profile, case, payload.status):
        raise HttpError(
            403, _("You may not move this case to “%(s)s”.") % {"s": payload.status.label}
        )
    case = services.case_change_status(
        case=case, to=payload.status, actor=request.user, note=payload.note
    )
    return _detail(request, case)
