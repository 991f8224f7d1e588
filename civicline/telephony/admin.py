from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from civicline.telephony import services
from civicline.telephony.models import Agent, Call, Callback, CtiToken, Queue, QueueMember


class MemberInline(admin.TabularInline):
    model = QueueMember
    fields = ["agent", "penalty", "position", "logged_in"]
    readonly_fields = ["logged_in"]
    extra = 0


@admin.register(Queue)
class QueueAdmin(admin.ModelAdmin):
    list_display = ["name", "label", "number", "strategy", "calendar", "service_level_s"]
    inlines = [MemberInline]
    fieldsets = [
        (None, {"fields": ["name", "label", "number", "strategy"]}),
        (_("Opening hours"), {"fields": ["calendar", "closed_action", "closed_message"]}),
        (
            _("Waiting"),
            {
                "fields": [
                    "max_waiting",
                    "max_wait_s",
                    "callback_after_s",
                    "overflow_to",
                    "overflow_after_s",
                ]
            },
        ),  # fmt: skip
        (_("Agents"), {"fields": ["ring_timeout_s", "wrapup_s", "service_level_s"]}),
    ]


@admin.register(Agent)
class AgentAdmin(admin.ModelAdmin):
    """States change through the desk and the PBX, each change logged: read-only here."""

    list_display = ["__str__", "extension", "state", "state_since", "pause_reason"]
    list_filter = ["state"]
    search_fields = ["extension", "user__username", "user__last_name"]
    readonly_fields = ["state", "state_since", "pause_reason", "wrapup_until"]
    autocomplete_fields = ["user"]


@admin.register(Call)
class CallAdmin(admin.ModelAdmin):
    """The call log, read-only: calls change through the CTI API and the desk."""

    list_display = [
        "call_id", "direction", "from_number", "queue", "agent", "outcome", "started_at",
    ]  # fmt: skip
    list_filter = ["direction", "outcome", "queue"]
    search_fields = ["call_id", "from_number", "to_number", "citizen_e164"]
    date_hierarchy = "started_at"
    list_select_related = ["queue", "agent", "agent__user"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Callback)
class CallbackAdmin(admin.ModelAdmin):
    list_display = ["number", "reason", "queue", "created_at", "done_at", "done_by"]
    list_filter = ["reason", "queue"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(CtiToken)
class CtiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "is_active"]
    fields = ["name", "is_active", "blocked_numbers"]

    def save_model(self, request, obj, form, change):
        if change:
            obj.save(update_fields=["name", "is_active", "blocked_numbers"])
            return
        made, raw = services.cti_token_create(name=obj.name, blocked_numbers=obj.blocked_numbers)
        obj.pk = made.pk
        messages.warning(
            request,
            _("Copy the PBX's endpoint now, its token is not shown again: /api/v1/cti/%(token)s")
            % {"token": raw},
        )
