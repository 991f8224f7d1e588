"""The staffing planner's form: what the supervisor types, read into a `PlanInputs`.

It is a GET form so that a plan can be bookmarked and sent to a colleague.
"""

import re
from dataclasses import dataclass
from datetime import time

from django import forms
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext_lazy as _

from civicline.telephony.models import Queue

MINUTES_PER_DAY = 24 * 60
INTERVALS = (15, 30, 60)
MAX_CALLS = 100_000  # in one interval; a whole city rarely makes that many in a day
# Reported per line at most this many times: a pasted column of text needs no 96 messages.
MAX_LINE_ERRORS = 3

TYPED, HISTORY = "typed", "history"
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_NEGATIVE = re.compile(r"-\s*\d+(?:\.\d+)?")
# "07:30 12", "7:30;12", "07:30:00<tab>12" (a spreadsheet's column pasted as is).
_TIMED = re.compile(r"(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::\d{2})?\s*[,;=]?\s*(?P<calls>.+)")
_SEPARATORS = re.compile(r"[,;\s]+")


@dataclass(frozen=True)
class History:
    queue_name: str
    weekday: int  # 0 = Monday
    weeks: int


@dataclass(frozen=True)
class PlanInputs:
    interval_minutes: int
    start: time
    count: int  # intervals in the plan
    calls: list[float] | None  # typed in; None when they come from `history`
    history: History | None
    aht_s: float
    target_sl: float  # fraction
    target_t_s: float
    shrinkage: float  # fraction
    max_occupancy: float  # fraction
    patience_s: float | None  # None: Erlang C


def _between(low: float, high: float, *, open_low: bool = False, open_high: bool = False):
    if open_low and open_high:
        message = _("Enter a number above %(low)s and below %(high)s.")
    elif open_low:
        message = _("Enter a number above %(low)s and at most %(high)s.")
    elif open_high:
        message = _("Enter a number from %(low)s up to but not including %(high)s.")
    else:
        message = _("Enter a number from %(low)s to %(high)s.")

    def validate(value: float) -> None:
        too_low = value <= low if open_low else value < low
        too_high = value >= high if open_high else value > high
        if too_low or too_high:
            raise ValidationError(message, params={"low": f"{low:g}", "high": f"{high:g}"})

    return validate


def _number(label, initial, help_text="", *, required=True, **bounds) -> forms.FloatField:
    low, high = bounds.pop("low"), bounds.pop("high")
    return forms.FloatField(
        label=label,
        initial=initial,
        required=required,
        help_text=help_text,
        validators=[_between(low, high, **bounds)],
        widget=forms.NumberInput(attrs={"step": "any", "min": f"{low:g}", "max": f"{high:g}"}),
    )


def _time_field(label, initial, *, required=True) -> forms.TimeField:
    return forms.TimeField(
        label=label,
        initial=initial,
        required=required,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )


def _minutes(moment: time) -> int:
    return moment.hour * 60 + moment.minute


def parse_calls(text: str, interval_minutes: int) -> tuple[time | None, list[float]]:
    """Expected calls per interval: one number a line, numbers separated by commas, or
    "HH:MM number" lines. With times, the first sets the start and an interval left out
    has no calls. Raises ValidationError naming the lines at fault."""
    lines = [(n, line.strip()) for n, line in enumerate(text.splitlines(), 1) if line.strip()]
    if not lines:
        raise ValidationError(_("Enter the expected calls, one interval a line."))
    errors: list[ValidationError] = []

    def fault(message, **params) -> None:
        if len(errors) < MAX_LINE_ERRORS:
            errors.append(ValidationError(message, params=params))

    def number(token: str, line: int) -> float:
        if _NUMBER.fullmatch(token):
            value = float(token)
            if value <= MAX_CALLS:
                return value
            fault(
                _(
                    "Line %(line)s: %(value)s calls in one interval is more than the planner takes "
                    "(%(max)s)."
                ),
                line=line,
                value=token,
                max=MAX_CALLS,
            )
        elif _NEGATIVE.fullmatch(token):
            fault(
                _("Line %(line)s: the number of calls cannot be negative (%(value)s)."),
                line=line,
                value=token,
            )
        else:
            fault(
                _("Line %(line)s: “%(value)s” is not a number of calls."),
                line=line,
                value=token[:20],
            )
        return 0.0

    timed = [(n, _TIMED.fullmatch(line)) for n, line in lines]
    if not any(match for _n, match in timed):
        calls = [number(token, n) for n, line in lines for token in _SEPARATORS.split(line)]
        if errors:
            raise ValidationError(errors)
        return None, calls

    by_minute: dict[int, float] = {}
    previous = None
    for n, match in timed:
        if not match:
            fault(_("Line %(line)s has no time: give a time on every line or on none."), line=n)
            continue
        hour, minute = int(match["hour"]), int(match["minute"])
        if hour > 23 or minute > 59:
            time_given = f"{match['hour']}:{match['minute']}"
            fault(_("Line %(line)s: %(time)s is not a time of day."), line=n, time=time_given)
            continue
        at = hour * 60 + minute
        if previous is not None and at <= previous:
            fault(
                _(
                    "Line %(line)s: %(time)s does not come after the line before it; list the "
                    "times in order."
                ),
                line=n,
                time=f"{hour:02}:{minute:02}",
            )
            continue
        previous = at
        by_minute[at] = number(match["calls"].strip(), n)
    if errors:
        raise ValidationError(errors)

    first = min(by_minute)
    misplaced = [at for at in by_minute if (at - first) % interval_minutes]
    if misplaced:
        at = misplaced[0]
        raise ValidationError(
            _("%(time)s is not a whole number of %(minutes)s-minute intervals after %(first)s."),
            params={
                "time": f"{at // 60:02}:{at % 60:02}",
                "minutes": interval_minutes,
                "first": f"{first // 60:02}:{first % 60:02}",
            },
        )
    count = (max(by_minute) - first) // interval_minutes + 1
    return time(first // 60, first % 60), [
        by_minute.get(first + i * interval_minutes, 0.0) for i in range(count)
    ]


