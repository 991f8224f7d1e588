"""Staffing mathematics: Erlang B, Erlang C and Erlang A, as pure functions.

`load` is the offered traffic in Erlangs (calls per second × average handling time, AHT),
`agents` the number of agents on the phones during the interval.

Nothing is computed from factorials or powers of the load, which overflow long before a
city's peak hour does. Erlang B comes from the recursion B(n) = A·B(n-1) / (n + A·B(n-1)),
carried in logarithms, and Erlang C follows from B.

Erlang A (the M/M/N+M queue: callers hang up after an exponential patience) uses the exact
formulas of Mandelbaum & Zeltyn, "The M/M/n+G queue: summary of performance measures", and
Garnett, Mandelbaum & Reiman (2002). With λ calls per second, μ = 1/AHT, θ = 1/mean patience,
x = λ/θ, a = Nμ/θ and

    R(s, z) = e^z · z^-s · γ(s, z) = Σ_{m≥0} z^m / (s(s+1)…(s+m))      (γ: lower incomplete gamma)

the waiting part is λJ = x·R(a, x); with E = 1/B(N-1, A) and D = E + λJ:

    P(wait)                        = λJ / D
    P(abandon)                     = (1 + (x - a)·R(a, x)) / D
    P(answered, waited more than T) = x · e^(x-y) · (y/x)^(a+1) · R(a+1, y) / D,  y = x·e^(-θT)
    E[wait; answered]              = (x/θ) · Σ_m x^m / (c…(c+m)) · Σ_{i≤m} 1/(c+i) / D,  c = a+1

The last sum is the birth–death chain read term by term: a caller who finds m callers queued
ahead passes m+1 exponential stages of rates Nμ + (k+1)θ and is answered with probability
Nμ / (Nμ + (m+1)θ). The series are summed in log space from their largest term outwards, so
loads of hundreds of Erlangs and patience from milliseconds to "never hangs up" stay finite.
"""

import math
from dataclasses import dataclass

from django.utils.translation import gettext as _

# Series terms smaller than this share of the sum no longer change a double.
_EPSILON = 1e-17
# Below this many terms a harmonic sum is added up directly; above, digamma is exact enough.
_DIRECT_HARMONIC_TERMS = 1000


@dataclass(frozen=True)
class QueueMetrics:
    """How one interval performs with a given number of agents."""

    agents: int
    load: float  # offered Erlangs
    prob_wait: float
    prob_abandon: float  # 0 under Erlang C, whose callers never hang up
    service_level: float  # answered within the target time ÷ offered
    service_level_answered: float  # answered within the target time ÷ answered
    asa_s: float  # average speed of answer of the answered calls, immediate answers included
    occupancy: float  # share of the agents' time spent on calls


@dataclass(frozen=True)
class StaffingRow:
    """The agents one interval needs, and how it is then predicted to perform."""

    calls: float
    load: float
    agents: int  # on the phones
    scheduled: int  # on the roster, once shrinkage (breaks, training, absence) is added
    service_level: float
    asa_s: float
    abandonment: float
    occupancy: float


def erlang_b(agents: int, load: float) -> float:
    """Probability that a call finds all `agents` busy in a loss system (no queue)."""
    _check_agents(agents)
    if not (0 <= load < math.inf):
        raise ValueError(_("The offered load must be a number of Erlangs, zero or more."))
    return math.exp(_log_erlang_b(agents, load))


def erlang_c(agents: int, load: float) -> float:
    """Probability that a call waits when callers queue and never hang up.

    1.0 when there are no more agents than Erlangs: the queue then grows without end.
    """
    b = erlang_b(agents, load)
    if agents <= load:
        return 1.0
    return agents * b / (agents - load * (1 - b))


def erlang_c_metrics(
    *, calls: float, interval_s: float, aht_s: float, agents: int, target_s: float
) -> QueueMetrics:
    """Service level, ASA and occupancy of an interval when callers never hang up."""
    _check_traffic(calls, interval_s, aht_s)
    _check_agents(agents)
    _check_target_time(target_s)
    return _erlang_c_metrics(calls * aht_s / interval_s, aht_s, agents, target_s)


def erlang_a_metrics(
    *,
    calls: float,
    interval_s: float,
    aht_s: float,
    agents: int,
    target_s: float,
    patience_s: float,
) -> QueueMetrics:
    """Performance of an interval when callers hang up after `patience_s` seconds on average
    (exponentially distributed). Tends to Erlang C as the patience grows without bound."""
    _check_traffic(calls, interval_s, aht_s)
    _check_agents(agents)
    _check_target_time(target_s)
    _check_patience(patience_s)
    return _erlang_a_metrics(calls / interval_s, aht_s, agents, target_s, patience_s)


