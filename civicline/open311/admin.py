from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from civicline.open311 import services
from civicline.open311.models import Application, PendingRequest


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


@admin.register(PendingRequest)
class PendingRequestAdmin(admin.ModelAdmin):
    """Reports for moderated categories: approve to make them cases, or reject."""

    list_display = ["token", "application", "received_at", "case", "rejected_at"]
    list_filter = ["application"]
    readonly_fields = ["token", "application", "data", "received_at", "case", "rejected_at"]
    actions = ["approve", "reject"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Approve: register as cases"))
    def approve(self, request, queryset):
        for pending in queryset:
            try:
                case = services.pending_approve(pending=pending)
            except ValidationError as error:
                self.message_user(request, f"{pending}: {' '.join(error.messages)}", messages.ERROR)
            else:
                self.message_user(request, _("Registered as %(ref)s.") % {"ref": case.reference})

    @admin.action(description=_("Reject"))
    def reject(self, request, queryset):
        for pending in queryset:
            services.pending_reject(pending=pending)
