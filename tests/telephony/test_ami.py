"""Asterisk runs the queues; civicline follows them over AMI.

The events are replayed by a manager-interface stand-in on loopback, with the fields
Asterisk's AMI event documentation lists (Asterisk 20; `timestampevents = yes`). Novi
Sad's line: queue "novisad", agents on extensions 200 and 201.
"""

import asyncio

import pytest

from civicline.telephony.ami import AmiConnector, AmiError, AmiLoginError, AmiSettings
from civicline.telephony.models import (
    Agent,
    AgentState,
    Call,
    Callback,
    CallState,
    Command,
    Outcome,
    QueueLogEntry,
    QueueMember,
)
from tests.telephony.amiserver import AmiServer, message
from tests.telephony.conftest import START

pytestmark = pytest.mark.django_db(transaction=True)

T0 = START.timestamp()
CALLER = "PJSIP/trunk-00000001"
CALL = "1795420800.11"
AGENT_LEG = "PJSIP/200-00000002"
AGENT_LEG_ID = "1795420805.12"


def caller(**fields) -> dict:
    """The caller channel's fields every queue event carries."""
    return {
        "Privilege": "agent,all",
        "Channel": CALLER,
        "ChannelState": "6",
        "ChannelStateDesc": "Up",
        "CallerIDNum": "381641234567",
        "CallerIDName": "Мара Јовић",
        "ConnectedLineNum": "<unknown>",
        "ConnectedLineName": "<unknown>",
        "Language": "sr",
        "AccountCode": "",
        "Context": "from-trunk",
        "Exten": "0800100200",
        "Priority": "2",
        "Uniqueid": CALL,
        "Linkedid": CALL,
        **fields,
    }


def member_leg(**fields) -> dict:
    """The member's channel (Dest*) in AgentCalled/Connect/Complete/RingNoAnswer."""
    return {
        "DestChannel": AGENT_LEG,
        "DestChannelState": "6",
        "DestChannelStateDesc": "Up",
        "DestCallerIDNum": "200",
        "DestCallerIDName": "Olga",
        "DestConnectedLineNum": "381641234567",
        "DestConnectedLineName": "Мара Јовић",
        "DestLanguage": "sr",
        "DestAccountCode": "",
        "DestContext": "from-internal",
        "DestExten": "novisad",
        "DestPriority": "1",
        "DestUniqueid": AGENT_LEG_ID,
        "DestLinkedid": CALL,
        "Queue": "novisad",
        "MemberName": "Olga",
        "Interface": "PJSIP/200",
        **fields,
    }


def event(name: str, at: float, fields: dict) -> dict:
    return {"Event": name, "Timestamp": f"{T0 + at:.6f}", **fields}


def member(name: str, at: float, interface: str = "PJSIP/201", **fields) -> dict:
    return event(
        name,
        at,
        {
            "Privilege": "agent,all",
            "Queue": "novisad",
            "MemberName": "Sonja",
            "Interface": interface,
            "StateInterface": interface,
            "Membership": "dynamic",
            "Penalty": "0",
            "CallsTaken": "0",
            "LastCall": "0",
            "LastPause": "0",
            "LoginTime": f"{T0:.0f}",
            "InCall": "0",
            "Status": "1",
            "Paused": "0",
            "PausedReason": "",
            "Ringinuse": "0",
            "Wrapuptime": "0",
            **fields,
        },
    )


JOIN = event("QueueCallerJoin", 0, caller(Queue="novisad", Position="1", Count="1"))
CALLED = event("AgentCalled", 5, caller(**member_leg(DestChannelState="5")))
LEAVE = event("QueueCallerLeave", 12, caller(Queue="novisad", Count="0", Position="1"))
CONNECT = event("AgentConnect", 12, caller(**member_leg(HoldTime="12", RingTime="7")))
COMPLETE = event(
    "AgentComplete", 107, caller(**member_leg(HoldTime="12", TalkTime="95", Reason="caller"))
)
HANGUP = event("Hangup", 107, caller(Cause="16", **{"Cause-txt": "Normal Clearing"}))


