from django.contrib import admin

from civicline.deadlines.models import (
    BusinessCalendar,
    CallbackTask,
    ClosedDay,
    DeadlinePolicy,
    EscalationStep,
    OpeningHours,
    OrganisationCalendar,
)


class OpeningHoursInline(admin.TabularInline):
    model = OpeningHours
    extra = 1


class ClosedDayInline(admin.TabularInline):
    model = ClosedDay
    extra = 1


@admin.register(BusinessCalendar)
class BusinessCalendarAdmin(admin.ModelAdmin):
    list_display = ["name", "always_open", "country", "is_default"]
    inlines = [OpeningHoursInline, ClosedDayInline]


@admin.register(OrganisationCalendar)
class OrganisationCalendarAdmin(admin.ModelAdmin):
    list_display = ["organisation", "calendar"]
    autocomplete_fields = ["organisation"]


class EscalationStepInline(admin.TabularInline):
    model = EscalationStep
    extra = 1


@admin.register(DeadlinePolicy)
class DeadlinePolicyAdmin(admin.ModelAdmin):
    list_display = ["category", "counting", "first_response_hours", "callback_hours"]
    list_filter = ["counting"]
    autocomplete_fields = ["category"]
    inlines = [EscalationStepInline]


@admin.register(CallbackTask)
class CallbackTaskAdmin(admin.ModelAdmin):
    """Read-only: callbacks are done from the operator desk, which records them on the case."""

    list_display = ["case", "due_at", "state", "delayed_at", "done_at", "done_by"]
    list_filter = ["state"]
    list_select_related = ["case", "done_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
