"""The public map and list of reported problems (FixMyStreet's "all reports"): open cases
and those resolved or closed in the last 30 days, by category and area.

Only cases of categories citizens can report appear, never information requests (which can
be about people's private lives), cancelled cases, the reporter or the tracking code."""

from dataclasses import dataclass
from datetime import timedelta

from django import forms
from django.db.models import FloatField, Prefetch, Q, QuerySet
from django.db.models.functions import Cast
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from civicline import clock
from civicline.cases.models import OPEN_STATUSES, Case, Photo, Status
from civicline.cases.selectors import page_number, page_of, public_cases
from civicline.directory.models import Area, Category
from civicline.directory.selectors import reportable_categories
from civicline.maps import map_settings
from civicline.portal import selectors
from civicline.portal.forms import CategoryChoiceField

RECENT = timedelta(days=30)
PAGE_SIZE = 50
FEED_LIMIT = 5000
CLOSED_STATUSES = (Status.RESOLVED, Status.CLOSED)

OPEN, RECENTLY_CLOSED, BOTH = "open", "closed", "all"


@dataclass(frozen=True)
class ProblemFilters:
    category_id: int | None = None
    area_id: int | None = None
    status: str = BOTH


def _public_cases() -> QuerySet[Case]:
    """Every case the public may read about, whatever its age, less the cancelled ones and
    those merged into another case (the map shows one pin per problem)."""
    return public_cases().exclude(status=Status.CANCELLED).filter(duplicate_of__isnull=True)


def problems(filters: ProblemFilters) -> QuerySet[Case]:
    """The reported problems the filters ask for, newest first. A case counts as recently
    closed while its last change (the resolution or closing) is under 30 days old."""
    # As a subquery, the few recently closed cases are found by the updated_at index, not
    # by scanning every case ever closed.
    recent = Q(
        id__in=Case.objects.filter(
            status__in=CLOSED_STATUSES, updated_at__gte=clock.now() - RECENT
        ).values("id")
    )
    wanted = {OPEN: Q(status__in=OPEN_STATUSES), RECENTLY_CLOSED: recent}.get(
        filters.status, Q(status__in=OPEN_STATUSES) | recent
    )
    cases = _public_cases().filter(wanted)
    if filters.category_id is not None:
        cases = cases.filter(category_id=filters.category_id)
    if filters.area_id is not None:
        cases = cases.filter(area_id=filters.area_id)
    return cases.order_by("-created_at", "-id")


def problem(reference: str) -> Case | None:
    """One reported problem, for its public page."""
    return (
        _public_cases()
        .select_related("category", "area", "organisation")
        .filter(reference=reference)
        .first()
    )


class ProblemFilterForm(forms.Form):
    category = CategoryChoiceField(
        label=_("Problem"),
        queryset=Category.objects.none(),
        to_field_name="code",
        required=False,
        empty_label=_("All problems"),
        error_messages={"invalid_choice": _("Choose a category from the list.")},
    )
    area = forms.ModelChoiceField(
        label=_("Area"),
        queryset=Area.objects.all(),
        to_field_name="code",
        required=False,
        empty_label=_("All areas"),
        error_messages={"invalid_choice": _("Choose an area from the list.")},
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[
            (BOTH, _("Open and recently closed")),
            (OPEN, _("Open")),
            (RECENTLY_CLOSED, _("Closed in the last 30 days")),
        ],
        required=False,
        error_messages={"invalid_choice": _("Choose a status from the list.")},
    )

    def __init__(self, data, categories: list[Category]):
        super().__init__(data)
        self.categories = categories
        self.fields["category"].queryset = Category.objects.filter(
            id__in=[category.id for category in categories]
        ).order_by("name_sr")

    def filters(self) -> ProblemFilters:
        data = self.cleaned_data
        return ProblemFilters(
            category_id=data["category"].id if data.get("category") else None,
            area_id=data["area"].id if data.get("area") else None,
            status=data.get("status") or BOTH,
        )


def _form(request: HttpRequest) -> ProblemFilterForm:
    params = {key: request.GET.get(key, "") for key in ("category", "area", "status")}
    return ProblemFilterForm(params, reportable_categories())


def _query(form: ProblemFilterForm) -> str:
    """The filters as a query string, for the feed and the pages' links."""
    return urlencode({k: v for k, v in form.data.items() if v})


@require_GET
def problem_list(request: HttpRequest) -> HttpResponse:
    form = _form(request)
    page = None
    if form.is_valid():
        cases = problems(form.filters()).select_related("category", "area")
        photos = Prefetch(
            "photos", queryset=Photo.objects.filter(is_public=True), to_attr="public_photos"
        )
        page = page_of(
            cases.prefetch_related(photos), page_number(request.GET.get("page")), size=PAGE_SIZE
        )
        for case in page.items:
            case.public_status = selectors.PUBLIC_STATUS[case.status]
    query = _query(form) if page else ""
    context = {
        "form": form,
        "page": page,
        "query": query,
        "feed": reverse("portal-problems-geojson") + (f"?{query}" if query else ""),
        "map": map_settings(),
    }
    return render(request, "portal/problems.html", context, status=200 if page else 400)


@require_GET
def problem_feed(request: HttpRequest) -> HttpResponse:
    """The filtered problems that have a pin, as GeoJSON for the map: one query, no models."""
    form = _form(request)
    if not form.is_valid():
        errors = {field: [str(e) for e in errs] for field, errs in form.errors.items()}
        return JsonResponse({"errors": errors}, status=400)
    # Every category, not only today's reportable ones: a retired category's cases remain.
    names = {category.id: category.name for category in Category.objects.all()}
    rows = (
        problems(form.filters())
        .filter(latitude__isnull=False, longitude__isnull=False)
        .values_list(
            "reference",
            "category_id",
            "status",
            "created_at",
            Cast("latitude", FloatField()),
            Cast("longitude", FloatField()),
        )
    )[:FEED_LIMIT]
    # One reverse() for all: the reference goes where the placeholder is.
    url = reverse("portal-problem", kwargs={"reference": "REFERENCE"})
    labels = {status: str(label) for status, label in selectors.PUBLIC_STATUS.items()}
    zone = timezone.get_current_timezone()
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [longitude, latitude]},
            "properties": {
                "reference": reference,
                "category": names[category_id],
                "status": status,
                "status_label": labels[status],
                "date": created_at.astimezone(zone).isoformat(timespec="seconds"),
                "url": url.replace("REFERENCE", reference),
            },
        }
        for reference, category_id, status, created_at, latitude, longitude in rows
    ]
    return JsonResponse(
        {"type": "FeatureCollection", "features": features},
        content_type="application/geo+json; charset=utf-8",
        json_dumps_params={"ensure_ascii": False, "separators": (",", ":")},
    )


@require_GET
def problem_detail(request: HttpRequest, reference: str) -> HttpResponse:
    case = problem(reference)
    if case is None:
        raise Http404("No such reported problem")
    context = {
        "case": case,
        **selectors.public_facts(case),
        "map": map_settings(),
    }
    return render(request, "portal/problem.html", context)
