"""The ACD: calls enter queues, free agents ring, timers run out.

Every operation is one transaction, and they run one at a time (one switchboard: a free
agent must ring for one call only). Each step writes its queue_log line in the same
transaction, so the statistics always agree with the calls. Time is `clock.now()`, so the
simulator can run the line faster than the wall clock.
"""

import random
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from civicline import clock, rows
from civicline.cases.services import case_add_note
from civicline.deadlines.calendars import calendar_from
from civicline.directory.phones import PhoneError, phone_to_e164
from civicline.directory.services import token_digest
from civicline.telephony import strategies
from civicline.telephony.models import (
    Agent,
    AgentState,
    AgentStateChange,
    Call,
    Callback,
    CallState,
    ClosedAction,
    Command,
    CtiToken,
    Direction,
    Outcome,
    PauseReason,
    Queue,
    QueueLogEntry,
    QueueMember,
    Ring,
    Strategy,
)
from civicline.telephony.selectors import seconds_between

RNG = random.Random()
LOCK_KEY = 0x63_69_76_69  # "civi": PostgreSQL's advisory lock for the switchboard
WAITING_LOOKED_AT = 1000  # callers considered per distribution, longest waiting first


class CallError(ValidationError):
    """A CTI request that cannot be taken; `code` says which 4xx it is."""


@dataclass
class Answer:
    """What the PBX is told back: Zammad's `action` conventions, plus civicline's own."""

    action: str = ""
    fields: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {"action": self.action, **self.fields} if self.action else dict(self.fields)


def _switchboard() -> None:
    # SQLite's transactions are IMMEDIATE (one writer at a time already); PostgreSQL
    # takes a transaction-wide advisory lock.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])


def _log(at: datetime, call_id: str, queue: str, agent: str, event: str, *data) -> None:
    values = {f"data{i}": str(value) for i, value in enumerate(data, start=1)}
    rows.add(
        QueueLogEntry(
            time=at,
            call_id=call_id or "NONE",
            queue=queue or "NONE",
            agent=agent or "NONE",
            event=event,
            **values,
        )
    )


# A CTI request collects the commands its own event makes and hands them back in its
# answer (so they are stored as taken); the rest wait for the bridge's poll.
_collected: ContextVar[list | None] = ContextVar("civicline_cti_commands", default=None)


@contextmanager
def commands_answered() -> Iterator[list[dict]]:
    collected: list[dict] = []
    token = _collected.set(collected)
    try:
        yield collected
    finally:
        _collected.reset(token)


def _command(action: str, at: datetime, call_id: str = "", **payload) -> None:
    collected = _collected.get()
    rows.add(
        Command(
            action=action,
            call_id=call_id,
            payload=payload,
            created_at=at,
            taken_at=at if collected is not None else None,
        )
    )
    if collected is not None:
        collected.append({"action": action, "callId": call_id, **payload})


def _set_state(
    agent: Agent, state: str, at: datetime, *, reason: str = "", call: Call | None = None
) -> None:
    changes = {"state": state, "state_since": at}
    if state != AgentState.WRAPUP:
        changes["wrapup_until"] = None
    if state in (AgentState.AVAILABLE, AgentState.LOGGED_OUT):
        changes["pause_reason"] = ""
    rows.update(agent, **changes)
    rows.add(AgentStateChange(agent=agent, state=state, reason=reason, at=at, call=call))


def _logged_in_queues(agent: Agent) -> list[str]:
    return list(
        QueueMember.objects.filter(agent=agent, logged_in=True).values_list(
            "queue__name", flat=True
        )
    )


def _free(agent: Agent, at: datetime, call: Call | None = None) -> None:
    """After a call or a ring: a pause asked for meanwhile starts now, else available."""
    if agent.pause_reason:
        _set_state(agent, AgentState.PAUSED, at, reason=agent.pause_reason, call=call)
        for queue in _logged_in_queues(agent):
            _log(at, "NONE", queue, agent.queue_log_name, "PAUSE", agent.pause_reason)
    else:
        _set_state(agent, AgentState.AVAILABLE, at, call=call)


def cti_token_create(*, name: str, blocked_numbers: str = "") -> tuple[CtiToken, str]:
    """A PBX bridge's connection and its token; the token is shown once, stored hashed."""
    raw = secrets.token_urlsafe(24)
    made = CtiToken.objects.create(
        name=name, token_hash=token_digest(raw), blocked_numbers=blocked_numbers
    )
    return made, raw


