"""Staffing mathematics: Erlang B, C and A against published examples, closed forms and an
independent brute-force computation of the M/M/N+M queue."""

import math
import time
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from civicline.telephony.erlang import (
    agents_needed,
    erlang_a_metrics,
    erlang_b,
    erlang_c,
    erlang_c_metrics,
    plan,
    regularized_lower_gamma,
)

# The textbook interval: 100 calls in half an hour, 3 minutes each, 80% answered in 20 s.
HALF_HOUR = {"calls": 100, "interval_s": 1800, "aht_s": 180, "target_s": 20}


def exact_erlang_b(agents, load):
    load = Fraction(load)
    terms = [load**k / math.factorial(k) for k in range(agents + 1)]
    return float(terms[-1] / sum(terms))


def brute_force_erlang_a(*, calls, interval_s, aht_s, agents, target_s, patience_s):
    """The M/M/N+M queue solved as a truncated birth–death chain, its service level by
    uniformization: written independently of the incomplete-gamma form under test."""
    rate, mu, theta = calls / interval_s, 1 / aht_s, 1 / patience_s
    weights = [1.0]
    for n in range(1, agents + 1):
        weights.append(weights[-1] * rate / (n * mu))
    queue = [weights.pop()]  # queue[j]: agents all busy, j callers waiting
    while rate >= agents * mu + len(queue) * theta or queue[-1] > 1e-18 * sum(queue):
        queue.append(queue[-1] * rate / (agents * mu + len(queue) * theta))
    total = sum(weights) + sum(queue)
    arriving = [q / total for q in queue]  # what an arriving caller finds ahead of them

    prob_wait = sum(arriving)
    prob_abandon = theta * sum(j * p for j, p in enumerate(arriving)) / rate

    # The tagged caller with k ahead moves to k-1 at rate Nμ + kθ (answered from k = 0 at
    # rate Nμ) and hangs up at rate θ; follow all starting points at once.
    exit_rates = [agents * mu + (k + 1) * theta for k in range(len(arriving))]
    uniform = max(exit_rates)
    mass, served, answered_in_time = list(arriving), 0.0, 0.0
    steps = int(uniform * target_s + 12 * math.sqrt(uniform * target_s) + 30)
    for n in range(steps + 1):
        poisson_tail = (
            1
            - sum(
                math.exp(
                    -uniform * target_s + i * math.log(uniform * target_s) - math.lgamma(i + 1)
                )
                for i in range(n + 1)
            )
            if target_s
            else 0.0
        )
        # Served at jump n+1 counts if at least n+1 jumps happen by T.
        newly_served = mass[0] * agents * mu / uniform
        answered_in_time += newly_served * poisson_tail
        served += newly_served
        mass = [
            mass[k] * (1 - exit_rates[k] / uniform)
            + (mass[k + 1] * (agents * mu + (k + 1) * theta) / uniform if k + 1 < len(mass) else 0)
            for k in range(len(mass))
        ]
    wait_answered = sum(
        p * agents * mu / exit_rates[j] * sum(1 / r for r in exit_rates[: j + 1])
        for j, p in enumerate(arriving)
    )
    answered = 1 - prob_abandon
    return {
        "prob_wait": prob_wait,
        "prob_abandon": prob_abandon,
        "service_level": (1 - prob_wait) + answered_in_time,
        "asa_s": wait_answered / answered,
    }


# Erlang B and C


@pytest.mark.parametrize(
    ("agents", "load", "expected"),
    [(10, 10, 0.2146), (1, 1, 0.5), (2, 1, 0.2), (5, 2, 0.0367), (20, 15, 0.0456)],
)
def test_it_knows_erlang_b(agents, load, expected):
    assert erlang_b(agents, load) == pytest.approx(expected, abs=1e-4)
    assert erlang_b(agents, load) == pytest.approx(exact_erlang_b(agents, load), rel=1e-12)


def test_it_knows_erlang_c():
    assert erlang_c(11, 10) == pytest.approx(0.6821, abs=1e-4)
    assert erlang_c(2, 1) == pytest.approx(1 / 3, rel=1e-12)
    assert erlang_c(10, 10) == 1.0
    assert erlang_c(9, 10) == 1.0


