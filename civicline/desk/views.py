"""Staff pages. Each view parses, checks access through cases.access, calls one service,
and renders."""

import mimetypes

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from civicline.cases import duplicates, selectors, services
from civicline.cases.access import (
    allowed_targets,
    can_see_reporter,
    can_write,
    case_for_user,
    cases_visible_to,
    may_see_organisation_cases,
    move_forbidden,
)
from civicline.cases.forms import errors_onto_form
from civicline.cases.models import Status
from civicline.cases.workflow import ACTION_LABELS, note_required
from civicline.deadlines import selectors as deadline_selectors
from civicline.deadlines import services as deadline_services
from civicline.deadlines.models import CallbackTask
from civicline.desk import phone
from civicline.desk.forms import (
    CallbackForm,
    CaseFilterForm,
    ChaseForm,
    NoteForm,
    PhotoForm,
    RegisterCaseForm,
    StatusForm,
    TransferForm,
    WaitForm,
)
from civicline.directory.models import Category, Organisation
from civicline.directory.pages import any_staff, contact_center, supervisors
from civicline.directory.phones import PhoneError, phone_display, phone_to_e164
from civicline.directory.questions import answers_from_form
from civicline.directory.selectors import category_search
from civicline.routing.services import case_transfer
from civicline.telephony import selectors as telephony_selectors
from civicline.telephony import services as telephony_services
from civicline.workorders import selectors as workorder_selectors
from civicline.workorders import services as workorder_services
from civicline.workorders.forms import DispatchForm

PAGE_SIZE = 50


