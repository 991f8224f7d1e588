"""Novi Sad's line: one queue on the toll-free number, agents with extensions, a clock
the tests move by hand."""

from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.auth import get_user_model

from civicline import clock
from civicline.telephony.models import Agent, Queue, QueueMember

START = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)


class Clock:
    """The switchboard's time, moved by the test."""

    def __init__(self):
        self.now = START
        self._context = clock.frozen_at(self.now)
        self._context.__enter__()

    def advance(self, seconds: float) -> datetime:
        self._context.__exit__(None, None, None)
        self.now += timedelta(seconds=seconds)
        self._context = clock.frozen_at(self.now)
        self._context.__enter__()
        return self.now

    def stop(self):
        self._context.__exit__(None, None, None)


@pytest.fixture
def line_clock():
    c = Clock()
    yield c
    c.stop()


@pytest.fixture
def line(db, line_clock):
    """Make a queue and its agents: `line(agents=3, strategy=...)`."""

    def _line(agents=2, name="novisad", number="+381800100200", **queue_fields):
        queue = Queue.objects.create(name=name, label=name.title(), number=number, **queue_fields)
        made = []
        for i in range(agents):
            extension = f"{100 + Queue.objects.count() * 100 + i}"
            user, _ = get_user_model().objects.get_or_create(username=f"agent{extension}")
            agent, _ = Agent.objects.get_or_create(user=user, defaults={"extension": extension})
            QueueMember.objects.create(queue=queue, agent=agent, position=i)
            made.append(agent)
        return queue, made

    return _line