def connector(server: AmiServer, **settings) -> AmiConnector:
    return AmiConnector(
        AmiSettings(port=server.port, secret="s3cret", context="from-internal", **settings),
        poll_s=0.02,
        timeout_s=2,
        backoff_s=0.01,
    )


def replay(script, *, expect_actions=0, before=None):
    """Serve `script` to a connector for one session; the server and connector back."""

    async def main():
        async with AmiServer(script=script, expect_actions=expect_actions) as server:
            ami = connector(server)
            ami.settings = AmiSettings(port=server.port, secret="s3cret")
            await ami.session()
            return server, ami

    return asyncio.run(main())


def events_of(call_id=CALL) -> list[str]:
    return list(QueueLogEntry.objects.filter(call_id=call_id).values_list("event", flat=True))


@pytest.fixture
def novisad(line):
    queue, (olga, sonja) = line(agents=2)
    QueueMember.objects.filter(queue=queue).update(logged_in=True)
    Agent.objects.update(state=AgentState.AVAILABLE)
    return queue, Agent.objects.get(extension="200"), Agent.objects.get(extension="201")


def test_it_mirrors_an_answered_call(novisad):
    queue, olga, _sonja = novisad

    # the phone's device state may come before or after the queue's own event
    ringing = member("QueueMemberStatus", 5, interface="PJSIP/200", Status="6")
    in_use = member("QueueMemberStatus", 12, interface="PJSIP/200", Status="2", InCall="1")
    free = member("QueueMemberStatus", 107, interface="PJSIP/200", Status="1", CallsTaken="1")

    replay([JOIN, ringing, CALLED, LEAVE, CONNECT, in_use, COMPLETE, HANGUP, free])

    call = Call.objects.get(call_id=CALL)
    assert (call.state, call.outcome, call.agent, call.queue) == (
        CallState.ENDED,
        Outcome.ANSWERED,
        olga,
        queue,
    )
    assert call.from_number == "381641234567" and call.citizen_e164 == "+381641234567"
    assert (call.answered_at - call.entered_queue_at).total_seconds() == 12
    assert (call.ended_at - call.answered_at).total_seconds() == 95
    assert call.hangup_cause == "Normal Clearing"
    assert events_of() == ["ENTERQUEUE", "CONNECT", "COMPLETECALLER"]
    connect = QueueLogEntry.objects.get(event="CONNECT")
    assert (connect.agent, connect.data1, connect.data2, connect.data3) == (
        "PJSIP/200",
        "12",
        AGENT_LEG_ID,
        "7",
    )
    complete = QueueLogEntry.objects.get(event="COMPLETECALLER")
    assert (complete.data1, complete.data2, complete.data3) == ("12", "95", "1")
    states = list(olga.changes.values_list("state", flat=True))
    assert states == [AgentState.RINGING, AgentState.ON_CALL, AgentState.AVAILABLE]
    olga.refresh_from_db()
    assert olga.state == AgentState.AVAILABLE
    assert QueueMember.objects.get(agent=olga).calls_taken == 1


def test_it_mirrors_an_abandoned_call_and_lists_it_for_a_callback(novisad):
    _queue, olga, _sonja = novisad
    join = event("QueueCallerJoin", 0, caller(Queue="novisad", Position="2", Count="2"))
    abandon = event(
        "QueueCallerAbandon",
        30,
        caller(Queue="novisad", Position="1", OriginalPosition="2", HoldTime="30"),
    )
    leave = event("QueueCallerLeave", 30, caller(Queue="novisad", Count="0", Position="1"))
    hangup = event("Hangup", 30, caller(Cause="16", **{"Cause-txt": "Normal Clearing"}))

    replay([join, CALLED, abandon, leave, hangup])

    call = Call.objects.get(call_id=CALL)
    assert (call.state, call.outcome) == (CallState.ENDED, Outcome.ABANDONED)
    assert events_of() == ["ENTERQUEUE", "ABANDON"]
    abandoned = QueueLogEntry.objects.get(event="ABANDON")
    assert (abandoned.data1, abandoned.data2, abandoned.data3) == ("1", "2", "30")
    callback = Callback.objects.get()
    assert (callback.number, callback.reason, callback.call) == (
        "+381641234567",
        Callback.Reason.MISSED,
        call,
    )
    olga.refresh_from_db()
    assert olga.state == AgentState.AVAILABLE  # no longer ringing for a caller who left