# Agents ------------------------------------------------------------------------------


@transaction.atomic
def agent_login(*, agent: Agent, queues: list[Queue] | None = None) -> Agent:
    """The agent takes calls from their queues (or the given ones)."""
    _switchboard()
    now = clock.now()
    agent = Agent.objects.get(pk=agent.pk)
    members = QueueMember.objects.filter(agent=agent, logged_in=False).select_related("queue")
    if queues is not None:
        members = members.filter(queue__in=queues)
    for member in members:
        member.logged_in = True
        member.save(update_fields=["logged_in"])
        _log(now, "NONE", member.queue.name, agent.queue_log_name, "ADDMEMBER")
    if not QueueMember.objects.filter(agent=agent, logged_in=True).exists():
        raise ValidationError(_("This agent is in no queue; an engineer adds them in the admin."))
    if agent.state == AgentState.LOGGED_OUT:
        _set_state(agent, AgentState.AVAILABLE, now)
    _distribute(now)
    return agent


@transaction.atomic
def agent_logout(*, agent: Agent) -> Agent:
    _switchboard()
    now = clock.now()
    agent = Agent.objects.get(pk=agent.pk)
    if agent.state == AgentState.ON_CALL:
        raise ValidationError(_("Finish the call before logging out."))
    _cancel_rings(Ring.objects.filter(agent=agent), now, event="RINGCANCELED")
    for member in QueueMember.objects.filter(agent=agent, logged_in=True).select_related("queue"):
        member.logged_in = False
        member.save(update_fields=["logged_in"])
        _log(now, "NONE", member.queue.name, agent.queue_log_name, "REMOVEMEMBER")
    _set_state(agent, AgentState.LOGGED_OUT, now)
    _distribute(now)
    return agent


def _tell_pbx_pause(agent: Agent, *, paused: bool, reason: str, at: datetime) -> None:
    # Where Asterisk runs the queues, it must stop (or start) ringing the agent itself.
    if settings.TELEPHONY_ROUTING == "pbx":
        _command(Command.Action.PAUSE, at, extension=agent.extension, paused=paused, reason=reason)


@transaction.atomic
def agent_pause(*, agent: Agent, reason: str) -> Agent:
    """A pause with a reason. On a call it starts when the call (and wrap-up) ends."""
    _switchboard()
    if reason not in PauseReason.values:
        raise ValidationError({"reason": _("Choose why you pause.")})
    now = clock.now()
    agent = Agent.objects.get(pk=agent.pk)
    if agent.state == AgentState.LOGGED_OUT:
        raise ValidationError(_("Log in to the queues first."))
    agent.pause_reason = reason
    agent.save(update_fields=["pause_reason"])
    _tell_pbx_pause(agent, paused=True, reason=reason, at=now)
    if agent.state == AgentState.ON_CALL:
        return agent
    if agent.state == AgentState.RINGING:
        _cancel_rings(Ring.objects.filter(agent=agent), now, event="RINGCANCELED", free=False)
    if agent.state != AgentState.PAUSED:
        _free(agent, now)
    _distribute(now)
    return agent


@transaction.atomic
def agent_unpause(*, agent: Agent) -> Agent:
    _switchboard()
    now = clock.now()
    agent = Agent.objects.get(pk=agent.pk)
    _tell_pbx_pause(agent, paused=False, reason="", at=now)
    if agent.state == AgentState.PAUSED:
        for queue in _logged_in_queues(agent):
            _log(now, "NONE", queue, agent.queue_log_name, "UNPAUSE", agent.pause_reason)
        _set_state(agent, AgentState.AVAILABLE, now)
    elif agent.pause_reason:  # asked on a call: never mind
        agent.pause_reason = ""
        agent.save(update_fields=["pause_reason"])
    _distribute(now)
    return agent


# Calls -------------------------------------------------------------------------------


def citizen_number(raw: str) -> str:
    """E.164 of a number as a PBX sends it ("381641234567", "+381...", "064..."), or ""
    for "anonymous" and anything unreadable."""
    text = (raw or "").strip()
    if not text or not any(ch.isdigit() for ch in text):
        return ""
    for candidate in (text, "+" + text if text.isdigit() and not text.startswith("0") else ""):
        if candidate:
            try:
                return phone_to_e164(candidate)
            except PhoneError:
                continue
    return ""


