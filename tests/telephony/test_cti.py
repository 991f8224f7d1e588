"""The PBX's bridge talks Zammad's generic CTI: newCall, answer, hangup, as JSON or a
form; civicline answers in the same conventions and refuses bad input with a 4xx."""

import json

import pytest
from django.db import connection

from civicline.telephony import services
from civicline.telephony.models import Agent, AgentState, Call, CallState, Outcome, QueueLogEntry


@pytest.fixture
def cti(client, line):
    queue, agents = line(agents=2, strategy="linear", wrapup_s=0)
    _connection, token = services.cti_token_create(
        name="FreePBX", blocked_numbers="+381111111111\n"
    )

    class Bridge:
        url = f"/api/v1/cti/{token}"

        def post(self, data, path="", as_json=True, language="en"):
            headers = {"HTTP_ACCEPT_LANGUAGE": language}
            if as_json:
                return client.post(
                    self.url + path, json.dumps(data), content_type="application/json", **headers
                )
            return client.post(self.url + path, data, **headers)

    bridge = Bridge()
    bridge.queue, bridge.agents = queue, agents
    return bridge


def _new(call_id="c1", number="381641234567", **extra):
    return {
        "event": "newCall", "from": number, "to": "381800100200", "direction": "in",
        "callId": call_id, **extra,
    }  # fmt: skip


def test_a_call_from_newcall_to_hangup_in_zammads_form_format(cti):
    services.agent_login(agent=cti.agents[0])

    response = cti.post(_new() | {"user[]": ["Ana"]}, as_json=False)
    assert response.status_code == 200
    body = response.json()
    assert body["civicline"]["queue"] == "novisad"
    assert body["commands"] == [
        {"action": "dial", "callId": "c1", "to": cti.agents[0].extension, "queue": "novisad",
         "from": "381641234567"}
    ]  # fmt: skip

    answer = {"event": "answer", "callId": "c1", "answeringNumber": cti.agents[0].extension}
    assert cti.post(answer, as_json=False).json() == {}
    assert cti.post({"event": "hangup", "callId": "c1", "cause": "normalClearing"}).json() == {}

    call = Call.objects.get(call_id="c1")
    assert call.outcome == Outcome.ANSWERED and call.citizen_e164 == "+381641234567"
    assert [e.event for e in QueueLogEntry.objects.filter(call_id="c1")] == [
        "ENTERQUEUE", "CONNECT", "COMPLETECALLER",
    ]  # fmt: skip


def test_a_blocked_number_is_rejected_as_zammad_does(cti):
    response = cti.post(_new(number="+381111111111"))
    assert response.json() == {"action": "reject", "reason": "busy"}
    assert Call.objects.get().outcome == Outcome.REJECTED


def test_the_bridge_asks_which_agent_to_ring(cti):
    cti.post(_new())
    waiting = cti.post({"callId": "c1"}, path="/route").json()
    assert waiting == {"action": "queue", "queue": "novisad", "position": 1, "estimatedWait": 0}

    cti.post({"extension": cti.agents[1].extension, "state": "available"}, path="/agent")
    ringing = cti.post({"callId": "c1"}, path="/route").json()
    assert ringing["action"] == "dial" and ringing["to"] == cti.agents[1].extension


def test_the_pbx_reports_an_agents_pause_and_return(cti):
    agent = cti.agents[0]
    cti.post({"extension": agent.extension, "state": "available"}, path="/agent")
    response = cti.post(
        {"extension": agent.extension, "state": "paused", "reason": "training"}, path="/agent"
    )
    assert response.json()["state"] == AgentState.PAUSED
    assert Agent.objects.get(pk=agent.pk).pause_reason == "training"
    assert QueueLogEntry.objects.filter(event="PAUSE", data1="training").count() == 1


