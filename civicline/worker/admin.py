from django.contrib import admin

from civicline.worker.models import PeriodicJob


@admin.register(PeriodicJob)
class PeriodicJobAdmin(admin.ModelAdmin):
    list_display = ["name", "next_run_at", "last_started_at", "last_finished_at"]
    readonly_fields = ["name", "last_started_at", "last_finished_at", "last_error"]
