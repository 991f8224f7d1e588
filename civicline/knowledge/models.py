"""The knowledge base: articles that answer what citizens ask, in every language the city
speaks, with their history; and answer scripts that lead an operator through a call."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from civicline.cases.models import Case
from civicline.directory.models import Category, Organisation

# Serbian Cyrillic is what articles are written in first; Serbian Latin follows from it.
SOURCE_LANGUAGE = "sr"


class Article(models.Model):
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation that owns the answer"),
        on_delete=models.PROTECT,
        related_name="articles",
    )
    categories = models.ManyToManyField(
        Category, verbose_name=_("categories"), blank=True, related_name="articles"
    )
    is_public = models.BooleanField(
        _("public"), default=False, help_text=_("Shown in the citizens' FAQ; otherwise staff only.")
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(
        _("valid until"), null=True, blank=True, help_text=_("After this day it is not found.")
    )
    # How many times an operator answered a citizen with it: more used ranks higher.
    uses = models.PositiveIntegerField(_("times used"), default=0)
    created_at = models.DateTimeField(_("created"))
    updated_at = models.DateTimeField(_("updated"), db_index=True)

    class Meta:
        ordering = ["-updated_at", "-id"]
        verbose_name = _("article")
        verbose_name_plural = _("articles")

    def __str__(self) -> str:
        text = self.texts.filter(language=SOURCE_LANGUAGE).first()
        return text.title if text else f"#{self.pk}"


class ArticleText(models.Model):
    """The article as it reads now in one language."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="texts")
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), help_text=_("Markdown: **bold**, lists, links."))
    # Serbian Latin is transliterated from Cyrillic on every save unless someone wrote it.
    written_by_hand = models.BooleanField(_("written by hand"), default=True)

    class Meta:
        ordering = ["article", "language"]
        constraints = [
            models.UniqueConstraint(fields=["article", "language"], name="articletext_unique")
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.language})"


class ArticleVersion(models.Model):
    """Every save of an article, whole: who changed what and when; any can be restored."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    saved_at = models.DateTimeField(_("saved"))
    note = models.CharField(_("what changed"), max_length=200, blank=True)
    content = models.JSONField()

    class Meta:
        ordering = ["article", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["article", "number"], name="articleversion_unique")
        ]

    def __str__(self) -> str:
        return f"{self.article_id} v{self.number}"


class SearchEntry(models.Model):
    """One article text, folded by `searchtext.normalise`, as the search reads it. The
    database's own full-text index sits on this table (FTS5 on SQLite, tsvector columns on
    PostgreSQL), kept in step by `search.index_article`. A transliterated Serbian Latin
    text folds to the Cyrillic's words and has no entry of its own."""

    text = models.OneToOneField(ArticleText, on_delete=models.CASCADE, related_name="search")
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+")
    language = models.CharField(max_length=10)
    title = models.TextField()
    body = models.TextField()

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.title[:60]


class KnowledgeAnswer(models.Model):
    """An information case answered from an article: what citizens ask, counted."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="knowledge_answer")
    article = models.ForeignKey(Article, on_delete=models.PROTECT, related_name="answers")
    version = models.PositiveIntegerField()

    class Meta:
        ordering = ["-case_id"]

    def __str__(self) -> str:
        return f"{self.case_id} <- {self.article_id}"


class Script(models.Model):
    """A call flow for operators: the greeting, the questions in order, the closing, and
    the rules of the line shown above it all."""

    title = models.CharField(_("title"), max_length=200)
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default=SOURCE_LANGUAGE
    )
    categories = models.ManyToManyField(
        Category, verbose_name=_("categories"), blank=True, related_name="scripts"
    )
    policy = models.TextField(
        _("rules of the line"),
        blank=True,
        help_text=_("Shown prominently, e.g. no medical advice: refer to the family doctor."),
    )
    greeting = models.TextField(_("greeting"))
    closing = models.TextField(_("closing"))
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["title"]
        verbose_name = _("answer script")
        verbose_name_plural = _("answer scripts")

    def __str__(self) -> str:
        return self.title


class ScriptStep(models.Model):
    script = models.ForeignKey(Script, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveIntegerField(_("order"), default=0)
    question = models.TextField(_("ask"))
    answer = models.TextField(_("answer or what to do"), blank=True)

    class Meta:
        ordering = ["script", "order", "id"]
        verbose_name = _("step")
        verbose_name_plural = _("steps")

    def __str__(self) -> str:
        return self.question[:60]