class PlannerForm(forms.Form):
    source = forms.ChoiceField(
        label=_("Expected calls"),
        choices=[(TYPED, _("typed in")), (HISTORY, _("from a queue's history"))],
        initial=TYPED,
        widget=forms.RadioSelect,
    )
    interval = forms.TypedChoiceField(
        label=_("Interval"),
        choices=[(m, _("%(minutes)s minutes") % {"minutes": m}) for m in INTERVALS],
        coerce=int,
        initial=30,
    )
    start = _time_field(_("First interval starts at"), time(7, 30))
    calls = forms.CharField(
        label=_("Calls per interval"),
        required=False,
        max_length=5000,
        help_text=_(
            "One number a line (or separated by commas), or “HH:MM number” lines; "
            "decimals with a point."
        ),
        widget=forms.Textarea(attrs={"rows": 8, "placeholder": "07:30 42\n08:00 65\n08:30 80"}),
    )
    queue = forms.ModelChoiceField(
        label=_("Queue"),
        queryset=Queue.objects.all(),
        to_field_name="name",
        required=False,
    )
    weekday = forms.TypedChoiceField(
        label=_("Weekday"),
        choices=list(WEEKDAYS.items()),
        coerce=int,
        empty_value=None,
        initial=0,
        required=False,
    )
    weeks = forms.IntegerField(
        label=_("Past weeks"), initial=4, min_value=1, max_value=52, required=False
    )
    until = _time_field(_("Last interval ends at"), time(15, 30), required=False)
    aht = _number(_("Average handling time (s)"), 180, _("Talk and wrap-up."), low=1, high=14400)
    service_level = _number(_("Target service level (%)"), 80, low=0, high=100,
                            open_low=True, open_high=True)  # fmt: skip
    answer_time = _number(_("Target answer time (s)"), 20, low=0, high=3600)
    shrinkage = _number(
        _("Shrinkage (%)"), 30, _("Breaks, training, absence: paid time off the phones."),
        low=0, high=90,
    )  # fmt: skip
    occupancy = _number(_("Maximum occupancy (%)"), 85, low=10, high=100)
    patience = _number(
        _("Average patience (s)"),
        None,
        _("How long callers wait before hanging up. Empty: they never do (Erlang C)."),
        required=False,
        low=1,
        high=600,
    )

    def clean(self) -> dict:
        data = super().clean()
        interval = data.get("interval")
        if not interval:
            return data
        if data.get("source") == HISTORY:
            self._clean_history(data, interval)
        elif data.get("source") == TYPED and "calls" in data:
            try:
                start, calls = parse_calls(data["calls"], interval)
            except ValidationError as error:
                self.add_error("calls", error)
            else:
                data["calls"] = calls
                if start is not None:
                    data["start"] = start
                self._check_count(len(calls), interval)
        return data

    def _clean_history(self, data: dict, interval: int) -> None:
        for name in ("queue", "weekday", "weeks", "until"):
            if data.get(name) is None and name not in self.errors:
                self.add_error(name, _("Needed for a plan from history."))
        start, until = data.get("start"), data.get("until")
        if start is None or until is None:
            return
        if until <= start:
            self.add_error("until", _("The last interval must end after the first one starts."))
            return
        self._check_count(-(-(_minutes(until) - _minutes(start)) // interval), interval)

    def _check_count(self, count: int, interval: int) -> None:
        most = MINUTES_PER_DAY // interval
        if count > most:
            self.add_error(
                None,
                ValidationError(
                    _(
                        "A plan covers one day at most: %(most)s intervals of %(minutes)s "
                        "minutes, not %(count)s."
                    ),
                    params={"most": most, "minutes": interval, "count": count},
                ),
            )
        else:
            self.cleaned_data["count"] = count

    def inputs(self) -> PlanInputs:
        data = self.cleaned_data
        from_history = data["source"] == HISTORY
        return PlanInputs(
            interval_minutes=data["interval"],
            start=data["start"],
            count=data["count"],
            calls=None if from_history else data["calls"],
            history=History(data["queue"].name, data["weekday"], data["weeks"])
            if from_history
            else None,
            aht_s=data["aht"],
            target_sl=data["service_level"] / 100,
            target_t_s=data["answer_time"],
            shrinkage=data["shrinkage"] / 100,
            max_occupancy=data["occupancy"] / 100,
            patience_s=data["patience"],
        )


def planner_form(params: QueryDict) -> PlannerForm:
    """Unbound (the defaults, no plan) on a first visit; otherwise bound, with the default of
    any field the query leaves out, so that a short link such as ?calls=100 makes a plan."""
    if not any(name in params for name in PlannerForm.base_fields):
        return PlannerForm()
    data = params.copy()
    for name, field in PlannerForm.base_fields.items():
        if name not in data and field.initial is not None:
            initial = field.initial
            data[name] = initial.strftime("%H:%M") if isinstance(initial, time) else str(initial)
    return PlannerForm(data)
