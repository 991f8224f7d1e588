"""GeoReport v2 endpoints. The format comes from the extension; errors are Open311's."""

from datetime import UTC, datetime

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.http import HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from civicline.limits import has_nul
from civicline.open311 import selectors, services
from civicline.open311.formats import FORMATS, errors, render, render_one
from civicline.open311.models import PendingRequest
from civicline.open311.services import Open311Error

# XML element names for the items of list-valued fields.
LISTS = {"photos": "photo", "public_notes": "public_note"}
# The range of moments a filter can hold: the default window still fits before the first.
EARLIEST = datetime.min.replace(tzinfo=UTC) + selectors.DEFAULT_WINDOW
LATEST = datetime.max.replace(tzinfo=UTC)


def _checked(request: HttpRequest, fmt: str, methods: tuple[str, ...]) -> None:
    if fmt not in FORMATS:
        raise Open311Error(404, [(404, _("Unknown format: use .json or .xml."))])
    if request.method not in methods:
        raise Open311Error(405, [(405, _("Method not allowed."))])
    if has_nul(request):
        raise Open311Error(400, [(400, _("The request contains a NUL character."))])
    jurisdiction = request.GET.get("jurisdiction_id") or request.POST.get("jurisdiction_id")
    if jurisdiction and jurisdiction != settings.OPEN311_JURISDICTION:
        raise Open311Error(404, [(404, _("Unknown jurisdiction_id."))])


def endpoint(*methods: str):
    """Check format, method and jurisdiction; turn an Open311Error into its response."""

    def decorator(view):
        @csrf_exempt
        def wrapped(request, *args, fmt: str, **kwargs):
            try:
                try:
                    _checked(request, fmt, methods)
                except (MultiPartParserError, SuspiciousOperation):
                    # A body cut off in transit, or more fields than any report has.
                    unreadable = _("The request body could not be read.")
                    raise Open311Error(400, [(400, unreadable)]) from None
                return view(request, *args, fmt=fmt, **kwargs)
            except Open311Error as error:
                response = errors(error.problems, fmt=fmt, status=error.status)
                if error.status == 429:
                    response["Retry-After"] = "60"
                return response

        wrapped.answers_bad_input = True  # in Open311's error format, not the site's
        return wrapped

    return decorator


@endpoint("GET")
def discovery(request: HttpRequest, fmt: str) -> HttpResponse:
    base = request.build_absolute_uri("/open311/v2/")
    row = {
        "changeset": "2026-11-23T00:00:00+01:00",
        "contact": settings.OPEN311_CONTACT,
        "key_service": settings.OPEN311_CONTACT,
        "endpoints": [
            {
                "specification": "http://wiki.open311.org/GeoReport_v2",
                "url": base,
                "changeset": "2026-11-23T00:00:00+01:00",
                "type": "production",
                "formats": ["text/xml", "application/json"],
            }
        ],
    }
    names = {"endpoints": "endpoint", "formats": "format"}
    return render_one(row, fmt=fmt, root="discovery", item_names=names)


@endpoint("GET")
def service_list(request: HttpRequest, fmt: str) -> HttpResponse:
    rows = [selectors.service_row(c) for c in selectors.services()]
    return render(rows, fmt=fmt, root="services", item="service")


