"""The citizen's pages: report a problem, join one already reported, follow a report.
No login: a report is tracked with its reference and its tracking code."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from civicline.cases import selectors as case_selectors
from civicline.cases import services as case_services
from civicline.cases.forms import errors_onto_form
from civicline.cases.models import OPEN_STATUSES, Case, Channel
from civicline.directory.models import Category
from civicline.directory.questions import answers_from_form
from civicline.maps import map_settings
from civicline.open311.services import Open311Error, rate_limit
from civicline.portal import selectors
from civicline.portal.forms import ContactForm, ReportForm, TrackForm


def _reporter(data: dict) -> case_services.ReporterDetails:
    return case_services.ReporterDetails(
        name=data["name"],
        phone=data["phone"],
        email=data["email"],
        language=get_language() or settings.LANGUAGE_CODE,
        consent_to_contact=data["consent_to_contact"],
    )


def _not_too_fast(request: HttpRequest, form) -> bool:
    try:
        rate_limit(
            bucket=f"portal:{request.META.get('REMOTE_ADDR', '')}",
            limit=settings.PORTAL_REPORTS_PER_MINUTE_PER_ADDRESS,
        )
    except Open311Error:
        form.add_error(None, _("Too many reports from your connection: wait a minute."))
        return False
    return True


def track_url(case: Case) -> str:
    return reverse("portal-track", kwargs={"reference": case.reference, "code": case.tracking_code})


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/home.html", {"track_form": TrackForm()})


@require_http_methods(["GET", "POST"])
def report(request: HttpRequest) -> HttpResponse:
    posted = request.method == "POST"
    form = ReportForm(request.POST if posted else None, request.FILES if posted else None)
    if request.method == "POST" and form.is_valid() and _not_too_fast(request, form):
        data = form.cleaned_data
        category = data["category"]
        try:
            case = case_services.case_intake(
                reporter=_reporter(data),
                actor=None,
                kind=category.citizen_kind,
                channel=Channel.WEB,
                category=category,
                description=data["description"],
                address=data["address"],
                latitude=data["latitude"],
                longitude=data["longitude"],
                answers=answers_from_form(request.POST),
                photos=data["photos"],
            )
        except ValidationError as error:
            errors_onto_form(form, error)
        else:
            messages.success(
                request,
                _("Thank you. Your report is registered as %(reference)s.")
                % {"reference": case.reference},
            )
            return redirect(track_url(case) + "?new=1")
    status = 400 if form.errors else 200
    context = {"form": form, "map": map_settings()}
    return render(request, "portal/report.html", context, status=status)


@require_GET
def questions(request: HttpRequest) -> HttpResponse:
    """The chosen category's extra questions, as fields of the report form."""
    raw = request.GET.get("category", "")
    category = Category.objects.filter(pk=raw, is_active=True).first() if raw.isdigit() else None
    found = category.questions.prefetch_related("choices") if category else []
    return render(request, "directory/_questions.html", {"questions": found})


@require_GET
def nearby(request: HttpRequest) -> HttpResponse:
    """Open cases of the same category near the pin: "is this it?"."""
    form = ReportForm(request.GET)
    form.is_valid()  # only the category and the pin are read; the rest is not filled yet
    data = form.cleaned_data
    found = []
    if data.get("category") and data.get("latitude") is not None and data.get("longitude"):
        found = case_selectors.nearby_open(
            category_id=data["category"].id, latitude=data["latitude"], longitude=data["longitude"]
        )
    return render(request, "portal/_nearby.html", {"nearby": found})


@require_POST
def join(request: HttpRequest, reference: str) -> HttpResponse:
    """The citizen's problem is one already reported: they join that case."""
    case = Case.objects.filter(reference=reference, status__in=OPEN_STATUSES).first()
    if case is None:
        raise Http404("No such open case")
    form = ContactForm(request.POST)
    if form.is_valid() and _not_too_fast(request, form):
        try:
            case_services.case_follow(
                case=case, reporter=_reporter(form.cleaned_data), channel=Channel.WEB
            )
        except ValidationError as error:
            errors_onto_form(form, error)
        else:
            messages.success(
                request,
                _("Thank you. You joined %(reference)s; the city counts you as reporting it.")
                % {"reference": case.reference},
            )
            return redirect(track_url(case))
    return render(request, "portal/join_failed.html", {"form": form, "case": case}, status=400)


@require_http_methods(["GET", "POST"])
def track_find(request: HttpRequest) -> HttpResponse:
    form = TrackForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        case = selectors.tracked_case(form.cleaned_data["reference"], form.cleaned_data["code"])
        if case:
            return redirect(track_url(case))
        form.add_error(None, _("No report has this reference and tracking code."))
    status = 400 if form.errors else 200
    return render(request, "portal/track_find.html", {"form": form}, status=status)


@require_GET
def track(request: HttpRequest, reference: str, code: str) -> HttpResponse:
    case = selectors.tracked_case(reference, code)
    if case is None:
        raise Http404("No such report")
    context = {
        "case": case,
        **selectors.public_facts(case),
        "deadline": selectors.promised_by(case),
        "is_new": request.GET.get("new") == "1",
        "link": request.build_absolute_uri(track_url(case)),
        "map": map_settings(),
    }
    return render(request, "portal/track.html", context)
