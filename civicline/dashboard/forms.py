from datetime import date, timedelta

from django import forms
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civicline.cases.models import Status
from civicline.dashboard.selectors import OPEN, MapFilters
from civicline.directory.models import Category

DEFAULT_PERIOD = timedelta(days=30)
# Dates far outside any case's life would overflow the time-zone arithmetic of the query.
EARLIEST, LATEST = date(2000, 1, 1), date(2099, 12, 31)


def _date_field(label):
    return forms.DateField(
        label=label, required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class MapFilterForm(forms.Form):
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=Category.objects.all(), required=False, empty_label=_("all")
    )
    date_from = _date_field(_("From"))
    date_to = _date_field(_("To"))
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("any")), (OPEN, _("open (not yet resolved)"))] + Status.choices,
        required=False,
    )

    def _clean_day(self, name: str) -> date | None:
        day = self.cleaned_data[name]
        if day and not EARLIEST <= day <= LATEST:
            raise forms.ValidationError(
                _("Choose a date between %(first)s and %(last)s.")
                % {"first": EARLIEST.strftime("%d.%m.%Y"), "last": LATEST.strftime("%d.%m.%Y")}
            )
        return day

    def clean_date_from(self) -> date | None:
        return self._clean_day("date_from")

    def clean_date_to(self) -> date | None:
        return self._clean_day("date_to")

    def clean(self) -> dict:
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The period ends before it starts."))
        return data

    def filters(self) -> MapFilters:
        data = self.cleaned_data
        return MapFilters(
            category_id=data["category"].id if data["category"] else None,
            date_from=data["date_from"],
            date_to=data["date_to"],
            status=data["status"],
        )

    def query(self) -> str:
        """The cleaned filters as a query string: the feed gets the page's very filters."""
        data = self.cleaned_data
        query = QueryDict(mutable=True)
        query["category"] = data["category"].id if data["category"] else ""
        query["date_from"] = data["date_from"].isoformat() if data["date_from"] else ""
        query["date_to"] = data["date_to"].isoformat() if data["date_to"] else ""
        query["status"] = data["status"]
        return query.urlencode()


def map_filter_form(params: QueryDict) -> MapFilterForm:
    """The filters as given; a period not given at all is the last 30 days (an empty date
    given on purpose leaves that end of the period open)."""
    data = params.copy()
    today = timezone.localdate()
    data.setdefault("date_from", (today - DEFAULT_PERIOD).isoformat())
    data.setdefault("date_to", today.isoformat())
    return MapFilterForm(data)
