"""Queue figures read from queue_log alone, so they are the same whichever side ran the
queue: civicline's ACD or the PBX's own queues (an imported queue_log).

The definitions follow Asterisk's queue_log events (docs.asterisk.org, "Queue Logs") and
app_queue's own counters:

- offered: ENTERQUEUE lines. A call that overflows is offered to each queue it enters, so
  the figures over all queues count it once per queue.
- answered: CONNECT lines; their data1 is the hold time, the seconds from entering the
  queue to the agent answering. ASA is the mean hold time of answered calls.
- answered within the threshold: hold time ≤ the queue's `service_level_s` (20 s for a
  queue civicline doesn't know), the comparison app_queue makes for `callscompletedinsl`.
- service level: answered within the threshold ÷ answered, the `SL` of Asterisk's
  `queue show` (callscompletedinsl ÷ callscompleted).
  service level with abandons: answered within the threshold ÷ (answered + abandoned), the
  stricter variant many contact centers report: a caller who gave up counts as missed.
  (Asterisk's `SL2` is another variant again: it counts calls abandoned within the
  threshold as met.)
- abandoned: ABANDON (position|origposition|waittime); abandonment rate = abandoned ÷
  offered; the mean wait of abandoned calls is the mean of their waittime.
- timed out: EXITWITHTIMEOUT (position|origposition|waittime); callbacks chosen:
  EXITWITHKEY (key|position|origposition|waittime); full: FULL.
- transferred: BLINDTRANSFER, ATTENDEDTRANSFER and the older TRANSFER; their data4 is the
  talk time.
- talk time: calltime of COMPLETECALLER and COMPLETEAGENT (data2) and of the transfers
  (data4); the average is over those calls.
- longest wait: the largest of CONNECT's hold time and the waittime of ABANDON,
  EXITWITHTIMEOUT and EXITWITHKEY.
- per agent: calls handled (CONNECT), talk time total and mean, RINGNOANSWER count.

Each line counts in the period (and interval) its own time falls in, [start, end): a call
that enters at 09:59:50 and is answered at 10:00:05 is offered in the 9 o'clock hour and
answered in the 10 o'clock one, as Asterisk's own counters would have it. A data field
that isn't a whole number (a foreign or hand-edited log) is left out of the sums and means
but the line is still counted.

Lines are read in one pass over `values_list(...).iterator()` (one per interval for
`by_interval`); the work per line is a few comparisons, so a million lines take seconds, on
SQLite and PostgreSQL alike, and no data field has to be cast in SQL (they are strings, and
not always numbers).
"""

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from civicline.telephony.models import Queue, QueueLogEntry

INTERVALS = ("hour", "day", "week")
COMPLETE = frozenset({"COMPLETECALLER", "COMPLETEAGENT"})
TRANSFERS = frozenset({"BLINDTRANSFER", "ATTENDEDTRANSFER", "TRANSFER"})
COUNTED = frozenset(
    {"ENTERQUEUE", "CONNECT", "ABANDON", "EXITWITHTIMEOUT", "EXITWITHKEY", "FULL"}
    | COMPLETE
    | TRANSFERS
    | {"RINGNOANSWER"}
)
_COLUMNS = ("queue", "agent", "event", "data1", "data2", "data3", "data4")
_NO_AGENT = frozenset({"", "NONE"})


def _ratio(part: float, whole: float) -> float | None:
    return part / whole if whole else None


