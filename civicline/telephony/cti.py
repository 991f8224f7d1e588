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
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import lru_cache, wraps

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from civicline import clock, rows
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
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > MAX_BODY:
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


@contextmanager
def _simulated_clock(request: HttpRequest):
    """The simulator's time for this request, where the server allows it."""
    raw = request.headers.get("X-Civicline-Time")
    if not (raw and settings.TELEPHONY_SIMULATED_TIME):
        yield
        return
    try:
        moment = datetime.fromtimestamp(float(raw), UTC)
    except (ValueError, OverflowError, OSError):
        raise BadInput(_("X-Civicline-Time must be seconds since 1970.")) from None
    with clock.frozen_at(moment):
        yield


def cti_endpoint(view):
    """Token, POST, bad input and service refusals handled the same way for every
    endpoint."""

    @csrf_exempt
    @require_POST
    @wraps(view)
    def wrapped(request: HttpRequest, token: str, *args, **kwargs):
        found = rows.select(
            CtiToken, "token_hash = %s AND is_active = %s", [token_digest(token[:200]), True]
        )
        connection = found[0] if found else None
        if connection is None:
            return _error(_("Unknown or revoked CTI token."), 401)
        try:
            with _simulated_clock(request), services.commands_answered() as made:
                body = view(request, connection, _fields(request), *args, **kwargs)
        except BadInput as bad:
            return _error(str(bad), bad.status)
        except services.CallError as refused:
            return _error(" ".join(refused.messages), STATUS.get(refused.code, 400))
        except ValidationError as refused:
            return _error(" ".join(refused.messages), 400)
        if made:  # what this event set going, e.g. the agent to ring now
            body["commands"] = body.get("commands", []) + made
        return JsonResponse(body)

    return wrapped


def _blocked(connection: CtiToken) -> frozenset[str]:
    return _numbers(connection.blocked_numbers)


@lru_cache(maxsize=16)
def _numbers(text: str) -> frozenset[str]:
    # Kept by the list's text: every call would otherwise read each blocked number anew.
    return frozenset(
        services.citizen_number(line) for line in text.splitlines() if line.strip()
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
        direction = _text(data, "direction", required=True, limit=20)
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
        return _civicline(body)
    if kind == "answer":
        services.call_answer(
            call_id=call_id,
            answering=_text(data, "answeringNumber", limit=150),
            user=_text(data, "user", limit=150),
        )
        return {}
    services.call_hangup(
        call_id=call_id, cause=_text(data, "cause", limit=40), by=_text(data, "hangupBy", limit=10)
    )
    return {}


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
    return services.call_route(call_id=_text(data, "callId", required=True))


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
    return {"extension": agent.extension, "state": agent.state}


@cti_endpoint
def transfer(request: HttpRequest, connection: CtiToken, data: dict) -> dict:
    attended = str(data.get("attended", "")).lower() in ("1", "true", "yes")
    services.call_transfer(
        call_id=_text(data, "callId", required=True),
        to_number=_number(data, "to"),
        attended=attended,
    )
    return {}


@cti_endpoint
def callback(request: HttpRequest, connection: CtiToken, data: dict) -> dict:
    made = services.call_take_callback(call_id=_text(data, "callId", required=True))
    return {"civicline": {"callback": made.call_id}}


@cti_endpoint
def commands(request: HttpRequest, connection: CtiToken, data: dict) -> dict:
    """The bridge's poll: timers run out, then the instructions waiting for it."""
    services.tick()
    due = services.next_due()
    body = {"commands": services.commands_take()}
    body["nextDue"] = due.astimezone(UTC).isoformat() if due else None
    return body