def agents_needed(
    calls: float,
    interval_s: float,
    aht_s: float,
    target_sl: float,
    target_t_s: float,
    *,
    max_occupancy: float = 1.0,
    shrinkage: float = 0.0,
    patience_s: float | None = None,
) -> StaffingRow:
    """The fewest agents who answer `target_sl` of the calls within `target_t_s` seconds
    without being busier than `max_occupancy`; Erlang A when `patience_s` is given, else
    Erlang C. `scheduled` adds shrinkage: ceil(agents / (1 - shrinkage))."""
    _check_traffic(calls, interval_s, aht_s)
    _check_target_time(target_t_s)
    if not (0 < target_sl < 1):
        raise ValueError(_("The service-level target must be a fraction between 0 and 1."))
    if not (0 < max_occupancy <= 1):
        raise ValueError(_("The maximum occupancy must be more than 0 and at most 1."))
    if not (0 <= shrinkage < 1):
        raise ValueError(_("Shrinkage must be at least 0 and less than 1."))
    if patience_s is not None:
        _check_patience(patience_s)

    load = calls * aht_s / interval_s
    if calls == 0:
        return StaffingRow(calls, 0.0, 0, 0, 1.0, 0.0, 0.0, 0.0)
    if patience_s is None:
        # Erlang C has no steady state with as many Erlangs as agents.
        agents = max(math.floor(load) + 1, math.ceil(load / max_occupancy))
    else:
        # Answered calls never exceed agents ÷ load, so fewer agents cannot reach the target.
        agents = max(1, math.floor(target_sl * load))
    while True:
        if patience_s is None:
            metrics = _erlang_c_metrics(load, aht_s, agents, target_t_s)
        else:
            metrics = _erlang_a_metrics(calls / interval_s, aht_s, agents, target_t_s, patience_s)
        if metrics.service_level >= target_sl and metrics.occupancy <= max_occupancy:
            break
        agents += 1
    # The small allowance keeps 14 / 0.7 = 20.000000000000004 from asking for 21 people.
    scheduled = math.ceil(agents / (1 - shrinkage) - 1e-9)
    return StaffingRow(
        calls=calls,
        load=load,
        agents=agents,
        scheduled=scheduled,
        service_level=metrics.service_level,
        asa_s=metrics.asa_s,
        abandonment=metrics.prob_abandon,
        occupancy=metrics.occupancy,
    )


def plan(
    intervals: list[float],
    interval_s: float,
    aht_s: float,
    target_sl: float,
    target_t_s: float,
    *,
    max_occupancy: float = 1.0,
    shrinkage: float = 0.0,
    patience_s: float | None = None,
) -> list[StaffingRow]:
    """One `agents_needed` row per interval, given the calls forecast for each."""
    return [
        agents_needed(
            calls,
            interval_s,
            aht_s,
            target_sl,
            target_t_s,
            max_occupancy=max_occupancy,
            shrinkage=shrinkage,
            patience_s=patience_s,
        )
        for calls in intervals
    ]


def regularized_lower_gamma(s: float, z: float) -> float:
    """P(s, z) = γ(s, z) / Γ(s), for s > 0 and z >= 0."""
    if not (s > 0 and z >= 0):
        raise ValueError("P(s, z) needs s > 0 and z >= 0")
    if z == 0:
        return 0.0
    return min(1.0, math.exp(_log_series(s, z) + s * math.log(z) - z - math.lgamma(s)))


def _erlang_c_metrics(load: float, aht_s: float, agents: int, target_s: float) -> QueueMetrics:
    if load == 0:
        return QueueMetrics(agents, 0.0, 0.0, 0.0, 1.0, 1.0, 0.0, 0.0)
    if agents <= load:
        return QueueMetrics(agents, load, 1.0, 0.0, 0.0, 0.0, math.inf, 1.0)
    c = erlang_c(agents, load)
    spare = agents - load
    service_level = 1 - c * math.exp(-spare * target_s / aht_s)
    return QueueMetrics(
        agents=agents,
        load=load,
        prob_wait=c,
        prob_abandon=0.0,
        service_level=service_level,
        service_level_answered=service_level,
        asa_s=c * aht_s / spare,
        occupancy=load / agents,
    )


