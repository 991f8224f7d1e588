"""The PBX's HTTP side: Zammad's generic CTI events, so bridges written for that format
work unchanged, and civicline's own endpoints for what it lacks.

    POST /api/v1/cti/<token>             event=newCall|answer|hangup (JSON or form)
    POST /api/v1/cti/<token>/route       callId: which agent to ring now, or the position
    POST /api/v1/cti/<token>/agent       extension + state: an agent's phone changed state
    POST /api/v1/cti/<token>/transfer    callId + to (+ attended): a transfer made on the phone
    POST /api/v1/cti/<token>/callback    callId: the waiting caller chose to be called back
    POST /api/v1/cti/<token>/commands    what civicline asks the PBX to do (ring, cancel, ...)

Every answer is JSON. Zammad's conventions hold: `{}` when there is nothing to do,
`{"action": "reject", "reason": "busy"}` for a blocked number; civicline's additions live
under "civicline" and "commands", which Zammad bridges ignore. Bad input is a 4xx with
{"error": ...} and changes nothing.
"""

import json
import re
from datetime import UTC
from functools import wraps

from django.core.exceptions import ValidationError
from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from civicline.directory.services import token_digest
from civicline.telephony import services
from civicline.telephony.models import Agent, AgentState, CtiToken, PauseReason

EVENTS = ("newCall", "answer", "hangup")
NUMBER = re.compile(r"^\+?[0-9*#][0-9*# ()./-]{0,39}$")
STATUS = {"repeated": 409, "ended": 409, "unknown": 404, "state": 409}
MAX_BODY = 16 * 1024


class BadInput(Exception):
    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.status = status


def _error(message: str, status: int) -> JsonResponse:
    return JsonResponse({"error": message}, status=status)


def _fields(request: HttpRequest) -> dict:
    """The event's fields, from JSON or a form; `user[]` as a list."""
    if len(request.body) > MAX_BODY:
        raise BadInput(_("The request is too large."), 413)
    if request.content_type == "application/json":
        try:
            data = json.loads(request.body or b"{}")
        except (ValueError, UnicodeDecodeError):
            raise BadInput(_("The body is not valid JSON.")) from None
        if not isinstance(data, dict):
            raise BadInput(_("The body must be a JSON object."))
        return data
    data = {key: request.POST.get(key) for key in request.POST if not key.endswith("[]")}
    for key in request.POST:
        if key.endswith("[]"):
            data[key[:-2]] = request.POST.getlist(key)
    return data


def _text(data: dict, key: str, *, required: bool = False, limit: int = 250) -> str:
    value = data.get(key)
    if isinstance(value, list):
        value = value[0] if value else ""
    if value is None or value == "":
        if required:
            raise BadInput(_("“%(field)s” is required.") % {"field": key})
        return ""
    if not isinstance(value, str | int):
        raise BadInput(_("“%(field)s” must be text.") % {"field": key})
    value = str(value).strip()
    if len(value) > limit:
        raise BadInput(
            _("“%(field)s” is longer than %(limit)d characters.") % {"field": key, "limit": limit}
        )
    return value


def _number(data: dict, key: str) -> str:
    value = _text(data, key, required=True, limit=40)
    if value.lower() in ("anonymous", "unknown", "restricted"):
        return value.lower()
    if not NUMBER.match(value):
        raise BadInput(
            _("“%(value)s” in “%(field)s” is not a phone number.") % {"value": value, "field": key}
        )
    return value


def _with_commands(body: dict) -> dict:
    commands = services.commands_take()
    if commands:
        body["commands"] = commands
    return body


def cti_endpoint(view):
    """Token, POST, bad input and service refusals handled the same way for every
    endpoint."""

    @csrf_exempt
    @require_POST
    @wraps(view)
    def wrapped(request: HttpRequest, token: str, *args, **kwargs):
        connection = CtiToken.objects.filter(
            token_hash=token_digest(token[:200]), is_active=True
        ).first()
        if connection is None:
            return _error(_("Unknown or revoked CTI token."), 401)
        try:
            return JsonResponse(view(request, connection, _fields(request), *args, **kwargs))
        except BadInput as bad:
            return _error(str(bad), bad.status)
        except services.CallError as refused:
            return _error(" ".join(refused.messages), STATUS.get(refused.code, 400))
        except ValidationError as refused:
            return _error(" ".join(refused.messages), 400)

    return wrapped


