"""What a citizen fills in on the portal. Only the form's shape is checked here; the case
services decide what may be stored."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from civicline.cases.forms import PhotosField
from civicline.cases.models import DESCRIPTION_MAX, TRACKING_ALPHABET
from civicline.directory.models import Category
from civicline.directory.selectors import reportable_categories


class CategoryChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, category: Category) -> str:
        return category.name  # in the visitor's language


class ContactForm(forms.Form):
    """Who the citizen is, if they want to be told what happens."""

    anonymous = forms.BooleanField(
        label=_("Keep me anonymous"),
        help_text=_(
            "We will not keep your name, phone or e-mail, and nobody can call you back. "
            "You can still follow the report with its tracking link."
        ),
        required=False,
    )
    name = forms.CharField(label=_("Your name"), max_length=200, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    consent_to_contact = forms.BooleanField(
        label=_("Tell me by SMS or e-mail what happens with my report"),
        help_text=_("Your contact is seen only by the city's contact center, never published."),
        required=False,
    )
    # Hidden from people by the page's style; robots fill in every field they find.
    website = forms.CharField(required=False, label=_("Leave this empty"))

    def clean(self):
        data = super().clean()
        if data.get("website"):
            raise forms.ValidationError(_("The form could not be sent. Please try again."))
        if data.get("anonymous"):
            data.update(name="", phone="", email="", consent_to_contact=False)
        elif data.get("consent_to_contact") and not (data.get("phone") or data.get("email")):
            self.add_error("phone", _("Give a phone or an e-mail so we can tell you."))
        return data


class ReportForm(ContactForm):
    category = CategoryChoiceField(
        label=_("What is the problem?"),
        queryset=Category.objects.none(),
        empty_label=_("Choose…"),
        error_messages={"invalid_choice": _("Choose a category from the list.")},
    )
    description = forms.CharField(
        label=_("Describe it"),
        max_length=DESCRIPTION_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    latitude = forms.DecimalField(
        required=False, min_value=-90, max_value=90, decimal_places=6, widget=forms.HiddenInput
    )
    longitude = forms.DecimalField(
        required=False, min_value=-180, max_value=180, decimal_places=6, widget=forms.HiddenInput
    )
    address = forms.CharField(
        label=_("Address or place"),
        help_text=_("Put a pin on the map, or write the street and number."),
        max_length=300,
        required=False,
    )
    photos = PhotosField(label=_("Photos (up to 5)"))

    field_order = ["category", "description", "address", "latitude", "longitude", "photos"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        ids = [category.id for category in reportable_categories()]
        self.fields["category"].queryset = Category.objects.filter(id__in=ids).order_by("name_sr")

    def clean(self):
        data = super().clean()
        has_pin = data.get("latitude") is not None and data.get("longitude") is not None
        if not has_pin and not data.get("address"):
            self.add_error("address", _("Put a pin on the map or write the address."))
        return data


class TrackForm(forms.Form):
    reference = forms.CharField(label=pgettext_lazy("citizen's report", "Number"), max_length=20)
    code = forms.CharField(label=_("Tracking code"), max_length=20)

    def clean_code(self) -> str:
        code = "".join(ch for ch in self.cleaned_data["code"].upper() if ch.isalnum())
        if len(code) != 10 or set(code) - set(TRACKING_ALPHABET):
            raise forms.ValidationError(_("The tracking code has ten letters and digits."))
        return code
