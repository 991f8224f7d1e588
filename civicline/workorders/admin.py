from django.contrib import admin

from civicline.workorders.models import FieldTeam, WorkOrder


@admin.register(FieldTeam)
class FieldTeamAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "area", "phone"]
    list_filter = ["organisation"]
    search_fields = ["name"]
    filter_horizontal = ["members"]


@admin.register(WorkOrder)
class WorkOrderAdmin(admin.ModelAdmin):
    """Read-only: work orders change through the desk and the field pages, which write the
    case's timeline with every change."""

    list_display = ["case", "team", "kind", "state", "created_at", "done_at"]
    list_filter = ["state", "kind", "team"]
    search_fields = ["case__reference"]
    list_select_related = ["case", "team", "team__organisation"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
