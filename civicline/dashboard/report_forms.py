"""The call reports' filters: a period of whole days, an interval and a queue.

A GET form, so a report can be bookmarked and its export link is the page's own query.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django import forms
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civicline import clock
from civicline.telephony.models import Queue

DEFAULT_DAYS = 7  # the last week, today included
# Dates far outside any call's life would overflow the time-zone arithmetic.
EARLIEST, LATEST = date(2000, 1, 1), date(2099, 12, 31)
# The intervals are read one query each (telephony.statistics.by_interval): an hourly
# report of a month is 744 of them, a daily one of a year 366.
MOST_DAYS = {"hour": 31, "day": 366, "week": 3 * 366}


@dataclass(frozen=True)
class ReportQuery:
    first_day: date
    last_day: date  # included
    interval: str  # "hour", "day" or "week"
    queue: Queue | None  # None: all queues

    @property
    def end_day(self) -> date:
        """The day after the period: statistics read [first_day, end_day)."""
        return self.last_day + timedelta(days=1)


def _date_field(label):
    return forms.DateField(label=label, widget=forms.DateInput(attrs={"type": "date"}))


class CallReportForm(forms.Form):
    date_from = _date_field(_("From"))
    date_to = _date_field(_("To (included)"))
    interval = forms.ChoiceField(
        label=_("Interval"),
        choices=[("hour", _("by hour")), ("day", _("by day")), ("week", _("by week"))],
    )
    queue = forms.ModelChoiceField(
        label=_("Queue"),
        queryset=Queue.objects.all(),
        to_field_name="name",  # the name queue_log uses: a readable, stable link
        required=False,
        empty_label=_("all queues"),
        error_messages={"invalid_choice": _("There is no such queue.")},
    )

    def _clean_day(self, name: str) -> date:
        day = self.cleaned_data[name]
        if not EARLIEST <= day <= LATEST:
            raise forms.ValidationError(
                _("Choose a date between %(first)s and %(last)s.")
                % {"first": EARLIEST.strftime("%d.%m.%Y"), "last": LATEST.strftime("%d.%m.%Y")}
            )
        return day

    def clean_date_from(self) -> date:
        return self._clean_day("date_from")

    def clean_date_to(self) -> date:
        return self._clean_day("date_to")

    def clean(self) -> dict:
        data = super().clean()
        start, end, interval = data.get("date_from"), data.get("date_to"), data.get("interval")
        if start and end:
            if start > end:
                self.add_error("date_to", _("The period ends before it starts."))
            elif interval and (end - start).days + 1 > MOST_DAYS[interval]:
                most = MOST_DAYS[interval]
                messages = {
                    "hour": _(
                        "A report by hour covers at most %(days)s days: choose a shorter "
                        "period, or report by day."
                    ),
                    "day": _(
                        "A report by day covers at most %(days)s days: choose a shorter "
                        "period, or report by week."
                    ),
                    "week": _("A report by week covers at most %(days)s days."),
                }
                self.add_error("date_from", messages[interval] % {"days": most})
        return data

    def query(self) -> str:
        """The cleaned filters as a query string: the export links give the page's figures."""
        data = self.cleaned_data
        query = QueryDict(mutable=True)
        query["date_from"] = data["date_from"].isoformat()
        query["date_to"] = data["date_to"].isoformat()
        query["interval"] = data["interval"]
        query["queue"] = data["queue"].name if data["queue"] else ""
        return query.urlencode()

    def report_query(self) -> ReportQuery:
        data = self.cleaned_data
        return ReportQuery(
            first_day=data["date_from"],
            last_day=data["date_to"],
            interval=data["interval"],
            queue=data["queue"],
        )


def call_report_form(params: QueryDict) -> CallReportForm:
    """The filters as given; those not given are the last 7 days, by day, all queues."""
    data = params.copy()
    today = timezone.localtime(clock.now()).date()
    data.setdefault("date_from", (today - timedelta(days=DEFAULT_DAYS - 1)).isoformat())
    data.setdefault("date_to", today.isoformat())
    data.setdefault("interval", "day")
    return CallReportForm(data)
