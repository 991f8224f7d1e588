"""The supervisor's staffing planner: calls expected per interval (typed in, or averaged
from a queue's history) → agents needed by Erlang C, or Erlang A when callers' patience is
given, with the service level, speed of answer and abandonment they are predicted to give.

The mathematics is `telephony.erlang`; this module lays its rows out as a page, a chart
and a CSV file.
"""

import csv
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from civicline import clock
from civicline.dashboard.planner_forms import MINUTES_PER_DAY, PlanInputs, planner_form
from civicline.directory.pages import supervisors
from civicline.telephony import erlang, history

# The search for agents walks up one agent at a time and each step costs time in proportion
# to the agents, so a plan is bounded to keep the page within a second or two. Erlang A's
# steps are dearer and start further down. A city's contact center is far below both.
MAX_TRAFFIC_ERLANG_C = 1000
MAX_TRAFFIC_ERLANG_A = 200
MAX_AGENTS = 2000

CHART_PLOT_HEIGHT = 120  # px of the tallest bar
CHART_TOP, CHART_BOTTOM = 14, 18  # room for the figures above the bars and times below
CHART_SIDE = 16  # room for the first and last time to stick out past their bar
CHART_WIDTH, CHART_GAP = 900, 4  # bars share this width, each 8 to 40 px wide
CHART_FIGURES_FROM = 14  # px of bar width that still fits a figure above it


