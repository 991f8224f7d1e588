"""What the supervisor's wallboard shows: per queue the callers waiting now, the longest
wait and the agents by state, with today's figures from queue_log; per agent the state,
the time in it, and today's calls, talk, wrap-up and pause time."""

import time
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count, Min, OuterRef, Subquery
from django.utils import timezone

from civicline.telephony import statistics
from civicline.telephony.models import (
    Agent,
    AgentState,
    AgentStateChange,
    Call,
    CallState,
    Queue,
    QueueMember,
)
from civicline.telephony.selectors import seconds_between

# Today's figures read all of today's queue_log: shared for a moment by every wallboard
# of the process, while waiting callers and agents' states are read fresh each time.
REPORT_SECONDS = 2.0
_report_cache: dict[str, tuple[float, statistics.Report]] = {}


@dataclass
class QueueBoard:
    queue: Queue
    waiting: int
    longest_wait_s: int
    agents: dict[str, int]  # state -> members in it
    today: statistics.Figures


@dataclass
class AgentBoard:
    agent: Agent
    in_state_s: int
    queues: list[str]
    handled: int = 0
    seconds: dict[str, int] = field(default_factory=dict)  # state -> seconds today


def _today(now: datetime) -> statistics.Report:
    start = statistics.day_start(timezone.localtime(now).date())
    key = start.isoformat()
    cached = _report_cache.get(key)
    if cached and time.monotonic() - cached[0] < REPORT_SECONDS:
        return cached[1]
    made = statistics.report(start, now)
    _report_cache.clear()
    _report_cache[key] = (time.monotonic(), made)
    return made


def queues(now: datetime, today: statistics.Report) -> list[QueueBoard]:
    waiting = {
        row["queue_id"]: row
        for row in Call.objects.filter(
            state__in=[CallState.WAITING, CallState.RINGING], answered_at=None, queue__isnull=False
        )
        .values("queue_id")
        .annotate(count=Count("id"), since=Min("place_since"))
    }
    states_by_queue: dict[int, dict[str, int]] = {}
    for queue_id, logged_in, state in QueueMember.objects.values_list(
        "queue_id", "logged_in", "agent__state"
    ):
        state = state if logged_in else AgentState.LOGGED_OUT
        by_state = states_by_queue.setdefault(queue_id, {})
        by_state[state] = by_state.get(state, 0) + 1
    boards = []
    for queue in Queue.objects.all():
        row = waiting.get(queue.pk)
        boards.append(
            QueueBoard(
                queue=queue,
                waiting=row["count"] if row else 0,
                longest_wait_s=seconds_between(row["since"], now) if row else 0,
                agents=states_by_queue.get(queue.pk, {}),
                today=today.queues.get(queue.name) or statistics.Figures(queue=queue.name),
            )
        )
    return boards


def agents(now: datetime, today: statistics.Report) -> list[AgentBoard]:
    start = today.start
    before = AgentStateChange.objects.filter(agent=OuterRef("pk"), at__lt=start).order_by(
        "-at", "-id"
    )
    roster = list(
        Agent.objects.exclude(state=AgentState.LOGGED_OUT, state_since__lt=start)
        .select_related("user")
        .annotate(state_at_start=Subquery(before.values("state")[:1]))
        .order_by("extension")
    )
    changes: dict[int, list] = {}
    for agent_id, state, at in (
        AgentStateChange.objects.filter(at__gte=start, agent__in=roster)
        .order_by("at", "id")
        .values_list("agent_id", "state", "at")
    ):
        changes.setdefault(agent_id, []).append((state, at))
    queue_names: dict[int, list[str]] = {}
    for agent_id, name in QueueMember.objects.filter(logged_in=True).values_list(
        "agent_id", "queue__label"
    ):
        queue_names.setdefault(agent_id, []).append(name)
    boards = []
    for agent in roster:
        seconds: dict[str, int] = {}
        state, since = agent.state_at_start or AgentState.LOGGED_OUT, start
        for next_state, at in changes.get(agent.pk, []):
            seconds[state] = seconds.get(state, 0) + seconds_between(since, at)
            state, since = next_state, at
        seconds[state] = seconds.get(state, 0) + seconds_between(since, now)
        figures = today.agents.get(agent.queue_log_name)
        boards.append(
            AgentBoard(
                agent=agent,
                in_state_s=seconds_between(agent.state_since, now),
                queues=queue_names.get(agent.pk, []),
                handled=figures.handled if figures else 0,
                seconds=seconds,
            )
        )
    return boards


def board(now: datetime | None = None) -> dict:
    now = now or timezone.now()
    today = _today(now)
    return {
        "now": now,
        "queues": queues(now, today),
        "agents": agents(now, today),
        "today": today.overall,
    }