def test_it_stays_finite_for_hundreds_of_agents():
    assert 0 < erlang_b(500, 400) < 1
    assert erlang_b(500, 400) == pytest.approx(exact_erlang_b(500, 400), rel=1e-10)
    # Far below the smallest double, yet no error and no NaN.
    assert erlang_b(500, 1) == 0.0
    assert 0 < erlang_c(330, 300) < 1


@pytest.mark.parametrize(
    ("agents", "service_level", "asa_s"),
    [(11, 0.3896, 122.781), (12, 0.6402, 40.445), (13, 0.7956, 17.116), (14, 0.8884, 7.836)],
)
def test_it_reproduces_the_textbook_half_hour(agents, service_level, asa_s):
    metrics = erlang_c_metrics(**HALF_HOUR, agents=agents)

    assert metrics.load == 10.0
    assert metrics.service_level == pytest.approx(service_level, abs=1e-4)
    assert metrics.asa_s == pytest.approx(asa_s, abs=1e-3)
    assert metrics.occupancy == pytest.approx(10 / agents)
    assert metrics.prob_abandon == 0.0


def test_it_reports_an_unstable_queue_as_such():
    metrics = erlang_c_metrics(**HALF_HOUR, agents=10)

    assert metrics.prob_wait == 1.0
    assert metrics.service_level == 0.0
    assert metrics.asa_s == math.inf
    assert metrics.occupancy == 1.0


# Erlang A


@pytest.mark.parametrize(
    ("s", "z"), [(1, 0.3), (1, 7.0), (0.5, 2.0), (5, 3.0), (50, 60.0), (300, 250.0), (2, 40)]
)
def test_it_computes_the_incomplete_gamma_function(s, z):
    # For whole s, P(s, z) is the chance that Poisson(z) counts s events or more.
    def poisson(k):
        return math.exp(k * math.log(z) - z - math.lgamma(k + 1))

    if s == 0.5:
        expected = math.erf(math.sqrt(z))
    elif z < s:
        expected = math.fsum(poisson(k) for k in range(s, s + 400))
    else:
        expected = 1 - math.fsum(poisson(k) for k in range(s))
    # exp() of logarithms in the hundreds is itself good to about 1e-13.
    assert regularized_lower_gamma(s, z) == pytest.approx(expected, rel=1e-11, abs=1e-15)


@pytest.mark.parametrize(
    ("calls", "agents", "patience_s", "target_s"),
    [
        (100, 11, 120, 20),
        (100, 13, 120, 20),
        (100, 8, 120, 20),  # fewer agents than Erlangs: only hanging up keeps it stable
        (100, 12, 5, 20),  # impatient callers
        (100, 12, 3600, 0),
        (240, 26, 60, 30),
        (40, 3, 300, 60),
    ],
)
def test_it_agrees_with_a_brute_force_birth_death_chain(calls, agents, patience_s, target_s):
    parameters = {
        "calls": calls,
        "interval_s": 1800,
        "aht_s": 180,
        "agents": agents,
        "target_s": target_s,
        "patience_s": patience_s,
    }

    metrics = erlang_a_metrics(**parameters)
    expected = brute_force_erlang_a(**parameters)

    assert metrics.prob_wait == pytest.approx(expected["prob_wait"], rel=1e-9)
    assert metrics.prob_abandon == pytest.approx(expected["prob_abandon"], rel=1e-9)
    assert metrics.service_level == pytest.approx(expected["service_level"], abs=1e-9)
    assert metrics.asa_s == pytest.approx(expected["asa_s"], rel=1e-9)
    answered = 1 - metrics.prob_abandon
    assert metrics.service_level_answered == pytest.approx(metrics.service_level / answered)
    assert metrics.occupancy == pytest.approx(10 * answered / agents * calls / 100)


@pytest.mark.parametrize("agents", [11, 12, 13, 14, 20])
def test_it_becomes_erlang_c_when_nobody_hangs_up(agents):
    erlang_c_result = erlang_c_metrics(**HALF_HOUR, agents=agents)

    metrics = erlang_a_metrics(**HALF_HOUR, agents=agents, patience_s=1e9)
    endless = erlang_a_metrics(**HALF_HOUR, agents=agents, patience_s=1e12)

    assert metrics.service_level == pytest.approx(erlang_c_result.service_level, abs=1e-6)
    assert metrics.prob_wait == pytest.approx(erlang_c_result.prob_wait, abs=1e-6)
    assert metrics.prob_abandon < 1e-6
    assert metrics.occupancy == pytest.approx(erlang_c_result.occupancy, abs=1e-6)
    # Answered calls leave out the few who would have waited longest, a genuine effect of
    # order 1/patience: 5e-4 s of 123 s with 11 agents at 1e9 s, a thousandth of it at 1e12.
    assert metrics.asa_s == pytest.approx(erlang_c_result.asa_s, rel=1e-5)
    assert endless.asa_s == pytest.approx(erlang_c_result.asa_s, rel=1e-8)
    if agents >= 13:
        assert metrics.asa_s == pytest.approx(erlang_c_result.asa_s, abs=1e-4, rel=1e-6)


