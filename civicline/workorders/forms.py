"""The forms of field work: sending a team, and the team's answer."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import forms
from django.utils.translation import gettext_lazy as _

from civicline.cases.forms import PhotosField, PhotosInput
from civicline.cases.models import DESCRIPTION_MAX, Case
from civicline.workorders.models import WorkOrderKind
from civicline.workorders.selectors import services_for_case, teams_for_case


class DispatchForm(forms.Form):
    """Whom to send: one list with the body's own teams first, then other bodies'
    services; `cleaned_data` gives `team` or `service`."""

    to = forms.ChoiceField(
        label=_("Send to"), error_messages={"required": _("Choose a team or a service.")}
    )
    kind = forms.ChoiceField(label=_("Work"), choices=WorkOrderKind.choices)
    instructions = forms.CharField(
        label=_("Instructions"),
        required=False,
        max_length=DESCRIPTION_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, case: Case, **kwargs):
        super().__init__(*args, **kwargs)
        self.teams = {f"team:{t.pk}": t for t in teams_for_case(case)}
        self.services = {f"service:{o.pk}": o for o in services_for_case(case)}
        self.fields["to"].choices = [
            ("", "—"),
            (_("Our teams"), [(key, str(team)) for key, team in self.teams.items()]),
            (_("Other services"), [(key, o.name) for key, o in self.services.items()]),
        ]

    def clean(self):
        data = super().clean()
        to = data.get("to")
        data["team"], data["service"] = self.teams.get(to), self.services.get(to)
        return data


def _coordinate(value: str | None, bound: int) -> Decimal | None:
    """What the browser's geolocation put in a hidden field; anything odd is left out
    rather than shown as an error the worker cannot fix."""
    try:
        number = Decimal((value or "").strip()[:40])
    except InvalidOperation:
        return None
    if not number.is_finite() or not -bound <= number <= bound:
        return None
    return number.quantize(Decimal("0.000001"), rounding=ROUND_HALF_UP)


class DoneForm(forms.Form):
    photos = PhotosField(
        label=_("Photos"),
        widget=PhotosInput(attrs={"accept": "image/*", "capture": "environment"}),
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=DESCRIPTION_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    latitude = forms.CharField(required=False, widget=forms.HiddenInput)
    longitude = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean_latitude(self) -> Decimal | None:
        return _coordinate(self.cleaned_data.get("latitude"), 90)

    def clean_longitude(self) -> Decimal | None:
        return _coordinate(self.cleaned_data.get("longitude"), 180)


class CannotDoForm(forms.Form):
    reason = forms.CharField(
        label=_("Why it cannot be done"),
        max_length=DESCRIPTION_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Write why it cannot be done.")},
    )
