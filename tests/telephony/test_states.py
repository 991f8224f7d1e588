"""Every state an agent and a call go through, the queue's timers, its opening hours and
what it does when closed, full or slow."""

from datetime import date, time

import pytest
from django.core.exceptions import ValidationError

from civicline.deadlines.models import BusinessCalendar, ClosedDay, OpeningHours
from civicline.telephony import services
from civicline.telephony.models import (
    Agent,
    AgentState,
    AgentStateChange,
    Call,
    Callback,
    CallState,
    Outcome,
    Queue,
    QueueLogEntry,
    QueueMember,
)

CITIZEN = "+381641234567"


def _call(call_id, to="+381800100200", number=CITIZEN):
    return services.call_new(call_id=call_id, from_number=number, to_number=to, direction="in")


def _state(agent):
    return Agent.objects.get(pk=agent.pk).state


def _events(call_id=None):
    rows = QueueLogEntry.objects.all()
    return [r.event for r in (rows.filter(call_id=call_id) if call_id else rows)]


def test_an_agents_day_every_state_timestamped(line, line_clock):
    queue, [ana] = line(agents=1, wrapup_s=10, ring_timeout_s=15)
    path = []

    services.agent_login(agent=ana)
    path.append(_state(ana))
    _call("c1")
    path.append(_state(ana))
    line_clock.advance(15)  # she does not pick up within the queue's 15 s
    services.tick()
    path.append(Agent.objects.get(pk=ana.pk).state)  # back to available, then rung again
    services.call_answer(call_id="c1", answering=ana.extension)
    path.append(_state(ana))
    services.agent_pause(agent=ana, reason="break")  # asked on the call: after it
    path.append(_state(ana))
    line_clock.advance(60)
    services.call_hangup(call_id="c1", by="agent")
    path.append(_state(ana))
    line_clock.advance(10)
    services.tick()
    path.append(_state(ana))  # a pause asked on a call starts after its wrap-up
    services.agent_unpause(agent=ana)
    path.append(_state(ana))
    services.agent_logout(agent=ana)
    path.append(_state(ana))

    assert path == ["available", "ringing", "ringing", "on_call", "on_call", "wrapup",
                    "paused", "available", "logged_out"]  # fmt: skip
    changes = list(AgentStateChange.objects.filter(agent=ana).values_list("state", flat=True))
    assert changes == ["available", "ringing", "available", "ringing", "on_call", "wrapup",
                       "paused", "available", "logged_out"]  # fmt: skip
    assert all(c.at is not None for c in AgentStateChange.objects.all())
    assert _events("c1") == ["ENTERQUEUE", "RINGNOANSWER", "CONNECT", "COMPLETEAGENT"]
    assert QueueLogEntry.objects.get(event="RINGNOANSWER").data1 == "15000"
    assert _events("NONE") == ["ADDMEMBER", "PAUSE", "UNPAUSE", "REMOVEMEMBER"]


def test_wrap_up_then_available_and_the_next_caller_rings(line, line_clock):
    queue, [ana] = line(agents=1, wrapup_s=20)
    services.agent_login(agent=ana)
    _call("c1")
    services.call_answer(call_id="c1", answering=ana.extension)
    _call("c2", number="+381649999999")
    line_clock.advance(30)
    services.call_hangup(call_id="c1")
    assert _state(ana) == AgentState.WRAPUP
    line_clock.advance(19)
    services.tick()
    assert _state(ana) == AgentState.WRAPUP and Call.objects.get(call_id="c2").state == "waiting"
    line_clock.advance(1)
    services.tick()
    assert _state(ana) == AgentState.RINGING
    assert Call.objects.get(call_id="c2").state == CallState.RINGING


def test_no_logout_on_a_call_and_a_logout_while_ringing_stops_the_ring(line, line_clock):
    queue, [ana] = line(agents=1)
    services.agent_login(agent=ana)
    _call("c1")
    services.agent_logout(agent=ana)
    assert _state(ana) == AgentState.LOGGED_OUT
    assert Call.objects.get(call_id="c1").state == CallState.WAITING
    assert "RINGCANCELED" in _events("c1")

    services.agent_login(agent=ana)
    services.call_answer(call_id="c1", answering=ana.extension)
    with pytest.raises(ValidationError, match="Finish the call"):
        services.agent_logout(agent=ana)


def test_a_caller_hanging_up_while_it_rings_is_abandoned(line, line_clock):
    queue, [ana] = line(agents=1)
    services.agent_login(agent=ana)
    _call("c1")
    line_clock.advance(6)
    services.call_hangup(call_id="c1", cause="cancel")
    assert _events("c1") == ["ENTERQUEUE", "ABANDON", "RINGCANCELED"]
    assert _state(ana) == AgentState.AVAILABLE
    assert Call.objects.get(call_id="c1").outcome == Outcome.ABANDONED
    assert Callback.objects.get().reason == Callback.Reason.MISSED


def _office_hours():
    calendar = BusinessCalendar.objects.create(name="7:30-15:30")
    for day in range(5):
        OpeningHours.objects.create(calendar=calendar, weekday=day, opens=time(7, 30),
                                    closes=time(15, 30))  # fmt: skip
    return calendar


