"""Asterisk's queues, mirrored: what the AMI connector writes when the PBX routes the calls.

When Asterisk runs the queues itself, civicline's ACD (`services`) must not route: Asterisk
has already decided. These functions only record what Asterisk reports, in the same shape
civicline's own ACD writes: one `QueueLogEntry` per step (the line Asterisk's own queue_log
would have), the `Call` rows the desk and the reports read, and every agent's state.

Each function is one transaction. They are idempotent where Asterisk may repeat itself
(a member in several queues gets one status event per queue) and tolerate a connector that
started in the middle of a call (a missing `Call` row is made from what the event says).
"""

import re
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import F

from civicline.telephony.models import (
    Agent,
    AgentState,
    AgentStateChange,
    Call,
    Callback,
    CallState,
    Command,
    Direction,
    Outcome,
    Queue,
    QueueLogEntry,
    QueueMember,
)
from civicline.telephony.selectors import seconds_between
from civicline.telephony.services import citizen_number

# PJSIP/101, SIP/101, IAX2/101, Local/101@agents/n: the extension is what follows the
# technology, up to an "@" or a "/" (Local channels) or a "-" (a channel's sequence).
INTERFACE = re.compile(r"^[A-Za-z0-9]+/(?P<extension>[^@/-]+)")

# Asterisk's device states (QueueMemberStatus `Status`) as agent states.
DEVICE_STATES = {
    1: AgentState.AVAILABLE,  # AST_DEVICE_NOT_INUSE
    2: AgentState.ON_CALL,  # INUSE
    3: AgentState.ON_CALL,  # BUSY
    4: AgentState.LOGGED_OUT,  # INVALID
    5: AgentState.LOGGED_OUT,  # UNAVAILABLE
    6: AgentState.RINGING,  # RINGING
    7: AgentState.RINGING,  # RINGINUSE
    8: AgentState.ON_CALL,  # ONHOLD
}
TRANSFER_EVENTS = ("BLINDTRANSFER", "ATTENDEDTRANSFER")
REASON_LENGTH = 20  # Agent.pause_reason and AgentStateChange.reason


def _log(at: datetime, call_id: str, queue: str, agent: str, event: str, *data) -> None:
    values = {f"data{i}": str(value)[:250] for i, value in enumerate(data, start=1)}
    QueueLogEntry.objects.create(
        time=at,
        call_id=(call_id or "NONE")[:250],
        queue=(queue or "NONE")[:64],
        agent=(agent or "NONE")[:128],
        event=event,
        **values,
    )


def agent_for(interface: str) -> Agent | None:
    """The agent whose extension the member interface names (`PJSIP/101` → 101)."""
    match = INTERFACE.match((interface or "").strip())
    if not match:
        return None
    return Agent.objects.filter(extension=match["extension"]).first()


def _agent_name(agent: Agent | None, interface: str) -> str:
    # An interface no agent has stays in queue_log as Asterisk named it.
    return agent.queue_log_name if agent else interface


def _set_state(
    agent: Agent, state: str, at: datetime, *, reason: str = "", call: Call | None = None
) -> None:
    # Repeats (one status event per queue, a device state and the queue's event for the
    # same ring) change nothing, but the call is noted: it finds the agents ringing for it.
    same_reason = state != AgentState.PAUSED or reason[:REASON_LENGTH] == agent.pause_reason
    if agent.state == state and same_reason:
        if call is None:
            return
        last = agent.changes.order_by("-at", "-id").first()
        if last is not None and last.state == state and last.call_id in (None, call.pk):
            if last.call_id is None:
                last.call = call
                last.save(update_fields=["call"])
            return
    agent.state, agent.state_since = state, at
    agent.wrapup_until = None
    fields = ["state", "state_since", "wrapup_until"]
    if state == AgentState.PAUSED:
        agent.pause_reason = reason[:REASON_LENGTH]
        fields.append("pause_reason")
    elif state in (AgentState.AVAILABLE, AgentState.LOGGED_OUT):
        agent.pause_reason = ""
        fields.append("pause_reason")
    agent.save(update_fields=fields)
    AgentStateChange.objects.create(
        agent=agent, state=state, reason=reason[:REASON_LENGTH], at=at, call=call
    )