def test_it_tells_a_timeout_by_the_queue_status(novisad):
    join = event("QueueCallerJoin", 0, caller(Queue="novisad", Position="3", Count="3"))
    leave = event("QueueCallerLeave", 300, caller(Queue="novisad", Count="2", Position="2"))
    status = event("VarSet", 300, caller(Variable="QUEUESTATUS", Value="TIMEOUT"))

    replay([join, leave, status])

    call = Call.objects.get(call_id=CALL)
    assert (call.state, call.outcome) == (CallState.ENDED, Outcome.TIMEOUT)
    timeout = QueueLogEntry.objects.get(event="EXITWITHTIMEOUT")
    assert (timeout.data1, timeout.data2, timeout.data3) == ("2", "3", "300")


def test_it_mirrors_a_pause_with_its_reason(novisad):
    _queue, _olga, sonja = novisad
    pause = member("QueueMemberPause", 10, Paused="1", PausedReason="break", Status="1")
    stranger = member("QueueMemberPause", 11, interface="SIP/999", Paused="1", PausedReason="lunch")

    replay([pause, stranger])

    sonja.refresh_from_db()
    assert (sonja.state, sonja.pause_reason) == (AgentState.PAUSED, "break")
    rows = list(QueueLogEntry.objects.values_list("agent", "event", "data1"))
    # An interface no agent has is kept as Asterisk named it.
    assert rows == [("PJSIP/201", "PAUSE", "break"), ("SIP/999", "PAUSE", "lunch")]

    # Asterisk 16 names the reason `Reason`; unpaused, Sonja takes calls again.
    replay([member("QueueMemberPause", 20, Paused="0", Reason="break")])

    sonja.refresh_from_db()
    assert (sonja.state, sonja.pause_reason) == (AgentState.AVAILABLE, "")
    assert QueueLogEntry.objects.last().event == "UNPAUSE"


def test_a_connector_restarted_during_a_call_still_ends_it(novisad):
    replay([JOIN, CALLED, LEAVE, CONNECT])

    replay([HANGUP])  # a connector started afresh, that never saw the caller join

    call = Call.objects.get(call_id=CALL)
    assert (call.state, call.outcome, call.hangup_cause) == (
        CallState.ENDED, Outcome.ANSWERED, "Normal Clearing",
    )  # fmt: skip