@endpoint("GET")
def service_definition(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    category = selectors.services().filter(code=code).first()
    if category is None:
        raise Open311Error(404, [(404, _("Unknown service_code."))])
    names = {"attributes": "attribute", "values": "value"}
    return render_one(
        selectors.definition_row(category), fmt=fmt, root="service_definition", item_names=names
    )


def _site(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def _split(raw: str | None) -> tuple[str, ...]:
    return tuple(part.strip() for part in (raw or "").split(",") if part.strip())


def _moment(request: HttpRequest, name: str) -> datetime | None:
    raw = request.GET.get(name)
    if not raw:
        return None
    try:
        moment = parse_datetime(raw.replace(" ", "+"))
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise Open311Error(400, [(400, _("%(name)s must be a W3C datetime with a time zone.")
                                  % {"name": name})])  # fmt: skip
    # In UTC: PostgreSQL takes offsets up to 15:59 only. Nothing happened at either end of
    # the calendar, so a moment beyond them reads as the end itself.
    try:
        moment = moment.astimezone(UTC)
    except OverflowError:
        return EARLIEST if moment.year == 1 else LATEST
    return max(moment, EARLIEST)


def _number(request: HttpRequest, name: str, default: int, top: int) -> int:
    raw = request.GET.get(name, "")
    if not raw:
        return default
    # ASCII digits only ("²" is a digit to str.isdigit), and few enough for int().
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 9 or not 1 <= int(raw) <= top:
        raise Open311Error(400, [(400, _("%(name)s must be a whole number from 1 to %(top)d.")
                                  % {"name": name, "top": top})])  # fmt: skip
    return int(raw)


def _filters(request: HttpRequest) -> selectors.RequestFilters:
    status = request.GET.get("status", "")
    if status and status not in ("open", "closed"):
        raise Open311Error(400, [(400, _("status must be open or closed."))])
    return selectors.RequestFilters(
        ids=_split(request.GET.get("service_request_id")),
        service_codes=_split(request.GET.get("service_code")),
        start=_moment(request, "start_date"),
        end=_moment(request, "end_date"),
        status=status,
        updated_after=_moment(request, "updated_after"),
        updated_before=_moment(request, "updated_before"),
        page=_number(request, "page", 1, 100_000),
        page_size=_number(request, "page_size", selectors.MAX_PAGE_SIZE, selectors.MAX_PAGE_SIZE),
    )


@endpoint("GET", "POST")
def request_list(request: HttpRequest, fmt: str) -> HttpResponse:
    if request.method == "POST":
        # The address is counted before the key is checked, so guessing keys is limited too.
        address = request.META.get("REMOTE_ADDR", "")
        services.rate_limit(
            bucket=f"ip:{address}", limit=settings.OPEN311_POSTS_PER_MINUTE_PER_ADDRESS
        )
        key = request.GET.get("api_key") or request.POST.get("api_key")
        application = services.application_for_key(key)
        services.rate_limit(
            bucket=f"key:{application.pk}", limit=settings.OPEN311_POSTS_PER_MINUTE_PER_KEY
        )
        made = services.request_submit(
            application=application, data=request.POST, files=request.FILES
        )
        if isinstance(made, PendingRequest):
            notice = _("The report is checked by an operator before it is registered.")
            row = {"token": made.token, "service_notice": notice, "account_id": ""}
        else:
            row = {"service_request_id": made.reference, "service_notice": "", "account_id": ""}
        return render([row], fmt=fmt, root="service_requests", item="request", status=201)
    extensions = request.GET.get("extensions") == "true"
    found = selectors.requests(_filters(request))
    site = _site(request)
    rows = [selectors.request_row(case, site=site, extensions=extensions) for case in found]
    return render(rows, fmt=fmt, root="service_requests", item="request", item_names=LISTS)


@endpoint("GET")
def request_detail(request: HttpRequest, reference: str, fmt: str) -> HttpResponse:
    found = selectors.requests(selectors.RequestFilters(ids=(reference,)))
    if not found:
        raise Open311Error(404, [(404, _("Unknown service_request_id."))])
    extensions = request.GET.get("extensions") == "true"
    row = selectors.request_row(found[0], site=_site(request), extensions=extensions)
    return render([row], fmt=fmt, root="service_requests", item="request", item_names=LISTS)


@endpoint("GET")
def request_updates(request: HttpRequest, fmt: str) -> HttpResponse:
    start = _moment(request, "start_date")
    if start is None:
        raise Open311Error(400, [(400, _("start_date is required."))])
    rows = [
        selectors.update_row(e)
        for e in selectors.updates(start=start, end=_moment(request, "end_date"))
    ]
    return render(rows, fmt=fmt, root="service_request_updates", item="request_update")


@endpoint("GET")
def token(request: HttpRequest, token: str, fmt: str) -> HttpResponse:
    pending = PendingRequest.objects.select_related("case").filter(token=token).first()
    if pending is None or pending.rejected_at:
        raise Open311Error(404, [(404, _("Unknown token."))])
    row = {"service_request_id": pending.case.reference if pending.case else "", "token": token}
    return render([row], fmt=fmt, root="service_requests", item="request")