def _free(agent: Agent, at: datetime, call: Call | None = None) -> None:
    """A ring or a call is over: a pause asked for meanwhile starts now, else available."""
    if agent.pause_reason:
        _set_state(agent, AgentState.PAUSED, at, reason=agent.pause_reason, call=call)
    else:
        _set_state(agent, AgentState.AVAILABLE, at, call=call)


def _ringing_for(call: Call) -> list[Agent]:
    """Agents whose phone rings for this call now (ringall rings several)."""
    ringing = []
    for agent in Agent.objects.filter(state=AgentState.RINGING):
        last = agent.changes.order_by("-at", "-id").first()
        if last and last.call_id == call.pk:
            ringing.append(agent)
    return ringing


def _call(call_id: str) -> Call | None:
    return (
        Call.objects.select_for_update(of=("self",))
        .select_related("queue", "agent", "agent__user")
        .filter(call_id=call_id)
        .first()
    )


def _call_or_new(call_id: str, *, caller: str, queue_name: str, at: datetime) -> Call:
    """The call, or one made from the event when the connector missed its start."""
    call = _call(call_id)
    if call is None:
        call = Call.objects.create(
            call_id=call_id[:250],
            direction=Direction.IN,
            from_number=(caller or "")[:40],
            to_number="",
            citizen_e164=citizen_number(caller),
            queue=Queue.objects.filter(name=queue_name).first(),
            state=CallState.WAITING,
            started_at=at,
            entered_queue_at=at,
            place_since=at,
        )
    return call


# Callers -------------------------------------------------------------------------------


@transaction.atomic
def call_joined(
    *,
    call_id: str,
    queue_name: str,
    caller: str,
    exten: str,
    position: int,
    at: datetime,
    channel: str = "",
) -> Call:
    """QueueCallerJoin: the caller waits in a queue (ENTERQUEUE). A call moving on to a
    second queue keeps its row and its place since it first joined."""
    queue = Queue.objects.filter(name=queue_name).first()
    call = _call(call_id)
    if call is None:
        call = Call(
            call_id=call_id[:250],
            direction=Direction.IN,
            from_number=(caller or "")[:40],
            to_number=(exten or (queue.number if queue else ""))[:40],
            citizen_e164=citizen_number(caller),
            started_at=at,
            place_since=at,
        )
    call.queue = queue
    call.state = CallState.WAITING
    call.entered_queue_at = at
    call.original_position = max(0, position)
    call.caller_channel = channel[:80] or call.caller_channel
    call.save()
    _log(at, call.call_id, queue_name, "NONE", "ENTERQUEUE", "", caller)
    return call


@transaction.atomic
def call_abandoned(
    *,
    call_id: str,
    queue_name: str,
    caller: str,
    position: int,
    original_position: int,
    hold_s: int,
    at: datetime,
) -> Call:
    """QueueCallerAbandon: the caller hung up while waiting (ABANDON); the number goes
    on the callback list."""
    call = _call_or_new(call_id, caller=caller, queue_name=queue_name, at=at)
    _log(at, call.call_id, queue_name, "NONE", "ABANDON", position, original_position, hold_s)
    for agent in _ringing_for(call):
        _free(agent, at, call=call)
    if call.state != CallState.ENDED:
        call.state, call.outcome, call.ended_at = CallState.ENDED, Outcome.ABANDONED, at
        call.save(update_fields=["state", "outcome", "ended_at"])
        if call.citizen_e164:
            Callback.objects.create(
                number=call.citizen_e164,
                call=call,
                queue=call.queue,
                reason=Callback.Reason.MISSED,
                created_at=at,
            )
    return call


EXITS = {
    # QUEUESTATUS as the dialplan sees it → the queue_log line and the call's outcome.
    "TIMEOUT": ("EXITWITHTIMEOUT", Outcome.TIMEOUT),
    "LEAVEEMPTY": ("EXITEMPTY", Outcome.MISSED),
    "LEAVEUNAVAIL": ("EXITEMPTY", Outcome.MISSED),
}