def _queue_for(name: str, to_number: str) -> Queue | None:
    if name:
        found = rows.select(Queue, "name = %s", [name], related=("calendar",))
    else:
        number = citizen_number(to_number)
        by_number = "number = %s ORDER BY id LIMIT 1"
        found = rows.select(Queue, by_number, [number], related=("calendar",)) if number else []
    return found[0] if found else None


def is_open(queue: Queue, at: datetime) -> bool:
    if queue.calendar_id is None:
        return True
    opens, _closes = next(calendar_from(queue.calendar).open_intervals(at))
    return opens <= at


def _waiting(queue: Queue, *, besides: Call | None = None) -> int:
    sql = (
        f"SELECT COUNT(*) FROM {rows.table(Call)} WHERE queue_id = %s AND state IN (%s, %s)"
        " AND answered_at IS NULL"
    )
    params = [queue.pk, CallState.WAITING, CallState.RINGING]
    if besides and besides.pk:
        sql, params = f"{sql} AND id <> %s", [*params, besides.pk]
    return rows.query(sql, params)[0][0]


def position(call: Call) -> int:
    """1 for the caller answered next in this queue."""
    ahead = Call.objects.filter(
        queue_id=call.queue_id,
        state__in=[CallState.WAITING, CallState.RINGING],
        answered_at=None,
    ).filter(Q(place_since__lt=call.place_since) | Q(place_since=call.place_since, id__lt=call.id))
    return ahead.count() + 1


def estimated_wait_s(call: Call, at: datetime) -> int:
    """Asterisk's estimate: the queue's recent average hold less what was waited."""
    waited = seconds_between(call.place_since, at)
    return max(0, round(call.queue.average_hold_s) - waited)


def _enter(
    call: Call, queue: Queue, at: datetime, *, place_since: datetime, ahead: int | None = None
) -> None:
    """The call joins `queue`'s line; `ahead`, the callers already in it, where known."""
    call.queue = queue
    call.state = CallState.WAITING
    call.entered_queue_at = at
    call.place_since = place_since
    call.callback_offered = False
    if ahead is None:
        ahead = _waiting(queue, besides=call)
    call.original_position = ahead + 1
    if call.pk is None:
        rows.add(call)
    else:
        call.save()
    _log(at, call.call_id, queue.name, "NONE", "ENTERQUEUE", "", call.from_number)


def _agent_named(value: str) -> Agent | None:
    value = (value or "").strip()
    if not value:
        return None
    return (
        Agent.objects.filter(Q(extension=value) | Q(user__username=value))
        .select_related("user")
        .first()
    )


@transaction.atomic
def call_new(
    *,
    call_id: str,
    from_number: str,
    to_number: str,
    direction: str,
    queue_name: str = "",
    user: str = "",
    blocked: frozenset[str] = frozenset(),
) -> tuple[Call, Answer]:
    """The PBX announces a call. An incoming call to a queue's number (or named queue)
    waits there for an agent; a blocked number is rejected; outside opening hours the
    queue's closed action answers."""
    _switchboard()
    now = clock.now()
    if rows.query(f"SELECT 1 FROM {rows.table(Call)} WHERE call_id = %s", [call_id]):
        raise CallError(_("Call %(id)s is known already.") % {"id": call_id}, code="repeated")
    citizen = citizen_number(from_number if direction == Direction.IN else to_number)
    call = Call(
        call_id=call_id,
        direction=direction,
        from_number=from_number,
        to_number=to_number,
        citizen_e164=citizen,
        state=CallState.RINGING,
        started_at=now,
        agent=_agent_named(user),
    )
    if direction == Direction.IN and citizen and citizen in blocked:
        call.state, call.outcome, call.ended_at = CallState.ENDED, Outcome.REJECTED, now
        call.save()
        return call, Answer("reject", {"reason": "busy"})
    queue = _queue_for(queue_name, to_number) if direction == Direction.IN else None
    if queue is None:
        call.save()  # a direct or outgoing call: logged, not queued
        if call.agent and call.agent.state in (AgentState.AVAILABLE, AgentState.WRAPUP):
            _set_state(call.agent, AgentState.RINGING, now, call=call)
        return call, Answer()
    call.queue = queue
    if not is_open(queue, now):
        call.state, call.outcome, call.ended_at = CallState.ENDED, Outcome.CLOSED, now
        call.save()
        if queue.closed_action == ClosedAction.CALLBACK and citizen:
            Callback.objects.create(
                number=citizen,
                call=call,
                queue=queue,
                reason=Callback.Reason.CLOSED,
                created_at=now,
            )
        return call, Answer(
            "hangup" if queue.closed_action != ClosedAction.VOICEMAIL else "voicemail",
            {
                "reason": "closed",
                "message": queue.closed_message,
                "closedAction": queue.closed_action,
            },
        )
    ahead = _waiting(queue)
    if queue.max_waiting and ahead >= queue.max_waiting:
        call.save()
        _log(now, call.call_id, queue.name, "NONE", "FULL", "", "", "")
        if queue.overflow_to_id:
            return _overflow_entry(call, queue.overflow_to, now)
        call.state, call.outcome, call.ended_at = CallState.ENDED, Outcome.FULL, now
        call.save()
        return call, Answer("hangup", {"reason": "full"})
    _enter(call, queue, now, place_since=now, ahead=ahead)
    rung = _distribute(now, at_hand=call)
    return call, _in_line(call, now, rung=call.pk in rung)


