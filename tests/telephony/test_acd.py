"""Calls through civicline's own ACD: from the queue to an agent and back, every step in
queue_log."""

from civicline.telephony import services
from civicline.telephony.models import (
    Agent,
    AgentState,
    Call,
    Callback,
    CallState,
    Outcome,
    QueueLogEntry,
)


def _events(call_id=None):
    entries = QueueLogEntry.objects.all()
    if call_id:
        entries = entries.filter(call_id=call_id)
    return [e.event for e in entries]


def _incoming(call_id, number="+381641234567", to="+381800100200"):
    return services.call_new(call_id=call_id, from_number=number, to_number=to, direction="in")


def test_a_call_waits_rings_an_agent_is_answered_and_ends(line, line_clock):
    queue, [ana, _] = line(agents=2, strategy="linear", wrapup_s=10)
    services.agent_login(agent=ana)

    call, answer = _incoming("c1")
    assert answer.action == "queue"
    call.refresh_from_db()
    assert call.state == CallState.RINGING
    assert Agent.objects.get(pk=ana.pk).state == AgentState.RINGING
    assert [c["action"] for c in services.commands_take()] == ["dial"]

    line_clock.advance(4)
    services.call_answer(call_id="c1", answering=ana.extension)
    line_clock.advance(60)
    services.call_hangup(call_id="c1", cause="normalClearing")

    assert _events("c1") == ["ENTERQUEUE", "CONNECT", "COMPLETECALLER"]
    connect = QueueLogEntry.objects.get(event="CONNECT")
    assert (connect.data1, connect.data3) == ("4", "4")  # held 4 s, rang 4 s
    complete = QueueLogEntry.objects.get(event="COMPLETECALLER")
    assert (complete.data1, complete.data2, complete.data3) == ("4", "60", "1")
    ana.refresh_from_db()
    assert ana.state == AgentState.WRAPUP

    line_clock.advance(10)
    services.tick()
    ana.refresh_from_db()
    assert ana.state == AgentState.AVAILABLE


def test_twenty_agents_twenty_one_callers_the_last_waits_and_nobody_is_lost(line, line_clock):
    queue, agents = line(agents=20, strategy="leastrecent", wrapup_s=0)
    for agent in agents:
        services.agent_login(agent=agent)
    for i in range(21):
        _incoming(f"c{i}", number=f"+3816412345{i:02d}")
    dials = [c for c in services.commands_take() if c["action"] == "dial"]
    assert len(dials) == 20 and "c20" not in {c["callId"] for c in dials}
    for command in dials:
        services.call_answer(call_id=command["callId"], answering=command["to"])

    last = Call.objects.get(call_id="c20")
    assert last.state == CallState.WAITING and services.position(last) == 1

    line_clock.advance(120)
    first = dials[0]
    services.call_hangup(call_id=first["callId"], by="agent")
    [dial] = services.commands_take()
    assert dial == {
        "action": "dial", "callId": "c20", "to": first["to"], "queue": "novisad",
        "from": "+381641234520",
    }  # fmt: skip
    services.call_answer(call_id="c20", answering=dial["to"])
    line_clock.advance(60)
    for call in Call.objects.exclude(state=CallState.ENDED):
        services.call_hangup(call_id=call.call_id)

    assert Call.objects.filter(outcome=Outcome.ANSWERED).count() == 21
    assert _events().count("ENTERQUEUE") == 21 == _events().count("CONNECT")
    assert not Callback.objects.exists()


def test_a_caller_who_hangs_up_waiting_is_abandoned_and_called_back(line, line_clock):
    queue, [ana] = line(agents=1)
    _incoming("c1")  # no agent logged in
    line_clock.advance(30)
    services.call_hangup(call_id="c1", cause="cancel")
    abandon = QueueLogEntry.objects.get(event="ABANDON")
    assert (abandon.data1, abandon.data2, abandon.data3) == ("1", "1", "30")
    assert Callback.objects.get().number == "+381641234567"