@transaction.atomic
def call_exited(*, call_id: str, status: str, position: int, at: datetime) -> Call | None:
    """The caller left the queue unanswered because of `status` (QUEUESTATUS): waited too
    long (EXITWITHTIMEOUT) or no agent left (EXITEMPTY). Nothing for a call already
    answered, abandoned or ended."""
    if status not in EXITS:
        return None
    call = _call(call_id)
    if call is None or call.state in (CallState.CONNECTED, CallState.ENDED):
        return call
    event, outcome = EXITS[status]
    waited = seconds_between(call.entered_queue_at, at)
    queue_name = call.queue.name if call.queue else "NONE"
    _log(at, call.call_id, queue_name, "NONE", event, position, call.original_position, waited)
    for agent in _ringing_for(call):
        _free(agent, at, call=call)
    call.state, call.outcome, call.ended_at = CallState.ENDED, outcome, at
    call.save(update_fields=["state", "outcome", "ended_at"])
    return call


@transaction.atomic
def call_hung_up(*, call_id: str, cause: str, at: datetime) -> Call | None:
    """Hangup of the caller's channel: the call is over whatever the queue said before
    (the cause is kept). No queue_log line: Asterisk writes none for a hangup."""
    call = _call(call_id)
    if call is None:
        return None
    call.hangup_cause = call.hangup_cause or (cause or "")[:40]
    if call.state != CallState.ENDED:
        if call.state == CallState.CONNECTED:
            call.outcome = call.outcome or Outcome.ANSWERED
            if call.agent:
                _free(call.agent, at, call=call)
        for agent in _ringing_for(call):
            _free(agent, at, call=call)
        call.state, call.ended_at = CallState.ENDED, at
    call.save(update_fields=["hangup_cause", "state", "ended_at", "outcome"])
    return call


# Agents and calls ----------------------------------------------------------------------


@transaction.atomic
def agent_called(*, call_id: str, interface: str, at: datetime) -> Agent | None:
    """AgentCalled: the member's phone rings for the caller (no queue_log line)."""
    agent = agent_for(interface)
    call = _call(call_id)
    if call is not None and call.state == CallState.WAITING:
        call.state, call.ring_started_at = CallState.RINGING, at
        call.save(update_fields=["state", "ring_started_at"])
    if agent is not None:
        _set_state(agent, AgentState.RINGING, at, call=call)
    return agent


@transaction.atomic
def agent_ring_no_answer(
    *, call_id: str, queue_name: str, interface: str, ring_ms: int, at: datetime
) -> Agent | None:
    """AgentRingNoAnswer: the member let it ring (RINGNOANSWER, in milliseconds)."""
    agent = agent_for(interface)
    call = _call(call_id)
    _log(at, call_id, queue_name, _agent_name(agent, interface), "RINGNOANSWER", ring_ms)
    if agent is not None and agent.state == AgentState.RINGING:
        _free(agent, at, call=call)
    if call is not None and call.state == CallState.RINGING and not _ringing_for(call):
        call.state, call.ring_started_at = CallState.WAITING, None
        call.save(update_fields=["state", "ring_started_at"])
    return agent


@transaction.atomic
def agent_dumped(*, call_id: str, queue_name: str, interface: str, at: datetime) -> Agent | None:
    """AgentDump: the member hung up during the announcement; the caller waits on."""
    agent = agent_for(interface)
    call = _call(call_id)
    _log(at, call_id, queue_name, _agent_name(agent, interface), "AGENTDUMP")
    if agent is not None:
        _free(agent, at, call=call)
    if call is not None and call.state != CallState.ENDED and not call.answered_at:
        call.state, call.agent = CallState.WAITING, None
        call.save(update_fields=["state", "agent"])
    return agent


@transaction.atomic
def agent_connected(
    *,
    call_id: str,
    queue_name: str,
    caller: str,
    interface: str,
    member_uniqueid: str,
    hold_s: int,
    ring_s: int,
    at: datetime,
    caller_channel: str = "",
    agent_channel: str = "",
) -> Call:
    """AgentConnect: the member answered and is bridged to the caller (CONNECT with the
    hold time, the member channel's uniqueid and the ring time)."""
    agent = agent_for(interface)
    call = _call_or_new(call_id, caller=caller, queue_name=queue_name, at=at)
    _log(
        at,
        call.call_id,
        queue_name,
        _agent_name(agent, interface),
        "CONNECT",
        hold_s,
        member_uniqueid,
        ring_s,
    )
    for other in _ringing_for(call):
        if agent is None or other.pk != agent.pk:
            _free(other, at, call=call)
    if call.entered_queue_at is None:
        call.entered_queue_at = at - timedelta(seconds=hold_s)
    call.agent = agent
    call.state = CallState.CONNECTED
    call.answered_at = at
    call.caller_channel = call.caller_channel or caller_channel[:80]
    call.agent_channel = agent_channel[:80]
    call.save(
        update_fields=[
            "agent", "state", "answered_at", "entered_queue_at", "caller_channel",
            "agent_channel",
        ]
    )  # fmt: skip
    if agent is not None:
        _set_state(agent, AgentState.ON_CALL, at, call=call)
    return call