class PlanRefused(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class PlannedInterval:
    start: str  # HH:MM on the city's clock
    calls: float
    traffic: float  # Erlangs
    agents: int  # on the phones
    scheduled: int  # on the roster, shrinkage added
    service_level_pct: float
    asa_s: float
    abandonment_pct: float
    occupancy_pct: float


@dataclass(frozen=True)
class Bar:
    x: int
    middle: int  # where the figures are centred
    agents_y: float
    agents_height: float
    scheduled_y: float
    scheduled_height: float
    interval: PlannedInterval
    show_time: bool


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    baseline: int
    bar_width: int
    show_figures: bool  # the scheduled agents above each bar, where there is room
    bars: list[Bar]


@dataclass(frozen=True)
class StaffingPlan:
    intervals: list[PlannedInterval]
    interval_minutes: int
    erlang_a: bool
    calls: float
    peak_agents: int
    peak_scheduled: int
    agent_hours: float  # scheduled agents × interval length, summed
    # Over the whole plan, each interval weighted by its calls (ASA by its answered calls);
    # None when no call is expected at all.
    service_level_pct: float | None
    asa_s: float | None
    abandonment_pct: float | None
    history_days: list[date]
    chart: Chart


def forecast(inputs: PlanInputs, now: datetime) -> tuple[list[float], list[date]]:
    """The calls per interval, and the past days they were averaged over (if any)."""
    if inputs.history is None:
        return inputs.calls or [], []
    queue, weekday, weeks = inputs.history.queue_name, inputs.history.weekday, inputs.history.weeks
    calls = history.calls_per_interval(
        queue, weekday, weeks, inputs.interval_minutes, now, start=inputs.start, count=inputs.count
    )
    return calls, history.past_weekdays(weekday, weeks, now)


def staffing_plan(
    inputs: PlanInputs, calls: list[float], history_days: Sequence[date] = ()
) -> StaffingPlan:
    """Agents for each interval; PlanRefused (with a message for the supervisor) when an
    interval is beyond what the planner computes in reasonable time."""
    interval_s = inputs.interval_minutes * 60
    erlang_a = inputs.patience_s is not None
    starts = _interval_starts(inputs, len(calls))
    for at, expected in zip(starts, calls, strict=True):
        _check_size(at, expected * inputs.aht_s / interval_s, inputs, erlang_a)
    try:
        rows = erlang.plan(
            calls,
            interval_s,
            inputs.aht_s,
            inputs.target_sl,
            inputs.target_t_s,
            max_occupancy=inputs.max_occupancy,
            shrinkage=inputs.shrinkage,
            patience_s=inputs.patience_s,
        )
    except ValueError as error:  # the form checks the same bounds; this is the last guard
        raise PlanRefused(str(error)) from error

    intervals = [
        PlannedInterval(
            start=at,
            calls=row.calls,
            traffic=row.load,
            agents=row.agents,
            scheduled=row.scheduled,
            service_level_pct=100 * row.service_level,
            asa_s=row.asa_s,
            abandonment_pct=100 * row.abandonment,
            occupancy_pct=100 * row.occupancy,
        )
        for at, row in zip(starts, rows, strict=True)
    ]
    total = sum(calls)
    answered = sum(row.calls * (1 - row.abandonment) for row in rows)
    return StaffingPlan(
        intervals=intervals,
        interval_minutes=inputs.interval_minutes,
        erlang_a=erlang_a,
        calls=total,
        peak_agents=max((row.agents for row in rows), default=0),
        peak_scheduled=max((row.scheduled for row in rows), default=0),
        agent_hours=sum(row.scheduled for row in rows) * inputs.interval_minutes / 60,
        service_level_pct=100 * sum(r.calls * r.service_level for r in rows) / total
        if total
        else None,
        asa_s=sum(r.calls * (1 - r.abandonment) * r.asa_s for r in rows) / answered
        if answered
        else None,
        abandonment_pct=100 * sum(r.calls * r.abandonment for r in rows) / total if total else None,
        history_days=list(history_days),
        chart=_chart(intervals, inputs.interval_minutes),
    )


@supervisors
@require_GET
def staffing_planner(request: HttpRequest) -> HttpResponse:
    form = planner_form(request.GET)
    plan = None
    if form.is_valid():
        inputs = form.inputs()
        try:
            plan = staffing_plan(inputs, *forecast(inputs, clock.now()))
        except PlanRefused as refusal:
            form.add_error(None, refusal.message)
    if plan is not None and request.GET.get("format") == "csv":
        return _csv(plan)
    csv_query = request.GET.copy()
    csv_query["format"] = "csv"
    context = {
        "form": form,
        "plan": plan,
        "csv_query": csv_query.urlencode(),
        "time_zone": settings.TIME_ZONE,
    }
    return render(request, "dashboard/planner.html", context, status=400 if form.errors else 200)


def _interval_starts(inputs: PlanInputs, count: int) -> list[str]:
    first = inputs.start.hour * 60 + inputs.start.minute
    minutes = [(first + i * inputs.interval_minutes) % MINUTES_PER_DAY for i in range(count)]
    return [f"{m // 60:02}:{m % 60:02}" for m in minutes]


def _check_size(at: str, traffic: float, inputs: PlanInputs, erlang_a: bool) -> None:
    limit = MAX_TRAFFIC_ERLANG_A if erlang_a else MAX_TRAFFIC_ERLANG_C
    params = {"time": at, "traffic": f"{traffic:.1f}", "limit": limit}
    if traffic > limit and erlang_a:
        raise PlanRefused(
            _("At %(time)s the calls make %(traffic)s Erlangs of traffic; with a patience "
              "(Erlang A) the planner goes up to %(limit)s Erlangs an interval.") % params
        )  # fmt: skip
    if traffic > limit:
        raise PlanRefused(
            _("At %(time)s the calls make %(traffic)s Erlangs of traffic; the planner goes "
              "up to %(limit)s Erlangs an interval.") % params
        )  # fmt: skip
    if traffic / inputs.max_occupancy > MAX_AGENTS:
        raise PlanRefused(
            _("At %(time)s the maximum occupancy alone asks for more than %(limit)s agents; "
              "raise the maximum occupancy or lower the calls.") % {"time": at, "limit": MAX_AGENTS}
        )  # fmt: skip


def _chart(intervals: list[PlannedInterval], interval_minutes: int) -> Chart:
    tallest = max((i.scheduled for i in intervals), default=0) or 1
    scale = CHART_PLOT_HEIGHT / tallest
    baseline = CHART_TOP + CHART_PLOT_HEIGHT
    bar = min(40, max(8, CHART_WIDTH // max(1, len(intervals)) - CHART_GAP))
    step = bar + CHART_GAP
    every = max(1, 60 // interval_minutes)  # a time under each full hour's bar, or each bar
    bars = [
        Bar(
            x=CHART_SIDE + i * step,
            middle=CHART_SIDE + i * step + bar // 2,
            agents_y=baseline - interval.agents * scale,
            agents_height=interval.agents * scale,
            scheduled_y=baseline - interval.scheduled * scale,
            scheduled_height=interval.scheduled * scale,
            interval=interval,
            show_time=i % every == 0,
        )
        for i, interval in enumerate(intervals)
    ]
    return Chart(
        width=2 * CHART_SIDE + len(intervals) * step - CHART_GAP,
        height=baseline + CHART_BOTTOM,
        baseline=baseline,
        bar_width=bar,
        show_figures=bar >= CHART_FIGURES_FROM,
        bars=bars,
    )


def _csv(plan: StaffingPlan) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="staffing-plan.csv"'
    # The byte-order mark makes Excel read the Cyrillic headers as UTF-8.
    response.write("\ufeff")
    writer = csv.writer(response)
    header = [
        _("Start"),
        _("Calls"),
        _("Traffic (Erlangs)"),
        _("Agents needed"),
        _("Scheduled with shrinkage"),
        _("Service level (%)"),
        _("ASA (s)"),
    ]
    if plan.erlang_a:
        header.append(_("Abandoned (%)"))
    writer.writerow([*header, _("Occupancy (%)")])
    for row in plan.intervals:
        cells = [
            row.start,
            f"{row.calls:g}",
            f"{row.traffic:.3f}",
            row.agents,
            row.scheduled,
            f"{row.service_level_pct:.2f}",
            f"{row.asa_s:.2f}",
        ]
        if plan.erlang_a:
            cells.append(f"{row.abandonment_pct:.2f}")
        writer.writerow([*cells, f"{row.occupancy_pct:.2f}"])
    return response