def _erlang_a_metrics(
    rate: float, aht_s: float, agents: int, target_s: float, patience_s: float
) -> QueueMetrics:
    load = rate * aht_s
    if rate == 0:
        return QueueMetrics(agents, 0.0, 0.0, 0.0, 1.0, 1.0, 0.0, 0.0)
    if agents == 0:
        return QueueMetrics(agents, load, 1.0, 1.0, 0.0, 0.0, 0.0, 0.0)
    theta = 1 / patience_s
    x = rate * patience_s  # λ/θ
    a = agents * patience_s / aht_s  # Nμ/θ
    log_r = _log_series(a, x)
    log_wait_part = math.log(x) + log_r  # ln λJ
    log_d = _logaddexp(-_log_erlang_b(agents - 1, load), log_wait_part)

    prob_wait = math.exp(log_wait_part - log_d)
    if x >= a:
        prob_abandon = math.exp(
            _logaddexp(0.0, math.log(x - a) + log_r if x > a else -math.inf) - log_d
        )
    else:
        # Here (a - x)·R(a, x) <= 1, so the difference is small only when the answer is.
        prob_abandon = max(0.0, math.exp(-log_d) - (a - x) * math.exp(log_r - log_d))
    prob_abandon = min(prob_abandon, prob_wait)
    answered = 1 - prob_abandon

    # Subtracting the late answers from all answers avoids γ(a+1, x) - γ(a+1, y), which
    # cancels badly once both are dominated by Γ(a+1).
    theta_t = theta * target_s
    y = x * math.exp(-theta_t)
    log_late = (
        math.log(x) - x * math.expm1(-theta_t) - (a + 1) * theta_t + _log_series(a + 1, y) - log_d
    )
    answered_in_time = min(answered, max(0.0, answered - math.exp(log_late)))

    log_wait_answered = math.log(x * patience_s) + _log_series(a + 1, x, harmonic=True) - log_d
    return QueueMetrics(
        agents=agents,
        load=load,
        prob_wait=prob_wait,
        prob_abandon=prob_abandon,
        service_level=answered_in_time,
        service_level_answered=answered_in_time / answered if answered > 0 else 0.0,
        asa_s=math.exp(log_wait_answered) / answered if answered > 0 else 0.0,
        # Carried load never exceeds the agents; rounding in P(abandon) can nudge it past.
        occupancy=min(1.0, load * answered / agents),
    )


def _log_erlang_b(agents: int, load: float) -> float:
    # In logarithms: B falls below the smallest double long before 500 agents on a light load.
    if load == 0:
        return 0.0 if agents == 0 else -math.inf
    log_load, log_b = math.log(load), 0.0
    for n in range(1, agents + 1):
        log_b = log_load + log_b - math.log(n + load * math.exp(log_b))
    return log_b


def _log_series(s: float, z: float, harmonic: bool = False) -> float:
    """ln Σ_{m≥0} z^m / (s(s+1)…(s+m)), each term weighted by Σ_{i≤m} 1/(s+i) if `harmonic`.

    Unweighted, this is ln(e^z · z^-s · γ(s, z)). Terms grow while z > s+m+1 and then fall
    faster than geometrically, so the sum starts at the largest term, set to 1, and walks
    both ways until the terms no longer count: no overflow, and only the terms near the
    peak are visited (about the square root of z of them when z is far above s).
    """
    if z == 0:
        return -math.log(s) + (-math.log(s) if harmonic else 0.0)
    peak = max(0, math.ceil(z - s - 1))
    log_peak = (
        peak * math.log(z) - (math.lgamma(s + peak + 1) - math.lgamma(s)) if peak else -math.log(s)
    )
    h_peak = _harmonic(s, peak) if harmonic else 1.0

    total, term, h, m = h_peak, 1.0, h_peak, peak
    while True:
        m += 1
        term *= z / (s + m)
        if harmonic:
            h += 1 / (s + m)
        total += term * h
        if term * h < _EPSILON * total:
            break
    term, h, m = 1.0, h_peak, peak
    while m > 0:
        term *= (s + m) / z
        if harmonic:
            h -= 1 / (s + m)
        m -= 1
        total += term * h
        if term * h < _EPSILON * total:
            break
    return log_peak + math.log(total)


def _harmonic(s: float, m: int) -> float:
    """Σ_{i=0..m} 1/(s+i)."""
    if m < _DIRECT_HARMONIC_TERMS:
        return math.fsum(1 / (s + i) for i in range(m + 1))
    return _digamma(s + m + 1) - _digamma(s)


def _digamma(v: float) -> float:
    # Shift up to where the asymptotic series is good to double precision.
    shift = 0.0
    while v < 6:
        shift -= 1 / v
        v += 1
    f = 1 / (v * v)
    tail = f * (1 / 12 - f * (1 / 120 - f * (1 / 252 - f * (1 / 240 - f / 132))))
    return shift + math.log(v) - 0.5 / v - tail


def _logaddexp(p: float, q: float) -> float:
    high, low = max(p, q), min(p, q)
    if high == -math.inf:
        return -math.inf
    if high == math.inf:
        return math.inf
    return high + math.log1p(math.exp(low - high))


def _check_traffic(calls: float, interval_s: float, aht_s: float) -> None:
    if not (0 <= calls < math.inf):
        raise ValueError(_("The number of calls must be zero or more."))
    if not (0 < interval_s < math.inf):
        raise ValueError(_("The interval must be longer than zero seconds."))
    if not (0 < aht_s < math.inf):
        raise ValueError(_("The average handling time must be longer than zero seconds."))


def _check_agents(agents: int) -> None:
    if agents < 0:
        raise ValueError(_("The number of agents must be zero or more."))


def _check_target_time(target_s: float) -> None:
    if not (0 <= target_s < math.inf):
        raise ValueError(_("The answer-time target must be zero seconds or more."))


def _check_patience(patience_s: float) -> None:
    if not (0 < patience_s < math.inf):
        raise ValueError(_("The average patience must be longer than zero seconds."))
