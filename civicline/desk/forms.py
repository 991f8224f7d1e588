"""Forms parse what the user typed; the services decide what may be stored."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from civicline.cases.forms import PhotosField
from civicline.cases.models import DESCRIPTION_MAX, Channel, PhotoStage, Status
from civicline.directory.models import Area, CaseKind, Category, Organisation


class RegisterCaseForm(forms.Form):
    phone = forms.CharField(label=_("Caller's phone"), max_length=40, required=False)
    name = forms.CharField(label=_("Caller's name"), max_length=200, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    language = forms.ChoiceField(
        label=_("Language for messages"), choices=settings.LANGUAGES, initial="sr"
    )
    consent_to_contact = forms.BooleanField(
        label=_("The citizen agrees to be contacted about this case"), required=False
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=CaseKind.choices)
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices, initial="phone")
    category = forms.ModelChoiceField(
        label=_("Category"),
        queryset=Category.objects.filter(is_active=True),
        error_messages={"invalid_choice": _("Choose a category from the list.")},
    )
    description = forms.CharField(
        label=_("Description"), max_length=DESCRIPTION_MAX, widget=forms.Textarea(attrs={"rows": 4})
    )
    address = forms.CharField(label=_("Address"), max_length=300, required=False)
    area = forms.ModelChoiceField(label=_("Area"), queryset=Area.objects.all(), required=False)
    latitude = forms.DecimalField(
        label=_("Latitude"), required=False, min_value=-90, max_value=90, decimal_places=6
    )
    longitude = forms.DecimalField(
        label=_("Longitude"), required=False, min_value=-180, max_value=180, decimal_places=6
    )
    photos = PhotosField(label=_("Photos (sent by the citizen)"))
    answer = forms.CharField(
        label=_("Answered on the spot"),
        help_text=_("For an information request you answered now: what you told the citizen."),
        max_length=DESCRIPTION_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class StatusForm(forms.Form):
    status = forms.ChoiceField(
        choices=Status.choices,
        error_messages={"invalid_choice": _("“%(value)s” is not a status.")},
    )
    note = forms.CharField(
        label=_("Note"), max_length=DESCRIPTION_MAX, required=False, widget=forms.Textarea
    )


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Note"), max_length=DESCRIPTION_MAX, widget=forms.Textarea)
    is_public = forms.BooleanField(label=_("The citizen may be told this"), required=False)


class PhotoForm(forms.Form):
    stage = forms.ChoiceField(
        label=_("Photo"),
        choices=[
            (PhotoStage.BEFORE, _("Before the work")),
            (PhotoStage.AFTER, _("After the work")),
        ],
    )
    photos = PhotosField(label=_("Files"), required=True)
    is_public = forms.BooleanField(
        label=_("The citizen may see it (published without location data)"),
        required=False,
        initial=True,
    )


class WaitForm(forms.Form):
    note = forms.CharField(
        label=_("What is the citizen asked for?"), max_length=DESCRIPTION_MAX, required=False
    )


class ChaseForm(forms.Form):
    note = forms.CharField(
        label=_("What did the competent body say?"),
        max_length=DESCRIPTION_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class CallbackForm(forms.Form):
    outcome = forms.CharField(
        label=_("What was the citizen told?"),
        max_length=DESCRIPTION_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class TransferForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Transfer to"), queryset=Organisation.objects.filter(is_active=True)
    )
    reason = forms.CharField(label=_("Reason"), max_length=DESCRIPTION_MAX, widget=forms.Textarea)


class CaseFilterForm(forms.Form):
    reference = forms.CharField(label=_("Reference"), required=False, max_length=20)
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("any"))] + Status.choices, required=False
    )
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.all(), required=False
    )
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=Category.objects.all(), required=False
    )
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", _("any"))] + CaseKind.choices, required=False
    )
    channel = forms.ChoiceField(
        label=_("Channel"), choices=[("", _("any"))] + Channel.choices, required=False
    )
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
