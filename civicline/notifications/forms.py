from django import forms
from django.utils.translation import gettext_lazy as _

from civicline.notifications.models import Channel, DeliveryStatus


class DeliveryFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("Any"))] + DeliveryStatus.choices, required=False
    )
    channel = forms.ChoiceField(
        label=_("Channel"), choices=[("", _("Any"))] + Channel.choices, required=False
    )
