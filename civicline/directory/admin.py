from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from civicline.directory import services
from civicline.directory.models import (
    ApiToken,
    Area,
    CaseKind,
    Category,
    Choice,
    Membership,
    Organisation,
    Question,
)


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "parent", "phone", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "phone"]
    autocomplete_fields = ["parent"]


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ["name", "code"]
    search_fields = ["name", "code"]


class CategoryForm(forms.ModelForm):
    allowed_kinds = forms.MultipleChoiceField(
        label=_("allowed case kinds"),
        choices=CaseKind.choices,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Category
        fields = [
            "code",
            "name_sr",
            "name_sr_latn",
            "name_bg",
            "name_uk",
            "name_en",
            "default_organisation",
            "allowed_kinds",
            "deadline_hours",
            "is_active",
            "moderated",
        ]


class QuestionInline(admin.TabularInline):
    model = Question
    extra = 0
    show_change_link = True  # the list of values is edited on the question's own page


class ChoiceInline(admin.TabularInline):
    model = Choice
    extra = 1


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["category", "code", "datatype", "required", "order"]
    list_filter = ["datatype", "required"]
    inlines = [ChoiceInline]


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    form = CategoryForm
    inlines = [QuestionInline]
    list_display = ["code", "name_sr", "name_sr_latn", "default_organisation", "deadline_hours"]
    list_filter = ["is_active", "default_organisation"]
    search_fields = ["code", "name_sr", "name_sr_latn", "name_en", "search_text"]
    autocomplete_fields = ["default_organisation"]

    def save_model(self, request, obj, form, change):
        services.category_save(category=obj)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ["organisation"]


User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class StaffAdmin(UserAdmin):
    inlines = [MembershipInline]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "created_at", "revoked_at"]
    fields = ["user", "name", "revoked_at"]
    autocomplete_fields = ["user"]

    def save_model(self, request, obj, form, change):
        if change:
            obj.save(update_fields=["name", "revoked_at"])
            return
        token, raw = services.api_token_create(user=obj.user, name=obj.name)
        obj.pk = token.pk
        messages.warning(
            request, _("Copy the token now, it is not shown again: %(token)s") % {"token": raw}
        )