def test_it_loses_the_callers_who_would_wait_when_nobody_waits():
    metrics = erlang_a_metrics(**HALF_HOUR, agents=8, patience_s=1e-3)

    # Callers who hang up at once make a loss system: Erlang B.
    assert metrics.prob_wait == pytest.approx(erlang_b(8, 10), rel=1e-3)
    assert metrics.prob_abandon == pytest.approx(metrics.prob_wait, rel=1e-3)
    assert metrics.service_level_answered == pytest.approx(1.0)


def test_more_agents_lose_fewer_callers():
    abandonment = [
        erlang_a_metrics(**HALF_HOUR, agents=n, patience_s=90).prob_abandon for n in range(1, 25)
    ]

    assert abandonment == sorted(abandonment, reverse=True)
    assert abandonment[0] > 0.8 and abandonment[-1] < 1e-4


def test_it_survives_an_overloaded_line_with_endless_patience():
    metrics = erlang_a_metrics(**HALF_HOUR, agents=8, patience_s=1e9)

    # Eight agents carry eight Erlangs; the other two hang up, after a very long wait.
    assert metrics.prob_wait == pytest.approx(1.0)
    assert metrics.prob_abandon == pytest.approx(0.2, abs=1e-6)
    assert metrics.service_level < 1e-6
    assert metrics.occupancy == pytest.approx(1.0, abs=1e-6)
    assert math.isfinite(metrics.asa_s)


@pytest.mark.parametrize("patience_s", [None, 120])
def test_a_large_center_is_computed_fast(patience_s):
    # 300 Erlangs: 3000 calls per half hour at 3 minutes each, on 330 agents.
    parameters = {"calls": 3000, "interval_s": 1800, "aht_s": 180, "agents": 330, "target_s": 20}

    started = time.perf_counter()
    if patience_s is None:
        metrics = erlang_c_metrics(**parameters)
    else:
        metrics = erlang_a_metrics(**parameters, patience_s=patience_s)
    elapsed = time.perf_counter() - started

    assert elapsed < 0.05
    assert metrics.load == 300
    assert 0.99 < metrics.service_level <= 1
    assert all(math.isfinite(value) for value in vars(metrics).values())


# Properties

loads = st.floats(min_value=0.01, max_value=400)
handling_times = st.floats(min_value=20, max_value=900)
patience = st.floats(min_value=1, max_value=3600)
targets = st.floats(min_value=0, max_value=120)


def interval_with(load, aht_s, target_s):
    return {"calls": load * 1800 / aht_s, "interval_s": 1800, "aht_s": aht_s, "target_s": target_s}


@settings(max_examples=150, deadline=None)
@given(
    load=loads,
    aht_s=handling_times,
    patience_s=patience,
    target_s=targets,
    agents=st.integers(1, 499),
)
def test_erlang_a_gives_probabilities_and_more_agents_never_hurt(
    load, aht_s, patience_s, target_s, agents
):
    interval = interval_with(load, aht_s, target_s)

    fewer = erlang_a_metrics(**interval, agents=agents, patience_s=patience_s)
    more = erlang_a_metrics(**interval, agents=agents + 1, patience_s=patience_s)

    for metrics in (fewer, more):
        assert 0 <= metrics.service_level <= metrics.service_level_answered <= 1
        assert 0 <= metrics.prob_abandon <= metrics.prob_wait <= 1
        assert 0 <= metrics.occupancy <= 1
        assert 0 <= metrics.asa_s < math.inf
    assert more.service_level >= fewer.service_level - 1e-9
    assert more.prob_abandon <= fewer.prob_abandon + 1e-12
    assert more.prob_wait <= fewer.prob_wait + 1e-12


