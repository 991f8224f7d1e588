"""Read-side queries of telephony: an operator's seat and call, the call log, the callback
list, and the agents' state changes the live view pushes."""

from collections.abc import Iterable
from datetime import date, datetime

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Q, QuerySet

from civicline.telephony.models import (
    Agent,
    AgentState,
    AgentStateChange,
    Call,
    Callback,
    CallState,
)

PHONE_FIELDS = (
    "id",
    "agent__user_id",
    "state",
    "reason",
    "call__call_id",
    "call__from_number",
    "call__citizen_e164",
    "call__direction",
    "call__queue__label",
    "call__callback_for_id",
)


def agent_for(user: AbstractBaseUser) -> Agent | None:
    if not user.is_authenticated:
        return None
    return Agent.objects.filter(user=user).first()


def current_call(agent: Agent) -> Call | None:
    """The call the agent has now: ringing at them, or in progress."""
    return (
        Call.objects.filter(
            Q(agent=agent, state=CallState.CONNECTED)
            | Q(rings__agent=agent, state=CallState.RINGING)
        )
        .select_related("queue")
        .order_by("-started_at")
        .first()
    )


def call_being_wrapped_up(agent: Agent) -> Call | None:
    """During wrap-up, the call just finished: cases registered now belong to it."""
    if agent.state != AgentState.WRAPUP:
        return None
    return Call.objects.filter(agent=agent).order_by("-ended_at", "-id").first()


def call_for_new_case(agent: Agent | None) -> Call | None:
    """The call a case registered now was taken on, if any."""
    if agent is None:
        return None
    call = current_call(agent)
    if call is not None and call.state == CallState.CONNECTED:
        return call
    return call_being_wrapped_up(agent)


def open_callbacks(*, limit: int = 50) -> QuerySet[Callback]:
    return (
        Callback.objects.filter(done_at=None).select_related("queue").order_by("created_at")[:limit]
    )


def call_log(*, number: str = "", day: date | None = None, limit: int = 200) -> QuerySet[Call]:
    calls = Call.objects.select_related("queue", "agent", "agent__user").prefetch_related("cases")
    if number:
        calls = calls.filter(
            Q(citizen_e164__contains=number) | Q(from_number__contains=number)
            | Q(to_number__contains=number)
        )  # fmt: skip
    if day:
        calls = calls.filter(started_at__date=day)
    return calls.order_by("-started_at", "-id")[:limit]


def latest_phone_change_id() -> int:
    last = AgentStateChange.objects.order_by("-id").values_list("id", flat=True).first()
    return last or 0


def phone_changes(*, after_id: int, also_ids: Iterable[int] = (), limit: int = 500) -> list[dict]:
    """Agents' state changes after `after_id` (and the listed late ones), as the live view
    sends them to the agent's own desk."""
    scope = Q(id__gt=after_id)
    if also_ids:
        scope |= Q(id__in=list(also_ids))
    return list(AgentStateChange.objects.filter(scope).order_by("id").values(*PHONE_FIELDS)[:limit])


def phone_ringing(user_id: int) -> list[dict]:
    """The ring at the user's seat, if their phone rings now: a desk whose stream has just
    opened may have missed it. (Any other state the panel showed when it was drawn.)"""
    latest = AgentStateChange.objects.filter(agent__user_id=user_id).order_by("-id")
    return [
        change
        for change in latest.values(*PHONE_FIELDS)[:1]
        if change["state"] == AgentState.RINGING
    ]


def seconds_between(start: datetime | None, end: datetime) -> int:
    """Whole seconds from `start` to `end` as queue_log and the pages count them: never
    negative, and 0 when there was no start (a call that never entered a queue)."""
    return max(0, round((end - start).total_seconds())) if start else 0