def _overflow_entry(call: Call, queue: Queue, at: datetime) -> tuple[Call, Answer]:
    _enter(call, queue, at, place_since=call.place_since or at)
    rung = _distribute(at, at_hand=call)
    return call, _in_line(call, at, rung=call.pk in rung)


def _in_line(call: Call, at: datetime, *, rung: bool) -> Answer:
    if rung:
        return Answer("queue", {"queue": call.queue.name, "position": 0, "estimatedWait": 0})
    return Answer(
        "queue",
        {
            "queue": call.queue.name,
            "position": position(call),
            "estimatedWait": estimated_wait_s(call, at),
        },
    )


def _call(call_id: str, *, lock: bool = True) -> Call:
    found = rows.select(Call, "call_id = %s", [call_id], related=("queue", "agent"), lock=lock)
    if not found:
        raise CallError(_("No call %(id)s.") % {"id": call_id}, code="unknown")
    return found[0]


def _ended(call: Call) -> None:
    if call.state == CallState.ENDED:
        raise CallError(_("Call %(id)s has ended already.") % {"id": call.call_id}, code="ended")


def _queued(call: Call) -> bool:
    """A call that came in through a queue (not a callback going out): queue_log has it."""
    return bool(call.queue_id and call.entered_queue_at and call.callback_for_id is None)


def _left_queue(call: Call, at: datetime, event: str, *first) -> None:
    """A caller leaves the queue unanswered: queue_log's `event|[key|]position|
    origposition|waittime` (ABANDON, EXITWITHTIMEOUT, EXITWITHKEY)."""
    _log(
        at, call.call_id, call.queue.name, "NONE", event, *first, position(call),
        call.original_position, seconds_between(call.entered_queue_at, at),
    )  # fmt: skip


def _cancel_rings(rings, at: datetime, *, event: str, free: bool = True) -> None:
    for ring in rings.select_related("agent", "call", "call__queue"):
        ring_ms = round((at - ring.started_at).total_seconds() * 1000)
        _log(at, ring.call.call_id, ring.call.queue.name, ring.agent.queue_log_name, event, ring_ms)
        _command(Command.Action.CANCEL, at, ring.call.call_id, to=ring.agent.extension)
        ring.delete()
        if free:
            _free(ring.agent, at, call=ring.call)
        call = ring.call
        if not call.rings.exists() and call.state == CallState.RINGING:
            call.state = CallState.WAITING
            call.ring_started_at = None
            call.save(update_fields=["state", "ring_started_at"])


