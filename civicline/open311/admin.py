from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from civicline.open311 import services
from civicline.open311.models import Application


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = ["name", "channel", "created_at", "revoked_at"]
    fields = ["name", "channel", "revoked_at"]

    def save_model(self, request, obj, form, change):
        if change:
            obj.save(update_fields=["name", "channel", "revoked_at"])
            return
        application, raw = services.application_create(name=obj.name, channel=obj.channel)
        obj.pk = application.pk
        messages.warning(
            request, _("Copy the API key now, it is not shown again: %(key)s") % {"key": raw}
        )
