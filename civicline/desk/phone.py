"""The operator's phone on the desk: their seat's state, the call in hand, pause with a
reason, transfer to a department, click-to-call, and the missed calls to call back.

The panel is a fragment the desk reloads whenever the live stream says the operator's
phone changed; the PBX does the ringing and the talking.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from civicline.directory.models import Organisation
from civicline.directory.pages import contact_center
from civicline.telephony import selectors, services
from civicline.telephony.models import AgentState, Callback, PauseReason


class PauseForm(forms.Form):
    reason = forms.ChoiceField(label=gettext_lazy("Why"), choices=PauseReason.choices)


class CallTransferForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=gettext_lazy("Department"),
        queryset=Organisation.objects.filter(is_active=True).exclude(phone=""),
        error_messages={"invalid_choice": gettext_lazy("Choose a department with a number.")},
    )
    attended = forms.BooleanField(label=gettext_lazy("Announce the caller first"), required=False)


class DialForm(forms.Form):
    number = forms.CharField(label=gettext_lazy("Number"), max_length=40)


def _agent(request: HttpRequest):
    agent = selectors.agent_for(request.user)
    if agent is None:
        raise Http404("No phone seat")
    return agent


def panel_context(request: HttpRequest) -> dict:
    agent = selectors.agent_for(request.user)
    if agent is None:
        return {"agent": None}
    now = timezone.now()
    return {
        "agent": agent,
        "call": selectors.current_call(agent),
        "in_state_s": selectors.seconds_between(agent.state_since, now),
        "wrapup_left_s": selectors.seconds_between(now, agent.wrapup_until)
        if agent.state == AgentState.WRAPUP
        else 0,
        "states": AgentState,
        "pause_form": PauseForm(),
        "transfer_form": CallTransferForm(),
        "dial_form": DialForm(),
    }


@contact_center
@require_GET
def panel(request: HttpRequest) -> HttpResponse:
    return render(request, "desk/_phone.html", panel_context(request))


def _done(request: HttpRequest, text: str) -> HttpResponse:
    if request.headers.get("HX-Request"):
        response = render(request, "desk/_phone.html", panel_context(request))
        response["HX-Trigger"] = "phone-changed"
        return response
    messages.success(request, text)
    return redirect("desk")


def _refused(request: HttpRequest, error: ValidationError) -> HttpResponse:
    text = " ".join(error.messages)
    if request.headers.get("HX-Request"):
        context = panel_context(request) | {"phone_error": text}
        return render(request, "desk/_phone.html", context, status=400)
    messages.error(request, text)
    return redirect("desk")


@contact_center
@require_POST
def seat(request: HttpRequest, action: str) -> HttpResponse:
    """Log in to the queues, log out, pause with a reason, come back."""
    agent = _agent(request)
    try:
        if action == "login":
            services.agent_login(agent=agent)
        elif action == "logout":
            services.agent_logout(agent=agent)
        elif action == "unpause":
            services.agent_unpause(agent=agent)
        else:
            form = PauseForm(request.POST)
            if not form.is_valid():
                raise ValidationError(_("Choose why you pause."))
            services.agent_pause(agent=agent, reason=form.cleaned_data["reason"])
    except ValidationError as error:
        return _refused(request, error)
    return _done(request, _("Done."))


@contact_center
@require_POST
def transfer(request: HttpRequest) -> HttpResponse:
    """Pass the caller to a department's number without dropping them."""
    agent = _agent(request)
    form = CallTransferForm(request.POST)
    call = selectors.current_call(agent)
    try:
        if not form.is_valid():
            raise ValidationError([e for errors in form.errors.values() for e in errors])
        if call is None:
            raise ValidationError(_("There is no call to transfer."))
        organisation = form.cleaned_data["organisation"]
        services.call_transfer(
            call_id=call.call_id,
            to_number=organisation.phone,
            attended=form.cleaned_data["attended"],
            by=request.user,
        )
    except ValidationError as error:
        return _refused(request, error)
    return _done(
        request, _("The call goes to %(organisation)s.") % {"organisation": organisation.name}
    )


@contact_center
@require_POST
def dial(request: HttpRequest) -> HttpResponse:
    """Click-to-call: the operator's phone rings first, then the citizen's."""
    agent = _agent(request)
    form = DialForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Enter a phone number."))
        number = services.call_originate(agent=agent, number=form.cleaned_data["number"])
    except ValidationError as error:
        return _refused(request, error)
    return _done(request, _("Calling %(number)s: your phone rings first.") % {"number": number})


@contact_center
@require_POST
def callback_done(request: HttpRequest, callback_id: int) -> HttpResponse:
    callback = get_object_or_404(Callback, pk=callback_id)
    services.callback_done(callback=callback, by=request.user)
    messages.success(request, _("Marked as called back."))
    return redirect("desk")


@contact_center
@require_GET
def call_log(request: HttpRequest) -> HttpResponse:
    """Every call, newest first, with the cases registered during it."""
    number = (request.GET.get("number") or "").strip()[:40]
    return render(
        request,
        "desk/calls.html",
        {"calls": selectors.call_log(number=number), "number": number},
    )