@transaction.atomic
def call_answer(*, call_id: str, answering: str = "", user: str = "") -> Call:
    """Someone picked up. For a queue call, the agent whose phone rang: CONNECT, and the
    other phones (ringall) stop ringing."""
    _switchboard()
    now = clock.now()
    call = _call(call_id)
    _ended(call)
    if call.answered_at:
        raise CallError(_("Call %(id)s was answered already.") % {"id": call_id}, code="repeated")
    rings = rows.select(Ring, "call_id = %s", [call.pk], related=("agent",))
    # The phone that rang is the usual answer; anyone else is looked up.
    agent = next((r.agent for r in rings if answering and r.agent.extension == answering), None)
    agent = agent or _agent_named(answering) or _agent_named(user) or call.agent
    if agent is None and len(rings) == 1:
        agent = rings[0].agent
    if _queued(call):
        if agent is None:
            raise CallError(_("Which agent answered? Send answeringNumber."), code="agent")
        hold = seconds_between(call.entered_queue_at, now)
        ring = next((r for r in rings if r.agent_id == agent.pk), None)
        ring_s = seconds_between(ring.started_at, now) if ring else 0
        _log(
            now,
            call.call_id,
            call.queue.name,
            agent.queue_log_name,
            "CONNECT",
            hold,
            call.call_id,
            ring_s,
        )
        queue = call.queue
        rows.update(queue, average_hold_s=(queue.average_hold_s * 3 + hold) / 4)
        if any(r.agent_id != agent.pk for r in rings):
            _cancel_rings(call.rings.exclude(agent=agent), now, event="RINGCANCELED")
        if ring:
            rows.execute(f"DELETE FROM {rows.table(Ring)} WHERE id = %s", [ring.pk])
    rows.update(call, agent=agent, state=CallState.CONNECTED, answered_at=now)
    if agent is not None:
        _set_state(agent, AgentState.ON_CALL, now, call=call)
    return call


@transaction.atomic
def call_hangup(*, call_id: str, cause: str = "", by: str = "") -> Call:
    """The call ended. Waiting or ringing in the queue: the caller gave up (ABANDON; the
    number goes on the callback list). Connected: COMPLETECALLER or COMPLETEAGENT, and the
    agent has the queue's wrap-up time."""
    _switchboard()
    now = clock.now()
    call = _call(call_id)
    _ended(call)
    call.hangup_cause = (cause or "")[:40]
    queued = _queued(call)
    if call.state in (CallState.WAITING, CallState.RINGING) and call.answered_at is None:
        if queued:
            _left_queue(call, now, "ABANDON")
            _cancel_rings(call.rings.all(), now, event="RINGCANCELED")
            if call.citizen_e164:
                Callback.objects.create(
                    number=call.citizen_e164, call=call, queue=call.queue,
                    reason=Callback.Reason.MISSED, created_at=now,
                )  # fmt: skip
            call.outcome = Outcome.ABANDONED
        else:
            call.outcome = Outcome.MISSED
            if call.agent and call.agent.state == AgentState.RINGING:
                _free(call.agent, now, call=call)
    elif call.state == CallState.CONNECTED:
        call.outcome = Outcome.ANSWERED
        if queued and call.agent:
            event = "COMPLETEAGENT" if by == "agent" else "COMPLETECALLER"
            _log(
                now, call.call_id, call.queue.name, call.agent.queue_log_name, event,
                seconds_between(call.entered_queue_at, call.answered_at),
                seconds_between(call.answered_at, now), call.original_position,
            )  # fmt: skip
        if call.agent:
            _after_call(call, now)
    rows.update(
        call,
        state=CallState.ENDED,
        ended_at=now,
        outcome=call.outcome,
        hangup_cause=call.hangup_cause,
    )
    _distribute(now)
    return call


def _after_call(call: Call, at: datetime) -> None:
    """The agent finished a call: counted for the strategies, then wrap-up."""
    agent = call.agent
    if call.queue_id:
        rows.execute(
            f"UPDATE {rows.table(QueueMember)} SET calls_taken = calls_taken + 1,"
            " last_call_at = %s WHERE queue_id = %s AND agent_id = %s",
            [rows.moment(at), call.queue_id, agent.pk],
        )
    wrapup = call.queue.wrapup_s if call.queue_id else 0
    if wrapup:
        agent.wrapup_until = at + timedelta(seconds=wrapup)
        agent.save(update_fields=["wrapup_until"])
        _set_state(agent, AgentState.WRAPUP, at, call=call)
    else:
        _free(agent, at, call=call)


