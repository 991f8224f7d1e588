"""Who rings: Asterisk's strategies, penalties, and the longest-waiting caller first across
queues that share agents."""

import pytest

from civicline.telephony import services
from civicline.telephony.models import Agent, AgentState, Call, CallState, Queue, QueueMember


def _call(call_id, to="+381800100200", number="+381641234567"):
    services.call_new(call_id=call_id, from_number=number, to_number=to, direction="in")


def _rung(call_id):
    return sorted(
        Call.objects.get(call_id=call_id).rings.values_list("agent__extension", flat=True)
    )


def _finish(call_id, extension, clock, talk=30):
    services.call_answer(call_id=call_id, answering=extension)
    clock.advance(talk)
    services.call_hangup(call_id=call_id)


def _logged_in(agents):
    for agent in agents:
        services.agent_login(agent=agent)


def test_ringall_rings_every_free_agent_and_the_first_to_answer_takes_it(line, line_clock):
    queue, agents = line(agents=3, strategy="ringall")
    _logged_in(agents)
    _call("c1")
    assert _rung("c1") == [a.extension for a in agents]

    services.call_answer(call_id="c1", answering=agents[1].extension)

    states = dict(Agent.objects.values_list("extension", "state"))
    assert states == {agents[0].extension: "available", agents[1].extension: "on_call",
                      agents[2].extension: "available"}  # fmt: skip
    cancels = [c for c in services.commands_take() if c["action"] == "cancel"]
    assert sorted(c["to"] for c in cancels) == [agents[0].extension, agents[2].extension]


def test_leastrecent_rings_the_agent_idle_longest(line, line_clock):
    queue, (a, b, c) = line(agents=3, strategy="leastrecent", wrapup_s=0)
    _logged_in([a, b, c])
    for n, agent in enumerate([a, b, c]):
        _call(f"c{n}")
        _finish(f"c{n}", agent.extension, line_clock)  # a finished first, c last
    _call("next")
    assert _rung("next") == [a.extension]


def test_fewestcalls_rings_the_agent_with_fewest_calls(line, line_clock):
    queue, (a, b) = line(agents=2, strategy="fewestcalls", wrapup_s=0)
    _logged_in([a, b])
    _call("c1")
    _finish("c1", a.extension, line_clock)
    _call("c2")
    assert _rung("c2") == [b.extension]


def test_rrmemory_goes_round_from_where_it_stopped(line, line_clock):
    queue, (a, b, c) = line(agents=3, strategy="rrmemory", wrapup_s=0)
    _logged_in([a, b, c])
    order = []
    for n in range(4):
        _call(f"c{n}")
        [extension] = _rung(f"c{n}")
        order.append(extension)
        _finish(f"c{n}", extension, line_clock)
    assert order == [a.extension, b.extension, c.extension, a.extension]


def test_linear_always_starts_from_the_top_of_the_list(line, line_clock):
    queue, (a, b) = line(agents=2, strategy="linear", wrapup_s=0)
    _logged_in([a, b])
    for n in range(2):
        _call(f"c{n}")
        assert _rung(f"c{n}") == [a.extension]
        _finish(f"c{n}", a.extension, line_clock)


def test_random_picks_one_of_the_free_agents(line, line_clock):
    queue, agents = line(agents=4, strategy="random", wrapup_s=0)
    _logged_in(agents)
    services.RNG.seed(5)
    picked = set()
    for n in range(12):
        _call(f"c{n}")
        [extension] = _rung(f"c{n}")
        picked.add(extension)
        _finish(f"c{n}", extension, line_clock)
    assert len(picked) > 1 and picked <= {a.extension for a in agents}


@pytest.mark.parametrize("strategy", ["ringall", "leastrecent", "linear", "rrmemory"])
def test_a_lower_penalty_rings_first_the_next_tier_only_when_it_is_busy(line, line_clock, strategy):
    queue, (skilled, backup) = line(agents=2, strategy=strategy, wrapup_s=0)
    QueueMember.objects.filter(agent=skilled).update(penalty=0, position=5)
    QueueMember.objects.filter(agent=backup).update(penalty=2, position=0)
    _logged_in([skilled, backup])
    _call("c1")
    assert _rung("c1") == [skilled.extension]
    services.call_answer(call_id="c1", answering=skilled.extension)
    _call("c2")
    assert _rung("c2") == [backup.extension]


def test_the_longest_waiting_caller_goes_first_across_queues_sharing_an_agent(line, line_clock):
    main, [shared] = line(agents=1, wrapup_s=0)
    other = Queue.objects.create(name="komunalno", label="Комунално", number="+381214807901")
    QueueMember.objects.create(queue=other, agent=shared)
    services.agent_login(agent=shared)
    _call("first", to="+381800100200")  # rings the shared agent
    services.call_answer(call_id="first", answering=shared.extension)
    line_clock.advance(5)
    _call("early", to="+381214807901")  # waits in the second queue since 5 s
    line_clock.advance(5)
    _call("late", to="+381800100200")  # waits in the first since 10 s

    line_clock.advance(30)
    services.call_hangup(call_id="first")

    assert _rung("early") == [shared.extension]
    assert Call.objects.get(call_id="late").state == CallState.WAITING


def test_a_paused_or_logged_out_agent_is_not_rung(line, line_clock):
    queue, (a, b) = line(agents=2, strategy="linear")
    services.agent_login(agent=b)
    services.agent_pause(agent=b, reason="break")
    _call("c1")
    assert _rung("c1") == [] and Agent.objects.get(pk=a.pk).state == AgentState.LOGGED_OUT
    services.agent_unpause(agent=b)
    assert _rung("c1") == [b.extension]
