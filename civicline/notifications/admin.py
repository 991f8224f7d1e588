from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from civicline.notifications.models import Notification, NotificationTemplate, SmsPreference


@admin.register(NotificationTemplate)
class NotificationTemplateAdmin(admin.ModelAdmin):
    list_display = ["notice", "channel", "language", "subject", "body"]
    list_filter = ["notice", "channel", "language"]
    search_fields = ["subject", "body"]


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """The outbox, to look at: only the worker changes it."""

    list_display = ["created_at", "case", "notice", "channel", "masked_to", "status", "attempts"]
    list_filter = ["status", "channel", "recipient", "notice"]
    list_select_related = ["case"]
    search_fields = ["case__reference"]
    exclude = ["to"]
    readonly_fields = ["masked_to"]

    @admin.display(description=_("number or address"))
    def masked_to(self, notification: Notification) -> str:
        return notification.masked_to

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(SmsPreference)
class SmsPreferenceAdmin(admin.ModelAdmin):
    list_display = ["organisation", "latin_ascii"]
    list_select_related = ["organisation"]