@transaction.atomic
def call_transfer(
    *, call_id: str, to_number: str, attended: bool = False, by: AbstractBaseUser | None = None
) -> Call:
    """The agent passes the caller to a department's number without dropping them: the
    PBX is asked to transfer (blind or attended); the agent is free once it is done."""
    _switchboard()
    now = clock.now()
    call = _call(call_id)
    _ended(call)
    if call.state != CallState.CONNECTED:
        raise CallError(_("Only a call in progress can be transferred."), code="state")
    target = citizen_number(to_number) or (to_number or "").strip()
    if not target or len(target) > 40:
        raise CallError(
            _("“%(number)s” is not a number to transfer to.") % {"number": to_number[:40]},
            code="number",
        )
    _command(
        Command.Action.TRANSFER,
        now,
        call.call_id,
        to=target,
        kind="attended" if attended else "blind",
    )
    if _queued(call) and call.agent:
        hold = seconds_between(call.entered_queue_at, call.answered_at)
        talk = seconds_between(call.answered_at, now)
        if attended:
            _log(now, call.call_id, call.queue.name, call.agent.queue_log_name, "ATTENDEDTRANSFER",
                 "BRIDGE", target, hold, talk, call.original_position)  # fmt: skip
        else:
            _log(now, call.call_id, call.queue.name, call.agent.queue_log_name, "BLINDTRANSFER",
                 target, "from-internal", hold, talk, call.original_position)  # fmt: skip
    kind = _("attended") if attended else _("blind")
    note = _("Call transferred (%(kind)s) to %(number)s.") % {"kind": kind, "number": target}
    for case in call.cases.all():
        case_add_note(case=case, actor=by, note=note, is_public=False)
    call.outcome = Outcome.TRANSFERRED
    call.state, call.ended_at = CallState.ENDED, now
    call.save(update_fields=["outcome", "state", "ended_at"])
    if call.agent:
        _after_call(call, now)
    _distribute(now)
    return call


@transaction.atomic
def call_take_callback(*, call_id: str) -> Call:
    """The waiting caller pressed 1 when offered a callback: they hang up and keep their
    place; the agent who reaches it calls them back."""
    _switchboard()
    now = clock.now()
    call = _call(call_id)
    _ended(call)
    if call.state != CallState.WAITING or not call.queue_id or not call.citizen_e164:
        raise CallError(_("This call cannot be called back."), code="state")
    _left_queue(call, now, "EXITWITHKEY", "1")
    call.state, call.outcome, call.ended_at = CallState.ENDED, Outcome.CALLBACK, now
    call.save(update_fields=["state", "outcome", "ended_at"])
    callback = Call.objects.create(
        call_id=f"{call.call_id[:240]}-cb",
        direction=Direction.OUT,
        from_number=call.to_number,
        to_number=call.citizen_e164,
        citizen_e164=call.citizen_e164,
        queue=call.queue,
        state=CallState.WAITING,
        started_at=now,
        entered_queue_at=now,
        place_since=call.place_since,
        callback_for=call,
    )
    _distribute(now)
    return callback


def call_route(*, call_id: str) -> dict:
    """Where the call stands for the PBX: the agents ringing for it (`dial`), its place
    in the queue (`queue`), or nothing to do."""
    call = _call(call_id, lock=False)
    now = clock.now()
    if call.state == CallState.RINGING and call.queue_id:
        extensions = list(call.rings.values_list("agent__extension", flat=True))
        if extensions:
            return {"action": "dial", "to": extensions[0], "extensions": extensions}
    if call.state == CallState.WAITING:
        return {
            "action": "queue",
            "queue": call.queue.name,
            "position": position(call),
            "estimatedWait": estimated_wait_s(call, now),
        }
    return {"action": "", "state": call.state}


def link_case(*, call: Call, case) -> None:
    """A case registered during the call is listed with it (and the call with the case)."""
    call.cases.add(case)


@transaction.atomic
def call_originate(*, agent: Agent, number: str) -> str:
    """Click-to-call: the PBX rings the agent's phone, then the number. Returns the number
    dialled (E.164 where it could be read)."""
    target = citizen_number(number)
    if not target:
        raise ValidationError(
            {"number": _("“%(number)s” is not a phone number.") % {"number": number[:40]}}
        )
    _command(Command.Action.ORIGINATE, clock.now(), "", **{"from": agent.extension, "to": target})
    return target


@transaction.atomic
def callback_done(*, callback: Callback, by: AbstractBaseUser) -> Callback:
    callback = Callback.objects.select_for_update().get(pk=callback.pk)
    if callback.done_at is None:
        callback.done_at, callback.done_by = clock.now(), by
        callback.save(update_fields=["done_at", "done_by"])
    return callback


