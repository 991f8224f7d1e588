from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from civicline.knowledge.models import Article, Script, ScriptStep


class ScriptStepInline(admin.TabularInline):
    model = ScriptStep
    extra = 1


@admin.register(Script)
class ScriptAdmin(admin.ModelAdmin):
    """Answer scripts: the call flow an operator follows, with the line's rules on top."""

    list_display = ["title", "language", "is_active"]
    list_filter = ["language", "is_active"]
    filter_horizontal = ["categories"]
    inlines = [ScriptStepInline]


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    """Listed here; written on the knowledge pages, which keep the history and the index."""

    list_display = ["__str__", "organisation", "is_public", "valid_until", "uses", "editor"]
    list_filter = ["is_public", "organisation"]

    @admin.display(description=_("edit"))
    def editor(self, article: Article) -> str:
        return format_html('<a href="{}">{}</a>', reverse("knowledge-edit", args=[article.pk]),
                           _("Edit"))  # fmt: skip

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
