"""The simulator plays callers, agents and the PBX against civicline served over HTTP:
Novi Sad's 20 seats, 21 callers at once."""

from datetime import UTC, datetime

import pytest
from django.contrib.auth import get_user_model

from civicline.telephony.models import Agent, Call, Queue, QueueLogEntry, QueueMember
from civicline.telephony.services import cti_token_create
from civicline.telephony.simulator import HttpBridge, Scenario, simulate

pytestmark = pytest.mark.e2e
START = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)


@pytest.fixture
def seats(transactional_db):
    queue = Queue.objects.create(
        name="novisad", label="Нови Сад", number="+381800100200", strategy="leastrecent",
        wrapup_s=0,
    )  # fmt: skip
    extensions = []
    for seat in range(20):
        user = get_user_model().objects.create_user(username=f"seat{seat}")
        agent = Agent.objects.create(user=user, extension=f"{201 + seat}")
        QueueMember.objects.create(queue=queue, agent=agent, position=seat)
        extensions.append(agent.extension)
    _connection, token = cti_token_create(name="simulator")
    return extensions, token


def test_twenty_agents_twenty_one_callers_the_last_waits_and_nobody_is_lost(
    seats, server, settings
):
    settings.TELEPHONY_SIMULATED_TIME = True
    extensions, token = seats
    scenario = Scenario(agents=extensions, burst=21, aht_s=180, seed=7)

    result = simulate(scenario, HttpBridge(server, token, simulated_time=True), start=START)

    assert result.errors == []
    callers = sorted(result.callers, key=lambda c: c.call_id)
    assert all(c.outcome == "answered" for c in callers)  # nobody lost
    waited = [c for c in callers if c.answered > c.arrived]
    assert len(waited) == 1  # twenty answered at once, the 21st waits...
    first_free = min(c.ended for c in callers if c is not waited[0])
    assert waited[0].answered == pytest.approx(first_free)  # ...for the first agent to finish
    # every call ends in the log: entered, connected, completed
    for call in Call.objects.all():
        events = list(
            QueueLogEntry.objects.filter(call_id=call.call_id).values_list("event", flat=True)
        )
        assert events[0] == "ENTERQUEUE" and events[1] == "CONNECT"
        assert events[2] in ("COMPLETECALLER", "COMPLETEAGENT")
    assert Call.objects.filter(outcome="answered").count() == 21
    connect = QueueLogEntry.objects.get(event="CONNECT", call_id=waited[0].call_id)
    assert int(connect.data1) == round(waited[0].answered - waited[0].arrived)