# Timers and distribution ---------------------------------------------------------------


@transaction.atomic
def tick() -> None:
    """Let the timers run out up to now: unanswered rings, ended wrap-ups, callers who
    waited long enough to be offered a callback, to overflow or to leave; then ring free
    agents. The CTI bridge's poll and every event call it."""
    _switchboard()
    now = clock.now()
    _timers(now)
    _distribute(now)


def _timers(now: datetime) -> None:
    for ring in Ring.objects.select_related("call__queue", "agent"):
        if ring.started_at + timedelta(seconds=ring.call.queue.ring_timeout_s) <= now:
            _cancel_rings(Ring.objects.filter(pk=ring.pk), now, event="RINGNOANSWER")
    for agent in Agent.objects.filter(state=AgentState.WRAPUP, wrapup_until__lte=now):
        _free(agent, now)
    timed = Call.objects.filter(state=CallState.WAITING, callback_for=None).select_related("queue")
    timed = timed.filter(
        Q(queue__max_wait_s__gt=0)
        | Q(queue__overflow_after_s__gt=0)
        | Q(queue__callback_after_s__gt=0)
    )
    for call in timed:
        queue, waited = call.queue, now - call.entered_queue_at
        if (
            queue.overflow_to_id
            and queue.overflow_after_s
            and waited >= timedelta(seconds=queue.overflow_after_s)
        ):
            _left_queue(call, now, "EXITWITHTIMEOUT")
            _enter(call, queue.overflow_to, now, place_since=call.place_since)
        elif queue.max_wait_s and waited >= timedelta(seconds=queue.max_wait_s):
            _left_queue(call, now, "EXITWITHTIMEOUT")
            call.state, call.outcome, call.ended_at = CallState.ENDED, Outcome.TIMEOUT, now
            call.save(update_fields=["state", "outcome", "ended_at"])
            _command(Command.Action.HANGUP, now, call.call_id, reason="timeout")
        elif (
            queue.callback_after_s
            and not call.callback_offered
            and call.citizen_e164
            and waited >= timedelta(seconds=queue.callback_after_s)
        ):
            call.callback_offered = True
            call.save(update_fields=["callback_offered"])
            _command(Command.Action.OFFER_CALLBACK, now, call.call_id, position=position(call))


def next_due() -> datetime | None:
    """When a timer runs out next, so a bridge or the simulator knows when to look."""
    moments = []
    for ring in Ring.objects.select_related("call__queue"):
        moments.append(ring.started_at + timedelta(seconds=ring.call.queue.ring_timeout_s))
    wrap = Agent.objects.filter(state=AgentState.WRAPUP).order_by("wrapup_until").first()
    if wrap and wrap.wrapup_until:
        moments.append(wrap.wrapup_until)
    waiting = Call.objects.filter(state=CallState.WAITING, callback_for=None).select_related(
        "queue"
    )
    for call in waiting:
        queue = call.queue
        for seconds, applies in (
            (queue.overflow_after_s, bool(queue.overflow_to_id)),
            (queue.max_wait_s, True),
            (queue.callback_after_s, not call.callback_offered and bool(call.citizen_e164)),
        ):
            if seconds and applies:
                moments.append(call.entered_queue_at + timedelta(seconds=seconds))
    return min(moments) if moments else None


def _free_members(queue: Queue, *, besides: set[int], wanted: int) -> list["Member"]:
    """The queue's free members as light rows, not models. Where the strategy picks one
    agent per call, the database orders them the strategy's way and hands over as many
    as there are callers: a big line has hundreds of free agents at quiet times."""
    where = (
        f"queue_id = %s AND logged_in = %s AND agent_id IN"
        f" (SELECT id FROM {rows.table(Agent)} WHERE state = %s)"
    )
    params = [queue.pk, True, AgentState.AVAILABLE]
    if besides:
        where += f" AND agent_id NOT IN ({', '.join(['%s'] * len(besides))})"
        params += list(besides)
    order = strategies.SQL_ORDER.get(queue.strategy)
    if order is not None:
        where, params = f"{where} ORDER BY {order} LIMIT %s", [*params, wanted]
    ranks = _ranks({queue.pk}) if queue.strategy == Strategy.RRMEMORY else {}
    found = []
    for m in rows.select(QueueMember, where, params, related=("agent",)):
        rank = (ranks.get(m.id, 0), m.position, m.id)
        found.append(Member(m.id, m.queue_id, m.agent_id, m.agent.extension, m.penalty,
                            m.position, m.calls_taken, m.last_call_at, rank))  # fmt: skip
    return found