def home(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect("portal-home")  # citizens come to the city's address too
    return _staff_home(request)


@any_staff
def _staff_home(request: HttpRequest) -> HttpResponse:
    profile = request.profile
    if profile.is_supervisor:
        return redirect("supervisor")
    if profile.is_contact_center:
        return redirect("desk")
    return redirect("workstation")


@contact_center
def desk(request: HttpRequest) -> HttpResponse:
    form = RegisterCaseForm(
        request.POST or None, request.FILES or None, initial={"phone": request.GET.get("phone", "")}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case = services.case_intake(
                actor=request.user,
                reporter=services.ReporterDetails(
                    name=data["name"],
                    phone=data["phone"],
                    email=data["email"],
                    language=data["language"],
                    consent_to_contact=data["consent_to_contact"],
                ),
                kind=data["kind"],
                channel=data["channel"],
                category=data["category"],
                description=data["description"],
                address=data["address"],
                area=data["area"],
                latitude=data["latitude"],
                longitude=data["longitude"],
                answer=data["answer"],
                answers=answers_from_form(request.POST),
                photos=data["photos"],
            )
        except ValidationError as error:
            errors_onto_form(form, error)
        else:
            call = telephony_selectors.call_for_new_case(
                telephony_selectors.agent_for(request.user)
            )
            if call is not None:
                telephony_services.link_case(call=call, case=case)
            messages.success(
                request,
                _("Case %(reference)s registered and sent to %(organisation)s.")
                % {"reference": case.reference, "organisation": case.organisation.name},
            )
            return redirect("case", reference=case.reference)
    status = 400 if form.errors else 200
    return render(
        request,
        "desk/desk.html",
        {
            "form": form,
            "my_cases": selectors.cases_registered_by(request.user),
            "callbacks": deadline_selectors.callbacks_due(),
            "callback_form": CallbackForm(),
            "missed_calls": telephony_selectors.open_callbacks(),
            **phone.panel_context(request),
        },
        status=status,
    )


@contact_center
@require_GET
def caller(request: HttpRequest) -> HttpResponse:
    """The caller's earlier cases, looked up by the number they call from."""
    raw = request.GET.get("phone", "")
    context: dict = {"phone": raw}
    if raw.strip():
        try:
            e164 = phone_to_e164(raw)
        except PhoneError as exc:
            context["error"] = str(exc)
        else:
            reporter, cases = selectors.caller_history(e164)
            context.update(e164=phone_display(e164), reporter=reporter, cases=cases)
    return render(request, "desk/_caller.html", context)


@any_staff
@require_GET
def category_questions(request: HttpRequest) -> HttpResponse:
    """The chosen category's extra questions, as fields of the registration form."""
    raw = request.GET.get("category", "")
    category = Category.objects.filter(pk=raw, is_active=True).first() if raw.isdigit() else None
    questions = category.questions.prefetch_related("choices") if category else []
    return render(request, "directory/_questions.html", {"questions": questions})


@any_staff
@require_GET
def categories(request: HttpRequest) -> HttpResponse:
    """Options for the category picker, matching Cyrillic or Latin, with or without diacritics."""
    found = category_search(request.GET.get("q", ""), kind=request.GET.get("kind") or None)
    return render(request, "desk/_category_options.html", {"categories": found[:50]})


def _case_context(request: HttpRequest, case, **forms) -> dict:
    profile = request.profile
    targets = allowed_targets(profile, case)
    actions = [
        {
            "status": target,
            "label": ACTION_LABELS[(case.status, target)],
            "needs_note": note_required(case.status, target),
        }
        for target in targets
    ]
    context = {
        "case": case,
        "timeline": selectors.case_timeline(case),
        "show_reporter": can_see_reporter(profile),
        "actions": actions,
        "can_write": can_write(profile, case),
        "note_form": forms.get("note_form") or NoteForm(),
        "transfer_form": forms.get("transfer_form") or TransferForm(initial={"organisation": None}),
        "status_form": forms.get("status_form"),
        "wait_form": forms.get("wait_form") or WaitForm(),
        "deadline": getattr(case, "deadline", None),
        "answers": case.answers.select_related("question"),
        "photos": case.photos.all(),
        "photo_form": forms.get("photo_form") or PhotoForm(),
    }
    if context["show_reporter"] and case.reporter_id:
        context["reporter"] = case.reporter
    followers = list(case.followers.select_related("reporter"))
    context["followers_count"] = len(followers)
    if context["show_reporter"]:
        context["followers"] = [f.reporter for f in followers if f.reporter_id]
    if context["can_write"]:
        context["duplicates"] = [
            {
                "case": other,
                "metres": metres,
                "into_this": duplicates.master_of(case, other)[0] == case,
            }
            for other, metres in duplicates.duplicate_candidates(case)
            if may_see_organisation_cases(profile, other.organisation_id)
        ]
    context["merge_error"] = forms.get("merge_error", "")
    context["work_orders"] = workorder_selectors.case_work_orders(case)
    if case.is_open and workorder_selectors.may_dispatch(profile, case):
        dispatch_form = forms.get("dispatch_form") or DispatchForm(case=case)
        if dispatch_form.teams or dispatch_form.services:  # nobody to send to, no form
            context["dispatch_form"] = dispatch_form
    return context


@any_staff
@require_GET
def case_detail(request: HttpRequest, reference: str) -> HttpResponse:
    case = case_for_user(request.profile, reference)
    return render(request, "desk/case.html", _case_context(request, case))


@any_staff
@require_GET
def case_timeline(request: HttpRequest, reference: str) -> HttpResponse:
    case = case_for_user(request.profile, reference)
    return render(request, "desk/_timeline.html", _case_context(request, case))


def _rerender_with_errors(request, case, **forms) -> HttpResponse:
    return render(request, "desk/case.html", _case_context(request, case, **forms), status=400)


@any_staff
@require_POST
def case_status(request: HttpRequest, reference: str) -> HttpResponse:
    case = case_for_user(request.profile, reference)
    form = StatusForm(request.POST)
    if form.is_valid():
        target = form.cleaned_data["status"]
        if move_forbidden(request.profile, case, target):
            form.add_error(
                "status", _("You may not move this case to “%(s)s”.") % {"s": Status(target).label}
            )
        else:
            try:
                services.case_change_status(
                    case=case, to=target, actor=request.user, note=form.cleaned_data["note"]
                )
            except ValidationError as error:
                errors_onto_form(form, error)
            else:
                messages.success(
                    request, _("Status changed to “%(s)s”.") % {"s": Status(target).label}
                )
                return redirect("case", reference=case.reference)
    return _rerender_with_errors(request, case, status_form=form)


@any_staff
@require_POST
def case_note(request: HttpRequest, reference: str) -> HttpResponse:
    case = case_for_user(request.profile, reference)
    if not can_write(request.profile, case):
        raise PermissionDenied
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            services.case_add_note(
                case=case,
                actor=request.user,
                note=form.cleaned_data["note"],
                is_public=form.cleaned_data["is_public"],
            )
        except ValidationError as error:
            errors_onto_form(form, error)
        else:
            messages.success(request, _("Note added."))
            return redirect("case", reference=case.reference)
    return _rerender_with_errors(request, case, note_form=form)


@any_staff
@require_POST
def case_photo(request: HttpRequest, reference: str) -> HttpResponse:
    case = case_for_user(request.profile, reference)
    if not can_write(request.profile, case):
        raise PermissionDenied
    form = PhotoForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            for photo in form.cleaned_data["photos"]:
                services.case_add_photo(
                    case=case,
                    photo=photo,
                    stage=form.cleaned_data["stage"],
                    actor=request.user,
                    is_public=form.cleaned_data["is_public"],
                )
        except ValidationError as error:
            errors_onto_form(form, error)
        else:
            messages.success(request, _("Photo added."))
            return redirect("case", reference=case.reference)
    return _rerender_with_errors(request, case, photo_form=form)


@any_staff
@require_GET
def case_photo_file(request: HttpRequest, reference: str, key, original: bool) -> HttpResponse:
    """A case's photo for staff who may see the case: the published copy, or the original
    with the phone's metadata."""
    case = case_for_user(request.profile, reference)
    photo = get_object_or_404(case.photos.exclude(published=""), key=key)
    file = photo.original if original else photo.published
    with file.open("rb") as opened:
        content = opened.read()
    kind = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
    response = HttpResponse(content, content_type=kind)
    response["Cache-Control"] = "private, max-age=3600"
    return response


@any_staff
@require_POST
def case_transfer_view(request: HttpRequest, reference: str) -> HttpResponse:
    case = case_for_user(request.profile, reference)
    if not can_write(request.profile, case):
        raise PermissionDenied
    form = TransferForm(request.POST)
    if form.is_valid():
        try:
            case = case_transfer(
                case=case,
                to=form.cleaned_data["organisation"],
                actor=request.user,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            errors_onto_form(form, error)
        else:
            messages.success(
                request,
                _("Case %(reference)s transferred to %(organisation)s.")
                % {"reference": case.reference, "organisation": form.cleaned_data["organisation"]},
            )
            # An officer who hands a case away no longer sees it.
            if can_write(request.profile, case):
                return redirect("case", reference=case.reference)
            return redirect("home")
    return _rerender_with_errors(request, case, transfer_form=form)


@any_staff
@require_POST
def case_merge(request: HttpRequest, reference: str) -> HttpResponse:
    """Merge this case and `other` (both reporting the same problem): the older one stays."""
    case = case_for_user(request.profile, reference)
    if not can_write(request.profile, case):
        raise PermissionDenied
    other_reference = request.POST.get("other", "").strip()[:20]
    other = (
        cases_visible_to(request.profile).filter(reference=other_reference).first()
        if other_reference
        else None
    )
    if other is None:
        error = _("There is no case “%(ref)s” to merge with.") % {"ref": other_reference}
        return _rerender_with_errors(request, case, merge_error=error)
    master, _duplicate = duplicates.master_of(case, other)
    if not can_write(request.profile, master):
        raise PermissionDenied
    try:
        master = duplicates.case_merge(duplicate=other, master=case, actor=request.user)
    except ValidationError as error:
        return _rerender_with_errors(request, case, merge_error=" ".join(error.messages))
    merged = other if master.pk == case.pk else case
    messages.success(
        request,
        _("Case %(duplicate)s merged into %(master)s; its citizens follow %(master)s now.")
        % {"duplicate": merged.reference, "master": master.reference},
    )
    return redirect("case", reference=master.reference)


@any_staff
@require_GET
def workstation(request: HttpRequest) -> HttpResponse:
    order = "newest" if request.GET.get("order") == "newest" else "oldest"
    cases = selectors.workstation_cases(request.profile, order=order)
    page = selectors.page_of(cases, selectors.page_number(request.GET.get("page")), size=PAGE_SIZE)
    organisations = Organisation.objects.filter(id__in=request.profile.organisation_ids)
    return render(
        request,
        "desk/workstation.html",
        {
            "page": page,
            "order": order,
            "open_count": cases.count(),  # bounded by the workload, not the history
            "organisations": organisations,
            "service_orders": workorder_selectors.service_orders(request.profile),
        },
    )


@supervisors
@require_GET
def supervisor(request: HttpRequest) -> HttpResponse:
    form = CaseFilterForm(request.GET or None)
    filters = selectors.CaseFilters()
    if form.is_valid():
        data = form.cleaned_data
        filters = selectors.CaseFilters(
            reference=data["reference"],
            status=data["status"],
            organisation_id=data["organisation"].id if data["organisation"] else None,
            category_id=data["category"].id if data["category"] else None,
            kind=data["kind"],
            channel=data["channel"],
            date_from=data["date_from"],
            date_to=data["date_to"],
            overdue=data["overdue"],
        )
    cases = selectors.case_list(request.profile, filters)
    page = selectors.page_of(cases, selectors.page_number(request.GET.get("page")), size=PAGE_SIZE)
    since = (
        selectors.day_start(filters.date_from)
        if filters.date_from
        else timezone.now() - selectors.COUNT_WINDOW
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "desk/supervisor.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "since": since,
            "status_counts": selectors.status_counts(cases, since=since),
            "organisation_counts": selectors.organisation_counts(cases, since=since)[:15],
        },
        status=400 if form.errors else 200,
    )


@any_staff
@require_POST
def case_wait(request: HttpRequest, reference: str) -> HttpResponse:
    """Start or stop waiting on the citizen; the deadlines stop meanwhile."""
    case = case_for_user(request.profile, reference)
    if not can_write(request.profile, case):
        raise PermissionDenied
    form = WaitForm(request.POST)
    if form.is_valid():
        try:
            if case.waiting_since:
                services.case_resume(case=case, actor=request.user, note=form.cleaned_data["note"])
            else:
                services.case_wait_on_citizen(
                    case=case, actor=request.user, note=form.cleaned_data["note"]
                )
        except ValidationError as error:
            errors_onto_form(form, error)
        else:
            return redirect("case", reference=case.reference)
    return _rerender_with_errors(request, case, wait_form=form)


@contact_center
def chase(request: HttpRequest) -> HttpResponse:
    """Overdue cases: the operator calls the competent body and writes down what they said."""
    form = ChaseForm(request.POST or None)
    if request.method == "POST":
        case = case_for_user(request.profile, request.POST.get("reference", ""))
        if form.is_valid():
            services.case_record_chase(
                case=case, actor=request.user, note=form.cleaned_data["note"]
            )
            messages.success(request, _("Noted on case %(ref)s.") % {"ref": case.reference})
            return redirect("chase")
    return render(
        request,
        "desk/chase.html",
        {"cases": deadline_selectors.chase_list(), "form": form},
        status=400 if form.errors else 200,
    )


@contact_center
@require_POST
def callback_done(request: HttpRequest, task_id: int) -> HttpResponse:
    task = get_object_or_404(CallbackTask.objects.select_related("case"), pk=task_id)
    form = CallbackForm(request.POST)
    if form.is_valid():
        try:
            deadline_services.callback_complete(
                task=task, actor=request.user, outcome=form.cleaned_data["outcome"]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request, _("Callback on %(ref)s recorded.") % {"ref": task.case.reference}
            )
    else:
        messages.error(request, _("Write what the citizen was told."))
    return redirect("desk")


@any_staff
@require_POST
def case_dispatch(request: HttpRequest, reference: str) -> HttpResponse:
    """From the desk's case page: send the case to a team."""
    case = case_for_user(request.profile, reference)
    if not workorder_selectors.may_dispatch(request.profile, case):
        raise PermissionDenied
    form = DispatchForm(request.POST, case=case)
    if form.is_valid():
        try:
            workorder_services.workorder_dispatch(
                case=case,
                team=form.cleaned_data["team"],
                service=form.cleaned_data["service"],
                kind=form.cleaned_data["kind"],
                instructions=form.cleaned_data["instructions"],
                by=request.user,
            )
        except ValidationError as error:
            errors_onto_form(form, error)
        else:
            messages.success(request, _("Work order sent."))
            return redirect("case", reference=case.reference)
    context = _case_context(request, case, dispatch_form=form)
    return render(request, "desk/case.html", context, status=400)
