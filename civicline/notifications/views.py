"""The supervisors' delivery log: what was sent to whom, when, and how it went."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from civicline.cases.selectors import page_number, page_of
from civicline.directory.pages import supervisors
from civicline.notifications import selectors
from civicline.notifications.forms import DeliveryFilterForm

PAGE_SIZE = 50


@supervisors
@require_GET
def delivery_log(request: HttpRequest) -> HttpResponse:
    form = DeliveryFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    notifications = selectors.delivery_log(
        status=filters.get("status", ""), channel=filters.get("channel", "")
    )
    page = page_of(notifications, page_number(request.GET.get("page")), size=PAGE_SIZE)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "notifications/delivery_log.html",
        {"form": form, "page": page, "query": query.urlencode()},
        status=400 if form.errors else 200,
    )