@dataclass
class Figures:
    """A queue's (or all queues') figures for a period. Rates and means are None where
    there is nothing to divide by."""

    queue: str = ""  # "" for all queues together
    offered: int = 0
    answered: int = 0
    answered_within: int = 0
    abandoned: int = 0
    timed_out: int = 0
    callbacks: int = 0
    full: int = 0
    transferred: int = 0
    hold_total_s: int = 0
    hold_count: int = 0
    talk_total_s: int = 0
    talk_count: int = 0
    longest_wait_s: int = 0
    abandoned_wait_total_s: int = 0
    abandoned_wait_count: int = 0

    @property
    def service_level(self) -> float | None:
        return _ratio(self.answered_within, self.answered)

    @property
    def service_level_with_abandoned(self) -> float | None:
        return _ratio(self.answered_within, self.answered + self.abandoned)

    @property
    def asa_s(self) -> float | None:
        return _ratio(self.hold_total_s, self.hold_count)

    @property
    def average_talk_s(self) -> float | None:
        return _ratio(self.talk_total_s, self.talk_count)

    @property
    def abandonment_rate(self) -> float | None:
        return _ratio(self.abandoned, self.offered)

    @property
    def abandoned_mean_wait_s(self) -> float | None:
        return _ratio(self.abandoned_wait_total_s, self.abandoned_wait_count)

    def add(self, other: "Figures") -> None:
        for name in self.__dataclass_fields__:
            if name == "queue":
                continue
            if name == "longest_wait_s":
                self.longest_wait_s = max(self.longest_wait_s, other.longest_wait_s)
            else:
                setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass
class AgentFigures:
    agent: str  # as queue_log names the member, e.g. "PJSIP/101"
    handled: int = 0
    talk_total_s: int = 0
    talk_count: int = 0
    ring_no_answer: int = 0

    @property
    def average_talk_s(self) -> float | None:
        return _ratio(self.talk_total_s, self.talk_count)


@dataclass
class Report:
    start: datetime
    end: datetime
    overall: Figures
    queues: dict[str, Figures] = field(default_factory=dict)
    agents: dict[str, AgentFigures] = field(default_factory=dict)


@dataclass
class Interval:
    start: datetime  # in the city's time zone
    end: datetime
    figures: Figures


# Periods ------------------------------------------------------------------------------


def city_zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def day_start(day: date) -> datetime:
    """Midnight of `day` in the city's time zone."""
    return datetime.combine(day, time(), tzinfo=city_zone())


def _moment(value: date | datetime) -> datetime:
    if not isinstance(value, datetime):
        return day_start(value)
    if timezone.is_naive(value):
        return value.replace(tzinfo=city_zone())
    return value


def boundaries(start: date | datetime, end: date | datetime, interval: str) -> list[datetime]:
    """The interval starts from the one holding `start` up to the first at or after `end`,
    in the city's time zone: hours are real hours (a DST change gives a 23- or 25-hour
    day), days start at local midnight, weeks on Monday."""
    if interval not in INTERVALS:
        raise ValueError(_("The interval is one of: hour, day, week."))
    zone = city_zone()
    start, end = _moment(start).astimezone(zone), _moment(end).astimezone(zone)
    if interval == "hour":
        # Step in UTC so the repeated hour of autumn's DST change is a bucket of its own.
        first = start.replace(minute=0, second=0, microsecond=0).astimezone(UTC)
        moments = [first]
        while moments[-1] < end:
            moments.append(moments[-1] + timedelta(hours=1))
        return [moment.astimezone(zone) for moment in moments]
    day = start.date()
    if interval == "week":
        day -= timedelta(days=day.weekday())
    step = timedelta(days=7 if interval == "week" else 1)
    moments = [day_start(day)]
    while moments[-1] < end:
        day += step
        moments.append(day_start(day))
    return moments


# Reading ------------------------------------------------------------------------------


def _int(value: str) -> int | None:
    try:
        return int(value)
    except ValueError:
        return None


def _thresholds() -> tuple[dict[str, int], int]:
    default = Queue._meta.get_field("service_level_s").default
    return dict(Queue.objects.values_list("name", "service_level_s")), default


def _lines(start: datetime, end: datetime, queue: str | None) -> Iterator:
    entries = QueueLogEntry.objects.filter(time__gte=start, time__lt=end, event__in=COUNTED)
    if queue is not None:
        entries = entries.filter(queue=queue)
    # No ordering: the figures don't depend on it, and sorting a million rows costs.
    return entries.order_by().values_list(*_COLUMNS).iterator(chunk_size=5000)