def _blocked(connection: CtiToken) -> frozenset[str]:
    return frozenset(
        services.citizen_number(line)
        for line in connection.blocked_numbers.splitlines()
        if line.strip()
    ) - {""}


@cti_endpoint
def event(request: HttpRequest, connection: CtiToken, data: dict) -> dict:
    kind = _text(data, "event", required=True, limit=40)
    if kind not in EVENTS:
        raise BadInput(
            _("Unknown event “%(event)s”; expected newCall, answer or hangup.") % {"event": kind}
        )
    call_id = _text(data, "callId", required=True)
    if kind == "newCall":
        direction = _text(data, "direction", required=True, limit=3)
        if direction not in ("in", "out"):
            raise BadInput(_("“direction” must be in or out."))
        call, answer = services.call_new(
            call_id=call_id,
            from_number=_number(data, "from"),
            to_number=_number(data, "to"),
            direction=direction,
            queue_name=_text(data, "queue", limit=64),
            user=_text(data, "user", limit=150),
            blocked=_blocked(connection),
        )
        body = answer.as_dict()
        if body.get("action") == "reject":
            return body
        return _with_commands(_civicline(body))
    if kind == "answer":
        services.call_answer(
            call_id=call_id,
            answering=_text(data, "answeringNumber", limit=150),
            user=_text(data, "user", limit=150),
        )
        return _with_commands({})
    services.call_hangup(
        call_id=call_id, cause=_text(data, "cause", limit=40), by=_text(data, "hangupBy", limit=10)
    )
    return _with_commands({})


def _civicline(body: dict) -> dict:
    """civicline's own answer fields, under their own key so Zammad's bridges see `{}`."""
    action = body.pop("action", "")
    if not action:
        return body
    return {"civicline": {"action": action, **body}}


@cti_endpoint
def route(request: HttpRequest, connection: CtiToken, data: dict) -> dict:
    """Which agent rings for the call now (`dial`), or where it waits (`queue`)."""
    services.tick()
    return _with_commands(services.call_route(call_id=_text(data, "callId", required=True)))


@cti_endpoint
def agent_state(request: HttpRequest, connection: CtiToken, data: dict) -> dict:
    """The PBX says an agent's phone changed: logged in or out, paused, available."""
    extension = _text(data, "extension", required=True, limit=40)
    agent = Agent.objects.filter(extension=extension).first()
    if agent is None:
        raise BadInput(_("No agent has extension “%(extension)s”.") % {"extension": extension}, 404)
    state = _text(data, "state", required=True, limit=20)
    if state == AgentState.AVAILABLE and agent.state == AgentState.LOGGED_OUT:
        services.agent_login(agent=agent)
    elif state == AgentState.AVAILABLE:
        services.agent_unpause(agent=agent)
    elif state == AgentState.PAUSED:
        reason = _text(data, "reason", limit=20) or PauseReason.BREAK
        services.agent_pause(agent=agent, reason=reason)
    elif state == AgentState.LOGGED_OUT:
        services.agent_logout(agent=agent)
    else:
        raise BadInput(_("“state” must be available, paused or logged_out."))
    agent.refresh_from_db()
    return _with_commands({"extension": agent.extension, "state": agent.state})


@cti_endpoint
def transfer(request: HttpRequest, connection: CtiToken, data: dict) -> dict:
    attended = str(data.get("attended", "")).lower() in ("1", "true", "yes")
    services.call_transfer(
        call_id=_text(data, "callId", required=True),
        to_number=_number(data, "to"),
        attended=attended,
    )
    return _with_commands({})


@cti_endpoint
def callback(request: HttpRequest, connection: CtiToken, data: dict) -> dict:
    made = services.call_take_callback(call_id=_text(data, "callId", required=True))
    return _with_commands({"civicline": {"callback": made.call_id}})


@cti_endpoint
def commands(request: HttpRequest, connection: CtiToken, data: dict) -> dict:
    """The bridge's poll: timers run out, then the instructions waiting for it."""
    services.tick()
    due = services.next_due()
    body = {"commands": services.commands_take()}
    body["nextDue"] = due.astimezone(UTC).isoformat() if due else None
    return body
