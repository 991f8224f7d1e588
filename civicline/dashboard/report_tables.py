"""The call reports' figures as tables: per interval, per queue and per agent.

The page, the CSV and the XLSX read the same `Table`s, so they can't disagree. The figures
themselves are `telephony.statistics`' (Asterisk's queue_log definitions).
"""

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from civicline.dashboard.report_forms import ReportQuery
from civicline.telephony import statistics
from civicline.telephony.models import Agent, Queue

# A cell's kind says how it is shown and exported: text, time (a local datetime),
# count, seconds (a duration) or rate (a fraction, shown as a percentage).
TEXT, TIME, COUNT, SECONDS, RATE = "text", "time", "count", "seconds", "rate"
NUMERIC = frozenset({COUNT, SECONDS, RATE})


@dataclass(frozen=True)
class Column:
    title: Any  # a lazy translation
    kind: str
    value: Callable[[Any], Any]


@dataclass(frozen=True)
class Cell:
    kind: str
    value: Any  # None where there is nothing to divide by


@dataclass(frozen=True)
class Row:
    label: str  # what the page heads the row with
    cells: list[Cell]

    @property
    def page_cells(self) -> list[Cell]:
        return [cell for cell in self.cells if cell.kind != TIME]


@dataclass
class Table:
    name: str  # "intervals", "queues" or "agents"
    title: str
    columns: list[Column]
    rows: list[Row]
    label_title: str = ""  # the page's heading of the rows' labels; "" for none

    @property
    def headers(self) -> list[str]:
        return [str(column.title) for column in self.columns]

    @property
    def page_headers(self) -> list[str]:
        """The page heads each row with its label (an interval's) instead of its times."""
        return [str(column.title) for column in self.columns if column.kind != TIME]

    @property
    def file_headers(self) -> list[str]:
        """The headers of an export, where durations are plain seconds."""
        return [
            _("%(title)s (s)") % {"title": column.title}
            if column.kind == SECONDS
            else str(column.title)
            for column in self.columns
        ]


@dataclass(frozen=True)
class IntervalRow:
    start: datetime  # in the city's time zone, cut to the period
    end: datetime
    label: str
    figures: statistics.Figures


@dataclass(frozen=True)
class QueueRow:
    name: str  # as queue_log names it
    label: str
    threshold_s: int | None  # None on the row of all queues together
    known: bool  # False: a queue only the PBX knows; the default threshold applies
    figures: statistics.Figures


@dataclass(frozen=True)
class AgentRow:
    member: str  # as queue_log names it, e.g. "PJSIP/101"
    name: str
    figures: statistics.AgentFigures


@dataclass
class CallReport:
    query: ReportQuery
    start: datetime
    end: datetime
    overall: statistics.Figures
    intervals: list[IntervalRow]
    queues: list[QueueRow]
    agents: list[AgentRow]

    @property
    def thresholds(self) -> list[int]:
        """The service level thresholds that apply, fewest first."""
        if self.query.queue is not None:
            return [self.query.queue.service_level_s]
        return sorted({row.threshold_s for row in self.queues if row.threshold_s is not None})


def default_threshold_s() -> int:
    return Queue._meta.get_field("service_level_s").default


def _day(moment: datetime) -> str:
    return formats.date_format(moment, "SHORT_DATE_FORMAT")


def call_report(query: ReportQuery) -> CallReport:
    """The figures of the period over the queue chosen (or all), per interval, per queue
    and per agent, with the names civicline knows for queues and agents."""
    start, end = statistics.day_start(query.first_day), statistics.day_start(query.end_day)
    found = statistics.report(start, end, queue=query.queue)
    intervals: list[IntervalRow] = []
    for interval in statistics.by_interval(start, end, query.interval, queue=query.queue):
        # A week's first and last intervals count only their days inside the period.
        first, last = max(interval.start, start), min(interval.end, end)
        label = _interval_label(first, last, query.interval)
        if intervals and intervals[-1].label == label:
            # Autumn's repeated hour: 02:00 CEST, then 02:00 CET.
            previous = intervals[-1]
            intervals[-1] = replace(previous, label=f"{label} {previous.start.tzname()}")
            label = f"{label} {first.tzname()}"
        intervals.append(IntervalRow(start=first, end=last, label=label, figures=interval.figures))
    queues = {queue.name: queue for queue in Queue.objects.all()}
    default = default_threshold_s()
    names = {agent.queue_log_name: str(agent) for agent in Agent.objects.select_related("user")}
    return CallReport(
        query=query,
        start=start,
        end=end,
        overall=found.overall,
        intervals=intervals,
        queues=[
            QueueRow(
                name=name,
                label=str(queues[name]) if name in queues else name,
                threshold_s=queues[name].service_level_s if name in queues else default,
                known=name in queues,
                figures=figures,
            )
            for name, figures in found.queues.items()
        ],
        agents=[
            AgentRow(member=member, name=names.get(member, member), figures=figures)
            for member, figures in found.agents.items()
        ],
    )


def _interval_label(start: datetime, end: datetime, interval: str) -> str:
    if interval == "hour":
        return f"{_day(start)} {formats.time_format(start, 'H:i')}"
    # `end` is the next midnight; the interval's last day starts a moment before it.
    first, last = _day(start), _day(end - timedelta(seconds=1))
    return first if first == last else f"{first} – {last}"