COMPLETES = {"caller": "COMPLETECALLER", "agent": "COMPLETEAGENT"}


@transaction.atomic
def agent_completed(
    *,
    call_id: str,
    queue_name: str,
    caller: str,
    interface: str,
    hold_s: int,
    talk_s: int,
    reason: str,
    at: datetime,
) -> Call:
    """AgentComplete: the member finished with the caller. Hung up by the caller or the
    agent: COMPLETECALLER / COMPLETEAGENT (hold, talk, original position). Reason
    "transfer": the transfer event writes the line (BLINDTRANSFER, ATTENDEDTRANSFER)."""
    agent = agent_for(interface)
    call = _call_or_new(call_id, caller=caller, queue_name=queue_name, at=at)
    event = COMPLETES.get((reason or "").lower())
    if event:
        _log(
            at,
            call.call_id,
            queue_name,
            _agent_name(agent, interface),
            event,
            hold_s,
            talk_s,
            call.original_position,
        )
    if call.answered_at is None:  # the connector missed AgentConnect
        call.answered_at = at - timedelta(seconds=talk_s)
        call.entered_queue_at = call.entered_queue_at or call.answered_at - timedelta(
            seconds=hold_s
        )
    call.agent = agent or call.agent
    if call.state != CallState.ENDED:
        call.state, call.ended_at = CallState.ENDED, at
        call.outcome = Outcome.TRANSFERRED if reason == "transfer" else Outcome.ANSWERED
    call.save(
        update_fields=["agent", "state", "ended_at", "outcome", "answered_at", "entered_queue_at"]
    )
    if agent is not None:
        QueueMember.objects.filter(queue__name=queue_name, agent=agent).update(
            calls_taken=F("calls_taken") + 1, last_call_at=at
        )
        _free(agent, at, call=call)
    return call


@transaction.atomic
def call_transferred(
    *, call_ids: list[str], attended: bool, target: str, detail: str, at: datetime
) -> Call | None:
    """BlindTransfer / AttendedTransfer (Result: Success) of a queue call: BLINDTRANSFER
    (extension, context, hold, talk, original position) or ATTENDEDTRANSFER (how it was
    joined, to what, hold, talk, original position). Once per call: civicline's own
    transfer service may have written the line already."""
    call = (
        Call.objects.select_for_update(of=("self",))
        .select_related("queue", "agent", "agent__user")
        .filter(call_id__in=[c for c in call_ids if c], answered_at__isnull=False)
        .order_by("-answered_at")
        .first()
    )
    if call is None:
        return None
    if not QueueLogEntry.objects.filter(call_id=call.call_id, event__in=TRANSFER_EVENTS).exists():
        end = call.ended_at or at
        hold = seconds_between(call.entered_queue_at, call.answered_at)
        talk = seconds_between(call.answered_at, end)
        _log(
            at,
            call.call_id,
            call.queue.name if call.queue else "NONE",
            call.agent.queue_log_name if call.agent else "NONE",
            "ATTENDEDTRANSFER" if attended else "BLINDTRANSFER",
            target,
            detail,
            hold,
            talk,
            call.original_position,
        )
    if call.state != CallState.ENDED:
        call.state, call.outcome, call.ended_at = CallState.ENDED, Outcome.TRANSFERRED, at
        call.save(update_fields=["state", "outcome", "ended_at"])
        if call.agent:
            _free(call.agent, at, call=call)
    return call


# Members -------------------------------------------------------------------------------


def _membership(queue_name: str, agent: Agent | None) -> QueueMember | None:
    if agent is None:
        return None
    return QueueMember.objects.filter(queue__name=queue_name, agent=agent).first()