def test_it_sends_civicline_commands_as_ami_actions(novisad, line_clock):
    # given a call Olga answered (its channels are kept with it)
    replay([JOIN, CONNECT])
    now = line_clock.now
    Command.objects.create(
        action=Command.Action.ORIGINATE,
        payload={"from": "200", "to": "+381641234567"},
        created_at=now,
    )
    Command.objects.create(
        action=Command.Action.PAUSE,
        payload={"extension": "201", "paused": True, "reason": "break", "queue": "novisad"},
        created_at=now,
    )
    Command.objects.create(
        action=Command.Action.TRANSFER,
        call_id=CALL,
        payload={"to": "0214888888", "kind": "blind"},
        created_at=now,
    )
    Command.objects.create(
        action=Command.Action.TRANSFER,
        call_id=CALL,
        payload={"to": "0214807900", "kind": "attended"},
        created_at=now,
    )
    dial = Command.objects.create(
        action=Command.Action.DIAL, call_id=CALL, payload={"to": "200"}, created_at=now
    )

    # when a connector started afresh (a restart forgets nothing of the call) connects
    server = replay([], expect_actions=4)[0]

    # then Asterisk received one action per command
    (originate,) = server.sent("Originate")
    assert {k: originate[k] for k in ("Channel", "Exten", "Context", "Priority", "Async")} == {
        "Channel": "PJSIP/200",
        "Exten": "+381641234567",
        "Context": "from-internal",
        "Priority": "1",
        "Async": "true",
    }
    assert originate["CallerID"] == "200"
    (pause,) = server.sent("QueuePause")
    assert {k: pause[k] for k in ("Interface", "Paused", "Queue", "Reason")} == {
        "Interface": "PJSIP/201",
        "Paused": "true",
        "Queue": "novisad",
        "Reason": "break",
    }
    (redirect,) = server.sent("Redirect")
    assert {k: redirect[k] for k in ("Channel", "Exten", "Context", "Priority")} == {
        "Channel": CALLER,
        "Exten": "0214888888",
        "Context": "from-internal",
        "Priority": "1",
    }
    (atxfer,) = server.sent("Atxfer")
    assert {k: atxfer[k] for k in ("Channel", "Exten", "Context")} == {
        "Channel": AGENT_LEG,
        "Exten": "0214807900",
        "Context": "from-internal",
    }
    assert all(a["ActionID"] for a in server.actions)
    assert not Command.objects.filter(taken_at=None).exclude(pk=dial.pk).exists()
    dial.refresh_from_db()
    assert dial.taken_at is None  # ringing is Asterisk's business here


def test_a_refused_login_is_a_clear_error(novisad):
    async def main():
        async with AmiServer(secret="something else") as server:
            await connector(server).run()

    with pytest.raises(AmiLoginError) as refused:
        asyncio.run(main())

    assert str(refused.value) == (
        "Asterisk refused the login of manager user “civicline”: Authentication failed"
    )


def test_it_says_when_asterisk_cannot_be_reached():
    ami = AmiConnector(AmiSettings(port=1, secret="x"), timeout_s=1)

    with pytest.raises(AmiError, match="cannot be reached"):
        asyncio.run(ami.session())


def test_it_connects_again_when_asterisk_goes_away(novisad):
    async def main():
        async with AmiServer() as server:
            stop = asyncio.Event()
            running = asyncio.create_task(connector(server).run(stop))
            for _ in range(200):
                if server.connections >= 3:
                    break
                await asyncio.sleep(0.01)
            stop.set()
            await asyncio.wait_for(running, 2)
            return server

    assert asyncio.run(main()).connections >= 3


def test_garbage_from_the_server_does_not_stop_it(novisad):
    garbage = [
        b"\x00\xff\xfe no colon here\r\n\r\n",
        b"X" * 70_000 + b"\r\n\r\n",
        b"Event: AgentConnect\r\nHoldTime: lots\r\nUniqueid: \r\n\r\n",
        b"Response: Success\r\nActionID: nobody-asked\r\n\r\n",
        b"Event: \r\nQueue: novisad\r\n\r\n",
        message(event("AgentComplete", 1, caller(HoldTime="x", TalkTime="", Reason="??")))[:40],
        b"\r\n\r\n",
        message(event("QueueCallerJoin", 2, caller(Queue="novisad", Position="abc"))).replace(
            "Мара".encode(), b"\xd0\x9c\xff\xfe"
        ),
        message(event("QueueCallerJoin", 3, caller(Queue="novisad", Position="1", Uniqueid="2.1"))),
    ]

    replay(garbage)

    assert set(Call.objects.values_list("call_id", flat=True)) == {CALL, "2.1"}
    assert Call.objects.get(call_id=CALL).original_position == 0


def test_it_pings_an_idle_asterisk_to_notice_a_dead_connection(novisad):
    async def main():
        async with AmiServer(expect_actions=2) as server:
            ami = connector(server)
            ami.keepalive_s = 0.01
            await ami.session()
            return server

    assert len(asyncio.run(main()).sent("Ping")) == 2