# Columns ------------------------------------------------------------------------------

FIGURE_COLUMNS = [
    Column(gettext_lazy("Offered"), COUNT, lambda f: f.offered),
    Column(gettext_lazy("Answered"), COUNT, lambda f: f.answered),
    Column(gettext_lazy("Answered within the threshold"), COUNT, lambda f: f.answered_within),
    Column(gettext_lazy("Abandoned"), COUNT, lambda f: f.abandoned),
    Column(gettext_lazy("Timed out"), COUNT, lambda f: f.timed_out),
    Column(gettext_lazy("Callbacks chosen"), COUNT, lambda f: f.callbacks),
    Column(gettext_lazy("Queue full"), COUNT, lambda f: f.full),
    Column(gettext_lazy("Transferred"), COUNT, lambda f: f.transferred),
    Column(gettext_lazy("Service level"), RATE, lambda f: f.service_level),
    Column(
        gettext_lazy("Service level with abandoned"),
        RATE,
        lambda f: f.service_level_with_abandoned,
    ),
    Column(gettext_lazy("Average speed of answer"), SECONDS, lambda f: f.asa_s),
    Column(gettext_lazy("Average talk time"), SECONDS, lambda f: f.average_talk_s),
    Column(gettext_lazy("Abandonment rate"), RATE, lambda f: f.abandonment_rate),
    Column(gettext_lazy("Mean wait of abandoned"), SECONDS, lambda f: f.abandoned_mean_wait_s),
    Column(gettext_lazy("Longest wait"), SECONDS, lambda f: f.longest_wait_s),
]


def _on_figures(column: Column) -> Column:
    return Column(column.title, column.kind, lambda row: column.value(row.figures))


INTERVAL_COLUMNS = [
    Column(gettext_lazy("From"), TIME, lambda row: row.start),
    Column(gettext_lazy("To"), TIME, lambda row: row.end),
    *map(_on_figures, FIGURE_COLUMNS),
]
QUEUE_COLUMNS = [
    Column(gettext_lazy("Queue"), TEXT, lambda row: row.name),
    Column(gettext_lazy("Shown as"), TEXT, lambda row: row.label),
    Column(gettext_lazy("Threshold (s)"), COUNT, lambda row: row.threshold_s),
    *map(_on_figures, FIGURE_COLUMNS),
]
AGENT_COLUMNS = [
    Column(gettext_lazy("Agent"), TEXT, lambda row: row.name),
    Column(gettext_lazy("Queue member"), TEXT, lambda row: row.member),
    Column(gettext_lazy("Calls handled"), COUNT, lambda row: row.figures.handled),
    Column(gettext_lazy("Talk time in all"), SECONDS, lambda row: row.figures.talk_total_s),
    Column(gettext_lazy("Average talk time"), SECONDS, lambda row: row.figures.average_talk_s),
    Column(gettext_lazy("Rang unanswered"), COUNT, lambda row: row.figures.ring_no_answer),
]


def _table(name: str, title: str, columns: list[Column], rows: list, label_title="") -> Table:
    return Table(
        name=name,
        title=title,
        columns=columns,
        label_title=label_title,
        rows=[
            Row(
                label=row.label if label_title else "",
                cells=[Cell(column.kind, column.value(row)) for column in columns],
            )
            for row in rows
        ],
    )


def tables(report: CallReport) -> list[Table]:
    """Per interval, per queue (the last row all queues together) and per agent."""
    titles = {"hour": _("Calls by hour"), "day": _("Calls by day"), "week": _("Calls by week")}
    overall = QueueRow(
        name="",
        label=_("All queues") if report.query.queue is None else str(report.query.queue),
        threshold_s=None,
        known=True,
        figures=report.overall,
    )
    queue_rows = report.queues + ([overall] if len(report.queues) > 1 else [])
    return [
        _table(
            "intervals",
            titles[report.query.interval],
            INTERVAL_COLUMNS,
            report.intervals,
            label_title=_("Interval"),
        ),
        _table("queues", _("Calls by queue"), QUEUE_COLUMNS, queue_rows),
        _table("agents", _("Calls by agent"), AGENT_COLUMNS, report.agents),
    ]


def chart_data(report: CallReport) -> dict:
    """What call_reports.js draws: counts per interval and the service level in percent."""

    def percent(value: float | None) -> float | None:
        return None if value is None else round(value * 100, 1)

    rows = report.intervals
    return {
        "labels": [row.label for row in rows],
        "offered": [row.figures.offered for row in rows],
        "answered": [row.figures.answered for row in rows],
        "abandoned": [row.figures.abandoned for row in rows],
        "service_level": [percent(row.figures.service_level) for row in rows],
        "service_level_with_abandoned": [
            percent(row.figures.service_level_with_abandoned) for row in rows
        ],
        "text": {
            "offered": _("Offered"),
            "answered": _("Answered"),
            "abandoned": _("Abandoned"),
            "calls": _("Calls"),
            "service_level": _("Service level"),
            "service_level_with_abandoned": _("Service level with abandoned"),
            "failed": _("The charts could not be drawn; the tables below have the figures."),
        },
    }