@transaction.atomic
def member_added(
    *, queue_name: str, interface: str, paused: bool, reason: str, at: datetime
) -> Agent | None:
    """QueueMemberAdded: the agent takes the queue's calls (ADDMEMBER)."""
    agent = agent_for(interface)
    _log(at, "NONE", queue_name, _agent_name(agent, interface), "ADDMEMBER")
    member = _membership(queue_name, agent)
    if member is not None and not member.logged_in:
        member.logged_in = True
        member.save(update_fields=["logged_in"])
    if agent is not None and agent.state == AgentState.LOGGED_OUT:
        if paused:
            _set_state(agent, AgentState.PAUSED, at, reason=reason)
        else:
            _set_state(agent, AgentState.AVAILABLE, at)
    return agent


@transaction.atomic
def member_removed(*, queue_name: str, interface: str, at: datetime) -> Agent | None:
    """QueueMemberRemoved (REMOVEMEMBER); out of every queue, the agent is logged out."""
    agent = agent_for(interface)
    _log(at, "NONE", queue_name, _agent_name(agent, interface), "REMOVEMEMBER")
    member = _membership(queue_name, agent)
    if member is not None and member.logged_in:
        member.logged_in = False
        member.save(update_fields=["logged_in"])
    if agent is not None and not QueueMember.objects.filter(agent=agent, logged_in=True).exists():
        _set_state(agent, AgentState.LOGGED_OUT, at)
    return agent


@transaction.atomic
def member_paused(
    *, queue_name: str, interface: str, paused: bool, reason: str, at: datetime
) -> Agent | None:
    """QueueMemberPause: PAUSE / UNPAUSE with the reason, one line per queue as Asterisk
    writes them. Paused on a call, the agent shows paused once the call is over."""
    agent = agent_for(interface)
    _log(
        at,
        "NONE",
        queue_name,
        _agent_name(agent, interface),
        "PAUSE" if paused else "UNPAUSE",
        reason,
    )
    if agent is None:
        return None
    if paused:
        if agent.state in (AgentState.ON_CALL, AgentState.RINGING):
            agent.pause_reason = (reason or "paused")[:REASON_LENGTH]
            agent.save(update_fields=["pause_reason"])
        else:
            _set_state(agent, AgentState.PAUSED, at, reason=reason or "paused")
    elif agent.state == AgentState.PAUSED:
        _set_state(agent, AgentState.AVAILABLE, at)
    elif agent.pause_reason:
        agent.pause_reason = ""
        agent.save(update_fields=["pause_reason"])
    return agent


@transaction.atomic
def member_status(
    *, interface: str, status: int, paused: bool, reason: str, at: datetime
) -> Agent | None:
    """QueueMemberStatus: the member's device changed state (no queue_log line). A free
    device of a paused member is a paused agent."""
    agent = agent_for(interface)
    state = DEVICE_STATES.get(status)
    if agent is None or state is None:
        return agent
    if state == AgentState.AVAILABLE and paused:
        _set_state(agent, AgentState.PAUSED, at, reason=reason or agent.pause_reason or "paused")
    elif state == AgentState.AVAILABLE and agent.state == AgentState.PAUSED:
        _free(agent, at)
    elif state == AgentState.LOGGED_OUT and agent.state == AgentState.LOGGED_OUT:
        pass
    else:
        _set_state(agent, state, at)
    return agent


# Commands ------------------------------------------------------------------------------

SENT_BY_AMI = (Command.Action.ORIGINATE, Command.Action.PAUSE, Command.Action.TRANSFER)


def commands_claim(*, at: datetime, limit: int = 50) -> list[Command]:
    """The commands the AMI connector sends (originate, pause, transfer), oldest first,
    each claimed by one conditional UPDATE: two connectors never send the same one. Ring
    and cancel commands stay for a CTI bridge: with Asterisk's queues nobody takes them."""
    claimed = []
    for command in Command.objects.filter(taken_at=None, action__in=SENT_BY_AMI).order_by("id")[
        :limit
    ]:
        if Command.objects.filter(pk=command.pk, taken_at=None).update(taken_at=at) == 1:
            command.taken_at = at
            claimed.append(command)
    return claimed


def channels_of(call_id: str) -> tuple[str, str]:
    """The caller's and the agent's channel names of a call, for a transfer."""
    found = Call.objects.filter(call_id=call_id).values_list("caller_channel", "agent_channel")
    return found.first() or ("", "")
