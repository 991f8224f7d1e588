"""Writing the knowledge base: saving an article keeps its history and its search entries
in step; answering from an article registers the citizen's question as a case."""

from dataclasses import dataclass
from datetime import date

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from civicline import clock
from civicline.cases import services as case_services
from civicline.cases.models import Case, Channel
from civicline.directory.models import CaseKind, Category, Organisation
from civicline.knowledge import search
from civicline.knowledge.models import (
    SOURCE_LANGUAGE,
    Article,
    ArticleText,
    ArticleVersion,
    KnowledgeAnswer,
)
from civicline.transliteration import to_latin

TITLE_MAX = 200


@dataclass(frozen=True)
class Text:
    title: str
    body: str
    written_by_hand: bool = True


@dataclass(frozen=True)
class ArticleContent:
    """Everything an editor sets on an article; `texts` by language code."""

    organisation: Organisation
    texts: dict[str, Text]
    categories: tuple[Category, ...] = ()
    is_public: bool = False
    valid_from: date | None = None
    valid_until: date | None = None


def _checked(content: ArticleContent) -> dict[str, Text]:
    errors = {}
    source = content.texts.get(SOURCE_LANGUAGE)
    if source is None or not source.title.strip() or not source.body.strip():
        errors["title"] = _("Write the title and the text in Serbian (Cyrillic) first.")
    for language, text in content.texts.items():
        if len(text.title.strip()) > TITLE_MAX:
            errors["title"] = _("Keep the title under %(max)d characters.") % {"max": TITLE_MAX}
        if bool(text.title.strip()) != bool(text.body.strip()):
            errors[f"texts.{language}"] = _("Give both a title and a text, or neither.")
    if content.valid_from and content.valid_until and content.valid_until < content.valid_from:
        errors["valid_until"] = _("The article cannot stop being valid before it starts.")
    if errors:
        raise ValidationError(errors)
    texts = {
        language: Text(text.title.strip(), text.body.strip(), text.written_by_hand)
        for language, text in content.texts.items()
        if text.title.strip()
    }
    latin = texts.get("sr-latn")
    if latin is None or not latin.written_by_hand:
        # Serbian Latin follows the Cyrillic unless someone wrote it themselves.
        texts["sr-latn"] = Text(
            to_latin(texts[SOURCE_LANGUAGE].title), to_latin(texts[SOURCE_LANGUAGE].body), False
        )
    return texts


def _snapshot(content: ArticleContent, texts: dict[str, Text]) -> dict:
    return {
        "organisation": content.organisation.pk,
        "categories": sorted(category.pk for category in content.categories),
        "is_public": content.is_public,
        "valid_from": content.valid_from.isoformat() if content.valid_from else None,
        "valid_until": content.valid_until.isoformat() if content.valid_until else None,
        "texts": {
            language: {"title": t.title, "body": t.body, "written_by_hand": t.written_by_hand}
            for language, t in sorted(texts.items())
        },
    }


@transaction.atomic
def article_save(
    *,
    content: ArticleContent,
    by: AbstractBaseUser | None,
    article: Article | None = None,
    note: str = "",
) -> Article:
    """Create or change an article: its texts, a new version in its history, its search
    entries. Languages left out of `content.texts` are removed."""
    texts = _checked(content)
    now = clock.now()
    if article is None:
        article = Article(created_at=now)
    else:
        article = Article.objects.select_for_update().get(pk=article.pk)
    article.organisation = content.organisation
    article.is_public = content.is_public
    article.valid_from, article.valid_until = content.valid_from, content.valid_until
    article.updated_at = now
    article.save()
    article.categories.set(content.categories)
    article.texts.exclude(language__in=texts).delete()
    for language, text in texts.items():
        ArticleText.objects.update_or_create(
            article=article,
            language=language,
            defaults={
                "title": text.title,
                "body": text.body,
                "written_by_hand": text.written_by_hand,
            },
        )
    last = article.versions.order_by("-number").values_list("number", flat=True).first() or 0
    ArticleVersion.objects.create(
        article=article,
        number=last + 1,
        saved_by=by,
        saved_at=now,
        note=note[:200],
        content=_snapshot(content, texts),
    )
    search.index_article(article)
    return article


def _content_of(version: ArticleVersion) -> ArticleContent:
    data = version.content
    return ArticleContent(
        organisation=Organisation.objects.get(pk=data["organisation"]),
        categories=tuple(Category.objects.filter(pk__in=data["categories"])),
        is_public=data["is_public"],
        valid_from=date.fromisoformat(data["valid_from"]) if data["valid_from"] else None,
        valid_until=date.fromisoformat(data["valid_until"]) if data["valid_until"] else None,
        texts={language: Text(**text) for language, text in data["texts"].items()},
    )


@transaction.atomic
def article_restore(*, version: ArticleVersion, by: AbstractBaseUser | None) -> Article:
    """Make an old version the current one, as a new version: history is never rewritten."""
    note = _("Restored version %(n)d") % {"n": version.number}
    return article_save(content=_content_of(version), by=by, article=version.article, note=note)


@transaction.atomic
def answered_from_article(
    *,
    article: Article,
    actor: AbstractBaseUser,
    question: str,
    reporter: case_services.ReporterDetails,
    channel: str = Channel.PHONE,
    language: str = SOURCE_LANGUAGE,
) -> Case:
    """The operator answered the caller with the article: an information case, registered
    and resolved at once, linked to the article (this is how the center counts what
    people ask)."""
    article = Article.objects.select_for_update().get(pk=article.pk)
    text = article.texts.filter(language=language).first() or article.texts.get(
        language=SOURCE_LANGUAGE
    )
    category = _information_category(article.categories.filter(is_active=True))
    case = case_services.case_intake(
        reporter=reporter,
        actor=actor,
        kind=CaseKind.INFORMATION,
        channel=channel,
        category=category,
        description=question.strip() or text.title,
        answer=_("Answered from the knowledge base: %(title)s") % {"title": text.title},
    )
    version = article.versions.order_by("-number").values_list("number", flat=True).first()
    KnowledgeAnswer.objects.create(case=case, article=article, version=version or 1)
    Article.objects.filter(pk=article.pk).update(uses=F("uses") + 1)
    return case


def _information_category(preferred) -> Category:
    """The article's own category if it takes information requests, else the first that
    does (the catalogue's general information)."""
    for candidates in (preferred, Category.objects.filter(is_active=True)):
        for category in candidates:
            if CaseKind.INFORMATION in category.allowed_kinds:
                return category
    raise ValidationError(_("No category takes information requests; ask the engineer."))