@pytest.mark.parametrize(
    ("action", "answer", "callback"),
    [("message", "hangup", False), ("voicemail", "voicemail", False), ("callback", "hangup", True)],
)
def test_outside_opening_hours_the_closed_action_answers(
    line, line_clock, action, answer, callback
):
    queue, [ana] = line(agents=1, calendar=_office_hours(), closed_action=action,
                        closed_message="Радимо од 7.30 до 15.30.")  # fmt: skip
    services.agent_login(agent=ana)
    line_clock.advance(-7200)  # Monday 7:00 in Belgrade: not open yet

    call, reply = _call("c1")

    assert reply.action == answer and reply.fields["message"] == "Радимо од 7.30 до 15.30."
    assert call.outcome == Outcome.CLOSED and _state(ana) == AgentState.AVAILABLE
    assert Callback.objects.filter(reason=Callback.Reason.CLOSED).exists() == callback
    assert _events("c1") == []


def test_within_opening_hours_the_call_is_queued(line, line_clock):
    queue, [ana] = line(agents=1, calendar=_office_hours())  # Monday 9:00 in Belgrade
    services.agent_login(agent=ana)
    call, reply = _call("c1")
    assert reply.action == "queue" and _events("c1") == ["ENTERQUEUE"]


def test_a_day_the_engineer_closed_in_the_admin_is_closed_on_the_line(line, line_clock):
    calendar = _office_hours()
    queue, [ana] = line(agents=1, calendar=calendar)  # Monday 9:00 in Belgrade
    services.agent_login(agent=ana)
    ClosedDay.objects.create(calendar=calendar, date=date(2026, 11, 23))
    call, reply = _call("c1")
    assert reply.action == "hangup" and call.outcome == Outcome.CLOSED

    line_clock.advance(24 * 3600)  # Tuesday: open again
    call, reply = _call("c2")
    assert reply.action == "queue" and call.state == "ringing"


def test_a_full_queue_turns_the_caller_away_or_overflows(line, line_clock):
    queue, [ana] = line(agents=1, max_waiting=1)
    _call("c1")
    call, reply = _call("c2", number="+381649999999")
    assert reply.action == "hangup" and call.outcome == Outcome.FULL
    assert _events("c2") == ["FULL"]

    spare = Queue.objects.create(name="spare", label="Spare")
    queue.overflow_to = spare
    queue.save()
    call, reply = _call("c3", number="+381648888888")
    assert call.queue == spare and _events("c3") == ["FULL", "ENTERQUEUE"]


def test_a_caller_who_waits_too_long_leaves_with_a_timeout(line, line_clock):
    queue, [ana] = line(agents=1, max_wait_s=300)
    _call("c1")
    line_clock.advance(300)
    services.tick()
    call = Call.objects.get(call_id="c1")
    assert call.outcome == Outcome.TIMEOUT and _events("c1") == ["ENTERQUEUE", "EXITWITHTIMEOUT"]
    assert QueueLogEntry.objects.get(event="EXITWITHTIMEOUT").data3 == "300"
    assert [c["action"] for c in services.commands_take()] == ["hangup"]


def test_after_a_wait_the_caller_overflows_to_another_queue(line, line_clock):
    queue, _agents = line(agents=1, overflow_after_s=60)
    backup, [bob] = line(agents=1, name="backup", number="+381214807999")
    queue.overflow_to = backup
    queue.save()
    services.agent_login(agent=bob)
    QueueMember.objects.filter(queue=queue).update(logged_in=False)
    _call("c1")
    line_clock.advance(60)
    services.tick()
    assert _events("c1") == ["ENTERQUEUE", "EXITWITHTIMEOUT", "ENTERQUEUE"]
    call = Call.objects.get(call_id="c1")
    assert call.queue == backup and call.state == CallState.RINGING
    assert list(call.rings.values_list("agent", flat=True)) == [bob.pk]


def test_a_callback_keeps_the_callers_place(line, line_clock):
    queue, [ana] = line(agents=1, callback_after_s=60, wrapup_s=0)
    services.agent_login(agent=ana)
    _call("busy", number="+381640000001")
    services.call_answer(call_id="busy", answering=ana.extension)
    _call("first", number="+381640000002")
    line_clock.advance(30)
    _call("second", number="+381640000003")
    line_clock.advance(30)
    services.tick()  # the first caller has waited 60 s: offered a callback
    assert [c["callId"] for c in services.commands_take() if c["action"] == "offerCallback"] == [
        "first"
    ]

    callback = services.call_take_callback(call_id="first")  # presses 1 and hangs up
    assert _events("first") == ["ENTERQUEUE", "EXITWITHKEY"]
    line_clock.advance(10)
    services.call_hangup(call_id="busy")

    # the callback is ahead of the caller who came after and still waits on the line
    assert list(callback.rings.values_list("agent", flat=True)) == [ana.pk]
    assert Call.objects.get(pk=callback.pk).state == CallState.RINGING
    assert Call.objects.get(call_id="second").state == CallState.WAITING
    dial = [c for c in services.commands_take() if c["action"] == "dial"]
    assert dial[-1]["callback"] == "+381640000002"


def test_position_and_estimated_wait(line, line_clock):
    queue, [ana] = line(agents=1)
    Queue.objects.filter(pk=queue.pk).update(average_hold_s=90)
    _call("c1")
    line_clock.advance(10)
    call, reply = _call("c2", number="+381649999999")
    assert reply.fields == {"queue": "novisad", "position": 2, "estimatedWait": 90}
    line_clock.advance(40)
    assert services.call_route(call_id="c2") == {
        "action": "queue", "queue": "novisad", "position": 2, "estimatedWait": 50,
    }  # fmt: skip
