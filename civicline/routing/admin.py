from django.contrib import admin

from civicline.routing.models import RoutingRule


@admin.register(RoutingRule)
class RoutingRuleAdmin(admin.ModelAdmin):
    list_display = ["category", "area", "organisation", "is_active"]
    list_filter = ["is_active", "area", "organisation"]
    autocomplete_fields = ["category", "area", "organisation"]
