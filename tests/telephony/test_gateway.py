"""The PBX's events through the ASGI server as it runs (`civicline serve`): the same
answers and refusals as the other tests read through Django's test client, on one thread
that keeps its database connection and replaces it when it breaks."""

import asyncio
import json

import pytest
from asgiref.testing import ApplicationCommunicator
from django.db import connection

from civicline.asgi import application, pbx
from civicline.telephony import services
from civicline.telephony.models import Call, CallState

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _let_go_of_the_kept_connection():
    """The test database is dropped at the end, which no open connection may hold."""
    yield
    pbx.close_connections()


def post(path: str, data: dict, language: str = "en") -> tuple[int, dict]:
    body = json.dumps(data).encode()
    scope = {
        "type": "http", "http_version": "1.1", "method": "POST", "scheme": "http",
        "path": path, "raw_path": path.encode(), "query_string": b"", "root_path": "",
        "headers": [
            (b"host", b"127.0.0.1"), (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
            (b"accept-language", language.encode()),
        ],
        "client": ("127.0.0.1", 40000), "server": ("127.0.0.1", 8000),
    }  # fmt: skip

    async def exchange():
        server = ApplicationCommunicator(application, scope)
        await server.send_input({"type": "http.request", "body": body})
        start = await server.receive_output(10)
        content = await server.receive_output(10)
        await server.wait(10)
        return start["status"], json.loads(content["body"])

    return asyncio.run(exchange())


@pytest.fixture
def bridge(line):
    _queue, agents = line(agents=1, wrapup_s=0)
    services.agent_login(agent=agents[0])
    return f"/api/v1/cti/{services.cti_token_create(name='FreePBX')[1]}"


def new_call(call_id: str) -> dict:
    return {
        "event": "newCall", "from": "381641234567", "to": "381800100200", "direction": "in",
        "callId": call_id,
    }  # fmt: skip


def kept_connection():
    """The database connection of the gateway's thread, as the next event will use it."""
    return pbx._thread.submit(lambda: connection.connection).result()


def test_a_call_goes_through_the_server_from_newcall_to_hangup(bridge):
    status, body = post(bridge, new_call("g1"))
    assert status == 200
    assert body["commands"][0]["action"] == "dial"

    assert post(bridge, {"event": "answer", "callId": "g1", "answeringNumber": "200"})[0] == 200
    assert post(bridge, {"event": "hangup", "callId": "g1"}) == (200, {})
    assert Call.objects.get(call_id="g1").state == CallState.ENDED


def test_refusals_are_the_same_json_in_the_bridges_language(bridge):
    status, body = post("/api/v1/cti/not-a-token", new_call("g2"), language="sr")
    assert status == 401 and "CTI" in body["error"] and "токен" in body["error"]

    status, body = post(bridge, {**new_call("g2"), "from": "not a number"})
    assert status == 400 and "not a phone number" in body["error"]
    assert not Call.objects.filter(call_id="g2").exists()


def test_events_share_one_connection_and_a_broken_one_is_replaced(bridge):
    post(bridge, new_call("g3"))
    kept = kept_connection()
    post(bridge, {"event": "hangup", "callId": "g3"})
    assert kept_connection() is kept

    # The connection went away under it (the database restarted): the next event is
    # served on a fresh one.
    pbx._thread.submit(lambda: connection.connection.close()).result()
    assert post(bridge, new_call("g4"))[0] == 200
    assert kept_connection() is not kept
