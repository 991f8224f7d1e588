"""The article editor: one title and text per language; Serbian Latin may be left to the
transliteration."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from civicline.directory.models import Category, Organisation
from civicline.knowledge.models import SOURCE_LANGUAGE
from civicline.knowledge.services import ArticleContent, Text

LANGUAGE_NAMES = dict(settings.LANGUAGES)


class ArticleForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Organisation that owns the answer"), queryset=Organisation.objects.all()
    )
    categories = forms.ModelMultipleChoiceField(
        label=_("Categories"),
        queryset=Category.objects.filter(is_active=True),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    is_public = forms.BooleanField(
        label=_("Public: citizens see it in the FAQ"), required=False, initial=False
    )
    valid_from = forms.DateField(
        label=_("Valid from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    valid_until = forms.DateField(
        label=_("Valid until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("After this day the article is not found."),
    )
    note = forms.CharField(label=_("What changed"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for code in LANGUAGE_NAMES:
            required = code == SOURCE_LANGUAGE
            self.fields[f"title_{code}"] = forms.CharField(
                label=_("Title"), max_length=200, required=required
            )
            self.fields[f"body_{code}"] = forms.CharField(
                label=_("Text"),
                required=required,
                widget=forms.Textarea(attrs={"rows": 10 if required else 5}),
                help_text=_("Markdown: **bold**, - lists, [links](https://…)."),
            )
        self.fields["latin_by_hand"] = forms.BooleanField(
            label=_("I wrote the Serbian Latin text myself (otherwise it follows the Cyrillic)"),
            required=False,
        )

    def languages(self):
        """The title and text fields of each language, for the template."""
        return [
            (code, name, self[f"title_{code}"], self[f"body_{code}"])
            for code, name in LANGUAGE_NAMES.items()
        ]

    def content(self) -> ArticleContent:
        data = self.cleaned_data
        texts = {}
        for code in LANGUAGE_NAMES:
            title, body = data.get(f"title_{code}", ""), data.get(f"body_{code}", "")
            if code == "sr-latn" and not data.get("latin_by_hand"):
                continue
            if title or body:
                texts[code] = Text(title, body)
        return ArticleContent(
            organisation=data["organisation"],
            texts=texts,
            categories=tuple(data["categories"]),
            is_public=data["is_public"],
            valid_from=data["valid_from"],
            valid_until=data["valid_until"],
        )

    @classmethod
    def initial_for(cls, article) -> dict:
        initial = {
            "organisation": article.organisation_id,
            "categories": list(article.categories.values_list("id", flat=True)),
            "is_public": article.is_public,
            "valid_from": article.valid_from,
            "valid_until": article.valid_until,
        }
        for text in article.texts.all():
            initial[f"title_{text.language}"] = text.title
            initial[f"body_{text.language}"] = text.body
            if text.language == "sr-latn":
                initial["latin_by_hand"] = text.written_by_hand
        return initial


class AnsweredForm(forms.Form):
    """The desk's caller and question, sent with "answered from the knowledge base"."""

    # The register form's own fields: its description is the caller's question.
    description = forms.CharField(max_length=4000, required=False)
    phone = forms.CharField(max_length=40, required=False)
    name = forms.CharField(max_length=200, required=False)
    email = forms.EmailField(required=False)
    language = forms.ChoiceField(choices=settings.LANGUAGES, required=False)
    channel = forms.CharField(max_length=20, required=False)
