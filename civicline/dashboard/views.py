"""The supervisor's map of cases: the page with its filters, the points it draws, and the
popup of one case. Each view parses, checks access, reads one selector and renders."""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import require_GET

from civicline.cases.access import case_for_user
from civicline.cases.models import Status
from civicline.dashboard import selectors
from civicline.dashboard.forms import map_filter_form
from civicline.directory.pages import supervisors
from civicline.maps import map_settings

# Reversed once with a stand-in the map's script swaps for each case's reference.
REFERENCE_SLOT = "REFERENCE"


@supervisors
@require_GET
def case_map(request: HttpRequest) -> HttpResponse:
    form = map_filter_form(request.GET)
    context = {
        "form": form,
        "map": map_settings(),
        "statuses": Status.choices,
    }
    if form.is_valid():
        cases = selectors.map_cases(request.profile, form.filters())
        context["summary"] = selectors.map_summary(cases, limit=selectors.MAP_POINTS_LIMIT)
        context["feed"] = f"{reverse('case-map-points')}?{form.query()}"
        context["popup"] = reverse("case-map-popup", args=[REFERENCE_SLOT])
        context["slot"] = REFERENCE_SLOT
    return render(request, "dashboard/case_map.html", context, status=400 if form.errors else 200)


@supervisors
@require_GET
@gzip_page  # 20,000 rows are a megabyte of JSON, a quarter of it compressed
def case_map_points(request: HttpRequest) -> JsonResponse:
    form = map_filter_form(request.GET)
    if not form.is_valid():
        errors = {field: [str(e) for e in found] for field, found in form.errors.items()}
        return JsonResponse({"errors": errors}, status=400)
    cases = selectors.map_cases(request.profile, form.filters())
    limit = selectors.MAP_POINTS_LIMIT
    summary = selectors.map_summary(cases, limit=limit)
    points = selectors.map_points(cases, limit=limit)
    return JsonResponse(
        {"count": summary.located, "shown": len(points), "points": points},
        json_dumps_params={"separators": (",", ":"), "ensure_ascii": False},
    )


@supervisors
@require_GET
def case_map_popup(request: HttpRequest, reference: str) -> HttpResponse:
    """What a pin's popup shows. Never the reporter: the fragment has no place for them."""
    case = case_for_user(request.profile, reference)
    return render(
        request, "dashboard/_case_popup.html", {"case": case, "photos": case.photos.all()}
    )
