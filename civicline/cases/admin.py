from django.contrib import admin

from civicline.cases.models import Case, CaseEvent, Reporter


class CaseEventInline(admin.TabularInline):
    model = CaseEvent
    extra = 0
    can_delete = False
    readonly_fields = [f.name for f in CaseEvent._meta.fields]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    """Read-only: cases change through the desk, so every change leaves an event."""

    list_display = ["reference", "kind", "category", "organisation", "status", "created_at"]
    list_filter = ["status", "kind", "channel", "organisation"]
    search_fields = ["reference"]
    list_select_related = ["category", "organisation"]
    inlines = [CaseEventInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Reporter)
class ReporterAdmin(admin.ModelAdmin):
    list_display = ["name", "phone", "email", "language", "consent_to_contact"]
    search_fields = ["name", "phone", "email"]