class _Tally:
    """Adds queue_log lines up into figures per queue and per agent."""

    def __init__(self, thresholds: dict[str, int], default_threshold: int):
        self.thresholds, self.default_threshold = thresholds, default_threshold
        self.queues: dict[str, Figures] = {}
        self.agents: dict[str, AgentFigures] = {}

    def figures(self, queue: str) -> Figures:
        found = self.queues.get(queue)
        if found is None:
            found = self.queues[queue] = Figures(queue=queue)
        return found

    def agent(self, name: str) -> AgentFigures | None:
        if name in _NO_AGENT:
            return None
        found = self.agents.get(name)
        if found is None:
            found = self.agents[name] = AgentFigures(agent=name)
        return found

    def add(self, queue, agent, event, data1, data2, data3, data4) -> None:
        f = self.figures(queue)
        if event == "ENTERQUEUE":
            f.offered += 1
        elif event == "CONNECT":
            f.answered += 1
            hold = _int(data1)
            if hold is not None:
                f.hold_total_s += hold
                f.hold_count += 1
                f.longest_wait_s = max(f.longest_wait_s, hold)
                if hold <= self.thresholds.get(queue, self.default_threshold):
                    f.answered_within += 1
            if a := self.agent(agent):
                a.handled += 1
        elif event == "ABANDON":
            f.abandoned += 1
            wait = _int(data3)
            if wait is not None:
                f.abandoned_wait_total_s += wait
                f.abandoned_wait_count += 1
                f.longest_wait_s = max(f.longest_wait_s, wait)
        elif event in COMPLETE or event in TRANSFERS:
            if event in TRANSFERS:
                f.transferred += 1
            talk = _int(data2 if event in COMPLETE else data4)
            if talk is not None:
                f.talk_total_s += talk
                f.talk_count += 1
                if a := self.agent(agent):
                    a.talk_total_s += talk
                    a.talk_count += 1
        elif event == "EXITWITHTIMEOUT":
            f.timed_out += 1
            wait = _int(data3)
            if wait is not None:
                f.longest_wait_s = max(f.longest_wait_s, wait)
        elif event == "EXITWITHKEY":
            f.callbacks += 1
            wait = _int(data4)
            if wait is not None:
                f.longest_wait_s = max(f.longest_wait_s, wait)
        elif event == "FULL":
            f.full += 1
        elif event == "RINGNOANSWER" and (a := self.agent(agent)):
            a.ring_no_answer += 1

    def overall(self) -> Figures:
        total = Figures()
        for figures in self.queues.values():
            total.add(figures)
        return total


def _queue_name(queue: Queue | str | None) -> str | None:
    return queue.name if isinstance(queue, Queue) else queue


def report(
    start: date | datetime, end: date | datetime, *, queue: Queue | str | None = None
) -> Report:
    """Figures for [start, end): over all queues (or the one given), per queue and per
    agent. A date means midnight in the city's time zone."""
    start, end = _moment(start), _moment(end)
    tally = _Tally(*_thresholds())
    for row in _lines(start, end, _queue_name(queue)):
        tally.add(*row)
    return Report(
        start=start,
        end=end,
        overall=tally.overall(),
        queues=dict(sorted(tally.queues.items())),
        agents=dict(sorted(tally.agents.items())),
    )


def by_interval(
    start: date | datetime,
    end: date | datetime,
    interval: str = "hour",
    queue: Queue | str | None = None,
) -> list[Interval]:
    """Figures per hour, day or week for the lines in [start, end), over all queues or the
    one given. The intervals run from the one holding `start` to the one holding the last
    moment before `end` (the first and last count only their part inside the period);
    intervals without calls are listed too, with zeros, so a chart's axis has no gaps."""
    start, end = _moment(start), _moment(end)
    moments = boundaries(start, end, interval)
    thresholds, name = _thresholds(), _queue_name(queue)
    rows = []
    for first, last in zip(moments, moments[1:], strict=False):
        # A query per interval: reading each line's time instead would mean parsing a
        # million datetimes (SQLite hands them over as text), dearer than the figures.
        tally = _Tally(*thresholds)
        for row in _lines(max(first, start), min(last, end), name):
            tally.add(*row)
        figures = tally.overall()
        figures.queue = name or ""
        rows.append(Interval(start=first, end=last, figures=figures))
    return rows
