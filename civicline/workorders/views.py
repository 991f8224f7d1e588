"""The field worker's pages (phone-first) and the desk's "send a work order" form."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from civicline.cases.forms import errors_onto_form
from civicline.directory.pages import staff_page
from civicline.maps import map_settings
from civicline.workorders import selectors, services
from civicline.workorders.forms import CannotDoForm, DoneForm
from civicline.workorders.models import WorkOrder, WorkOrderState
from civicline.workorders.pdf import work_order_pdf

field_staff = staff_page(lambda p: p.is_field_worker or p.is_supervisor or p.is_officer)


@field_staff
@require_GET
def field_list(request: HttpRequest) -> HttpResponse:
    routes = selectors.field_routes(request.profile, request.user)
    stops = [
        {
            "lat": float(order.case.latitude),
            "lng": float(order.case.longitude),
            "label": f"{number}. {order.case.category.name}",
            "url": reverse("field-order", args=[order.pk]),
        }
        for _assignee, orders in routes
        for number, order in enumerate(orders, start=1)
        if order.case.latitude is not None
    ]
    context = {"routes": routes, "stops": stops, "map": map_settings()}
    return render(request, "workorders/field_list.html", context)


def _order_for(request: HttpRequest, order_id: int) -> WorkOrder:
    try:
        return selectors.orders_visible_to(request.profile, request.user).get(pk=order_id)
    except WorkOrder.DoesNotExist:
        raise Http404("No such work order") from None


def _photos(order: WorkOrder):
    # Public facts only: the reporter stays with the contact center.
    return order.case.photos.filter(is_public=True).exclude(published="")


def _order_page(request: HttpRequest, order: WorkOrder, *, status: int = 200, **forms):
    case = order.case
    context = {
        "order": order,
        "case": case,
        "photos": _photos(order),
        "may_work": selectors.may_work(order, request.user),
        "done_form": forms.get("done_form") or DoneForm(),
        "cannot_form": forms.get("cannot_form") or CannotDoForm(),
        "start_error": forms.get("start_error", ""),
        "states": WorkOrderState,
    }
    return render(request, "workorders/field_order.html", context, status=status)


@field_staff
@require_GET
def field_order(request: HttpRequest, order_id: int) -> HttpResponse:
    return _order_page(request, _order_for(request, order_id))


@field_staff
@require_GET
def field_order_pdf(request: HttpRequest, order_id: int) -> HttpResponse:
    """The order to print: the service's crews take it out on paper."""
    order = _order_for(request, order_id)
    response = HttpResponse(work_order_pdf(order, list(_photos(order))), "application/pdf")
    name = f"{_('work-order')}-{order.pk}-{order.case.reference}.pdf".replace("/", "-")
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


@field_staff
@require_POST
def field_start(request: HttpRequest, order_id: int) -> HttpResponse:
    order = _order_for(request, order_id)
    try:
        services.workorder_start(order=order, by=request.user)
    except ValidationError as error:
        return _order_page(request, order, status=400, start_error=" ".join(error.messages))
    messages.success(request, _("Work order started."))
    return redirect("field-order", order_id=order.pk)


@field_staff
@require_POST
def field_done(request: HttpRequest, order_id: int) -> HttpResponse:
    order = _order_for(request, order_id)
    form = DoneForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.workorder_done(
                order=order,
                by=request.user,
                note=form.cleaned_data["note"],
                photos=form.cleaned_data["photos"],
                taken_at=timezone.now() if form.cleaned_data["photos"] else None,
                latitude=form.cleaned_data["latitude"],
                longitude=form.cleaned_data["longitude"],
            )
        except ValidationError as error:
            errors_onto_form(form, error)
        else:
            messages.success(request, _("Work order done."))
            return redirect("field")
    return _order_page(request, order, status=400, done_form=form)


@field_staff
@require_POST
def field_cannot_do(request: HttpRequest, order_id: int) -> HttpResponse:
    order = _order_for(request, order_id)
    form = CannotDoForm(request.POST)
    if form.is_valid():
        try:
            services.workorder_cannot_do(
                order=order, by=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            errors_onto_form(form, error)
        else:
            messages.success(request, _("Marked as not possible; the sender is told."))
            return redirect("field")
    return _order_page(request, order, status=400, cannot_form=form)
