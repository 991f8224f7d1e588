import json

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext
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


AREAS_IMPORT_MAX_BYTES = 5 * 2**20


class AreasImportForm(forms.Form):
    file = forms.FileField(
        label=_("GeoJSON file"),
        help_text=_(
            "A FeatureCollection of Polygon or MultiPolygon features with the properties "
            "“name” and, optionally, “code” (made from the name otherwise); at most 5 MB. "
            "An area with the same code is updated."
        ),
    )

    def clean_file(self) -> object:
        """The parsed JSON of the upload."""
        upload = self.cleaned_data["file"]
        if upload.size > AREAS_IMPORT_MAX_BYTES:
            raise ValidationError(
                gettext("The file is too large: at most %(mb)d MB.")
                % {"mb": AREAS_IMPORT_MAX_BYTES // 2**20}
            )
        try:
            text = upload.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ValidationError(gettext("The file is not UTF-8 text.")) from None
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise ValidationError(
                gettext("The file is not valid JSON: line %(line)d, column %(column)d.")
                % {"line": exc.lineno, "column": exc.colno}
            ) from None
        except (ValueError, RecursionError):
            raise ValidationError(gettext("The file is not valid JSON.")) from None


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ["name", "code"]
    search_fields = ["name", "code"]
    change_list_template = "admin/directory/area/change_list.html"

    def get_urls(self):
        return [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="directory_area_import",
            ),
            *super().get_urls(),
        ]

    def import_view(self, request):
        """Upload a GeoJSON FeatureCollection: every area in it is created or updated, or,
        when anything in it is wrong, nothing is stored and every problem is listed."""
        if not (self.has_add_permission(request) and self.has_change_permission(request)):
            raise PermissionDenied
        form = AreasImportForm()
        if request.method == "POST":
            form = AreasImportForm(request.POST, request.FILES)
            if form.is_valid():
                try:
                    created, updated = services.areas_import(form.cleaned_data["file"])
                except ValidationError as exc:
                    form.add_error("file", exc)
                else:
                    self.message_user(
                        request,
                        gettext("Areas imported: %(created)d new, %(updated)d updated.")
                        % {"created": created, "updated": updated},
                        messages.SUCCESS,
                    )
                    return redirect("admin:directory_area_changelist")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": gettext("Import areas from GeoJSON"),
            "form": form,
        }
        return TemplateResponse(request, "admin/directory/area/import.html", context)


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
            "photo_proof",
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