def test_the_poll_hands_out_each_command_once_and_says_when_to_look_again(cti, line_clock):
    services.agent_login(agent=cti.agents[0])
    cti.post(_new())  # rings agent 0; the answer to newCall carried the dial
    line_clock.advance(16)  # nobody picks up within the queue's 15 s

    polled = cti.post({}, path="/commands").json()

    assert [c["action"] for c in polled["commands"]] == ["cancel", "dial"]
    assert cti.post({}, path="/commands").json()["commands"] == []
    assert polled["nextDue"].startswith("2026-11-23T08:00:31")
    assert QueueLogEntry.objects.filter(event="RINGNOANSWER").count() == 1


@pytest.mark.parametrize(
    ("data", "status", "message"),
    [
        ({"event": "ring", "callId": "x"}, 400, "Unknown event"),
        (
            {"event": "newCall", "from": "1", "to": "2", "direction": "in"},
            400,
            "“callId” is required",
        ),
        (_new(number="064; DROP TABLE"), 400, "is not a phone number"),
        (_new(number="+3816412345678901234567890123456789012345"), 400, "longer than 40"),
        (_new() | {"direction": "sideways"}, 400, "must be in or out"),
        (_new() | {"callId": "x" * 251}, 400, "longer than 250"),
        ({"event": "answer", "callId": "nobody"}, 404, "No call nobody"),
        ({"event": "hangup", "callId": "nobody"}, 404, "No call nobody"),
        ({"event": ["newCall"], "callId": {"a": 1}}, 400, "must be text"),
    ],
)
def test_bad_input_gets_a_clear_4xx_and_changes_nothing(cti, data, status, message):
    response = cti.post(data)
    assert response.status_code == status
    assert message in response.json()["error"]
    assert not Call.objects.exists() and not QueueLogEntry.objects.exists()


def test_a_bridge_that_names_no_language_reads_the_citys(cti):
    response = cti.post({"event": "ring", "callId": "x"}, language="")
    assert response.json()["error"].startswith("Непознат догађај „ring“")


def test_a_repeated_call_id_is_a_conflict_and_changes_nothing(cti):
    cti.post(_new())
    before = list(QueueLogEntry.objects.values_list("id", flat=True))

    response = cti.post(_new(number="381649999999"))

    assert response.status_code == 409 and "known already" in response.json()["error"]
    assert Call.objects.get().from_number == "381641234567"
    assert list(QueueLogEntry.objects.values_list("id", flat=True)) == before


def test_a_hangup_after_the_hangup_is_a_conflict(cti):
    cti.post(_new())
    assert cti.post({"event": "hangup", "callId": "c1"}).status_code == 200
    response = cti.post({"event": "hangup", "callId": "c1"})
    assert response.status_code == 409 and "ended already" in response.json()["error"]
    assert Call.objects.get().state == CallState.ENDED


@pytest.mark.parametrize("body", [b"{not json", b"[1, 2]", b"\xff\xfe"])
def test_unreadable_bodies_are_400(client, cti, body):
    response = client.post(cti.url, body, content_type="application/json")
    assert response.status_code == 400 and response.json()["error"]


def test_a_wrong_or_revoked_token_is_401(client, cti):
    response = client.post(
        "/api/v1/cti/not-a-token",
        _new(),
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 401 and "token" in response.json()["error"]
    from civicline.telephony.models import CtiToken

    CtiToken.objects.update(is_active=False)
    assert cti.post(_new()).status_code == 401
    assert not Call.objects.exists()


def test_only_post(client, cti):
    assert client.get(cti.url).status_code == 405


def test_each_event_stays_within_its_statement_budget(cti, django_assert_max_num_queries):
    """The switchboard takes events one at a time, so every statement an event adds
    lowers the line's rate (bench/acd.py): a new call, its answer and its hangup."""
    services.agent_login(agent=cti.agents[0])
    lock = 1 if connection.vendor == "postgresql" else 0  # the switchboard's lock statement
    with django_assert_max_num_queries(15 + lock):
        cti.post(_new())
    with django_assert_max_num_queries(11 + lock):
        cti.post({"event": "answer", "callId": "c1", "answeringNumber": cti.agents[0].extension})
    with django_assert_max_num_queries(10 + lock):
        assert cti.post({"event": "hangup", "callId": "c1"}).json() == {}