def _distribute(now: datetime, *, at_hand: Call | None = None) -> set[int]:
    """Ring free agents for waiting callers, longest waiting first across all queues
    (queues sharing agents give them to whoever has waited longest). Returns the ids of
    the calls that ring now. Where the PBX runs the queues itself (Asterisk over AMI),
    civicline only follows them and rings nobody."""
    if settings.TELEPHONY_ROUTING == "pbx":
        return set()
    # The line's order by id alone; whole rows only for callers not already at hand (on
    # a line that keeps up, the caller who just came in, or nobody).
    line = [
        pk
        for (pk,) in rows.query(
            f"SELECT id FROM {rows.table(Call)} WHERE state = %s ORDER BY place_since, id LIMIT %s",
            [CallState.WAITING, WAITING_LOOKED_AT],
        )
    ]
    if not line:
        return set()
    known = {at_hand.pk: at_hand} if at_hand is not None else {}
    missing = [pk for pk in line if pk not in known]
    if missing:
        known.update(Call.objects.select_related("queue").in_bulk(missing))
    calls = [known[pk] for pk in line]
    callers_per_queue: dict[int, int] = {}
    for call in calls:
        callers_per_queue[call.queue_id] = callers_per_queue.get(call.queue_id, 0) + 1
    free_by_queue: dict[int, list[Member]] = {}
    taken: set[int] = set()
    rung: set[int] = set()
    for call in calls:
        candidates = [m for m in free_by_queue.get(call.queue_id, []) if m.agent_id not in taken]
        if not candidates:  # first look at this queue, or its agents went to other callers
            candidates = free_by_queue[call.queue_id] = _free_members(
                call.queue, besides=taken, wanted=callers_per_queue[call.queue_id]
            )
        callers_per_queue[call.queue_id] -= 1
        chosen = strategies.choose(call.queue, candidates, RNG)
        if not chosen:
            continue
        for member in chosen:
            taken.add(member.agent_id)
            _ring(call, member, now)
        rung.add(call.pk)
        if call.queue.strategy == Strategy.RRMEMORY:
            call.queue.last_position = chosen[0].rank[0]
            Queue.objects.filter(pk=call.queue_id).update(last_position=chosen[0].rank[0])
    return rung


def _ranks(queue_ids: set[int]) -> dict[int, int]:
    """Each member's place in its queue's whole list, free or not: round robin with
    memory goes on from the place it rang last."""
    ranks: dict[int, int] = {}
    if not queue_ids:
        return ranks
    listed = QueueMember.objects.filter(queue_id__in=queue_ids).order_by(
        "queue_id", "position", "id"
    )
    previous, rank = None, 0
    for member_id, queue_id in listed.values_list("id", "queue_id"):
        rank = rank + 1 if queue_id == previous else 0
        ranks[member_id], previous = rank, queue_id
    return ranks


@dataclass
class Member:
    """A free queue member as the strategies see it."""

    id: int
    queue_id: int
    agent_id: int
    extension: str
    penalty: int
    position: int
    calls_taken: int
    last_call_at: datetime | None
    rank: tuple = ()


def _ring(call: Call, member: Member, at: datetime) -> None:
    agent = Agent(pk=member.agent_id, extension=member.extension, state=AgentState.AVAILABLE)
    rows.add(Ring(call=call, agent=agent, started_at=at))
    _set_state(agent, AgentState.RINGING, at, call=call)
    rows.update(call, state=CallState.RINGING, ring_started_at=at)
    payload = {"to": agent.extension, "queue": call.queue.name, "from": call.from_number}
    if call.callback_for_id:
        payload["callback"] = call.citizen_e164
    _command(Command.Action.DIAL, at, call.call_id, **payload)


@transaction.atomic
def commands_take(*, limit: int = 500) -> list[dict]:
    """The PBX's instructions not yet collected, oldest first; collected once."""
    taken = list(Command.objects.filter(taken_at=None).order_by("id")[:limit])
    if taken:
        Command.objects.filter(pk__in=[c.pk for c in taken]).update(taken_at=clock.now())
    return [{"action": c.action, "callId": c.call_id, **c.payload} for c in taken]
