"""Sonja's wallboard: callers waiting now, the longest wait, agents by state, today's
figures, and each operator's state and time."""

from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.auth import get_user_model

from civicline import clock
from civicline.telephony import services, wallboard
from civicline.telephony.models import Agent, Queue, QueueMember

NOON = datetime(2026, 11, 23, 11, 0, tzinfo=UTC)


@pytest.fixture
def line(city):
    queue = Queue.objects.create(name="novisad", label="Нови Сад", number="+381800100200",
                                 wrapup_s=0)  # fmt: skip
    agents = []
    for n in range(2):
        user = get_user_model().objects.create_user(username=f"op{n}", first_name=f"Op{n}")
        agent = Agent.objects.create(user=user, extension=f"20{n}")
        QueueMember.objects.create(queue=queue, agent=agent, position=n)
        agents.append(agent)
    wallboard._report_cache.clear()
    return queue, agents


def _at(seconds):
    return clock.frozen_at(NOON + timedelta(seconds=seconds))


def test_the_board_counts_waiting_callers_agents_and_today(city, line, login):
    queue, (ana, bob) = line
    with _at(0):
        services.agent_login(agent=ana)
        services.agent_login(agent=bob)
        services.agent_pause(agent=bob, reason="break")
        for n in range(3):
            services.call_new(call_id=f"c{n}", from_number=f"+38164123450{n}",
                              to_number="+381800100200", direction="in")  # fmt: skip
    with _at(10):
        services.call_answer(call_id="c0", answering=ana.extension)
    with _at(70):
        services.call_hangup(call_id="c0")  # ana takes c1 at once
    with _at(75):
        services.call_hangup(call_id="c2", cause="cancel")  # gave up after 75 s

    board = wallboard.board(NOON + timedelta(seconds=80))

    [row] = board["queues"]
    assert row.waiting == 1 and row.longest_wait_s == 80  # c1 rings at Ana since 70 s
    assert row.agents == {"ringing": 1, "paused": 1}
    assert (row.today.offered, row.today.answered, row.today.abandoned) == (3, 1, 1)
    assert row.today.service_level == 1.0 and row.today.asa_s == 10
    ana_row, bob_row = board["agents"]
    assert ana_row.handled == 1 and ana_row.seconds["on_call"] == 60
    assert bob_row.agent.state == "paused" and bob_row.seconds["paused"] == 80


def test_the_page_and_its_live_fragment(city, line, login):
    supervisor = login(city.supervisor)
    page = supervisor.get("/dashboard/wallboard/").content.decode()
    assert "Callers waiting" in page and "Нови Сад" in page and 'hx-trigger="every 1s' in page
    fragment = supervisor.get("/dashboard/wallboard/board/")
    assert fragment.status_code == 200 and "<html" not in fragment.content.decode()


def test_only_supervisors_see_it(city, line, login, client):
    assert login(city.operator).get("/dashboard/wallboard/").status_code == 403
    client.logout()
    response = client.get("/dashboard/wallboard/board/")
    assert response.status_code == 302 and "/accounts/login/" in response.url