@settings(max_examples=150, deadline=None)
@given(load=loads, aht_s=handling_times, target_s=targets, agents=st.integers(1, 499))
def test_erlang_c_gives_probabilities_and_more_agents_never_hurt(load, aht_s, target_s, agents):
    interval = interval_with(load, aht_s, target_s)

    fewer = erlang_c_metrics(**interval, agents=agents)
    more = erlang_c_metrics(**interval, agents=agents + 1)

    for metrics in (fewer, more):
        assert 0 <= metrics.service_level <= 1
        assert 0 <= metrics.prob_wait <= 1
        assert metrics.asa_s >= 0
    assert more.service_level >= fewer.service_level - 1e-12
    assert more.asa_s <= fewer.asa_s


# The planner


def test_it_finds_the_agents_for_eighty_in_twenty():
    row = agents_needed(100, 1800, 180, 0.80, 20)

    assert (row.agents, row.scheduled) == (14, 14)
    assert row.service_level == pytest.approx(0.8884, abs=1e-4)
    assert row.asa_s == pytest.approx(7.836, abs=1e-3)
    assert row.abandonment == 0.0
    assert row.occupancy == pytest.approx(10 / 14)


def test_it_adds_shrinkage_without_rounding_up_a_whole_number():
    # 14 / (1 - 0.3) is 20.000000000000004 in floating point; the roster needs 20.
    assert agents_needed(100, 1800, 180, 0.80, 20, shrinkage=0.3).scheduled == 20
    assert agents_needed(100, 1800, 180, 0.80, 20, shrinkage=0.35).scheduled == 22


def test_it_keeps_occupancy_under_the_cap():
    row = agents_needed(100, 1800, 180, 0.80, 20, max_occupancy=0.7)

    assert row.agents == 15
    assert row.occupancy <= 0.7


def test_it_plans_with_impatient_callers():
    row = agents_needed(100, 1800, 180, 0.80, 20, patience_s=120)

    assert row.agents == 12
    assert row.service_level >= 0.80
    below = erlang_a_metrics(**HALF_HOUR, agents=11, patience_s=120)
    assert below.service_level < 0.80
    assert row.abandonment == pytest.approx(
        erlang_a_metrics(**HALF_HOUR, agents=12, patience_s=120).prob_abandon
    )


def test_it_plans_a_day_interval_by_interval():
    rows = plan([0, 100, 3000], 1800, 180, 0.80, 20, shrinkage=0.25)

    assert [row.calls for row in rows] == [0, 100, 3000]
    assert rows[0].agents == 0 and rows[0].scheduled == 0
    assert rows[1].agents == 14 and rows[1].scheduled == 19
    assert rows[2].load == 300 and rows[2].service_level >= 0.80
    assert (
        erlang_c_metrics(**interval_with(300, 180, 20), agents=rows[2].agents - 1).service_level
        < 0.80
    )


@pytest.mark.parametrize(
    ("arguments", "options", "message"),
    [
        ((-1, 1800, 180, 0.8, 20), {}, "number of calls"),
        ((100, 0, 180, 0.8, 20), {}, "interval"),
        ((100, 1800, 0, 0.8, 20), {}, "average handling time"),
        ((100, 1800, -5, 0.8, 20), {}, "average handling time"),
        ((100, 1800, 180, 0, 20), {}, "service-level target"),
        ((100, 1800, 180, 1, 20), {}, "service-level target"),
        ((100, 1800, 180, math.nan, 20), {}, "service-level target"),
        ((100, 1800, 180, 0.8, -1), {}, "answer-time target"),
        ((100, 1800, 180, 0.8, 20), {"shrinkage": 1}, "Shrinkage"),
        ((100, 1800, 180, 0.8, 20), {"shrinkage": -0.1}, "Shrinkage"),
        ((100, 1800, 180, 0.8, 20), {"max_occupancy": 0}, "maximum occupancy"),
        ((100, 1800, 180, 0.8, 20), {"patience_s": 0}, "patience"),
    ],
)
def test_it_refuses_impossible_inputs(arguments, options, message):
    with pytest.raises(ValueError, match=message):
        agents_needed(*arguments, **options)


def test_it_refuses_negative_agents_and_loads():
    with pytest.raises(ValueError, match="number of agents"):
        erlang_c_metrics(**HALF_HOUR, agents=-1)
    with pytest.raises(ValueError, match="offered load"):
        erlang_b(3, -1)
