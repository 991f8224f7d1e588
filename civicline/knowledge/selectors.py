"""Reading the knowledge base: an article in the reader's language, and the report of what
citizens ask."""

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from civicline import clock
from civicline.cases.models import Case
from civicline.directory.models import CaseKind, Category
from civicline.knowledge.models import (
    SOURCE_LANGUAGE,
    Article,
    ArticleText,
    ArticleVersion,
    KnowledgeAnswer,
)


def valid_on(day: date) -> Q:
    """Articles in force on `day`: outdated ones are never offered."""
    return (Q(valid_from__isnull=True) | Q(valid_from__lte=day)) & (
        Q(valid_until__isnull=True) | Q(valid_until__gte=day)
    )


def today() -> date:
    return timezone.localdate(clock.now())


def text_in(article: Article, language: str) -> ArticleText:
    """The article in `language`, or in Serbian (Cyrillic) where it has no such version."""
    texts = {text.language: text for text in article.texts.all()}
    return texts.get(language) or texts[SOURCE_LANGUAGE]


def articles_for_category(category: Category, *, public_only: bool = False) -> QuerySet[Article]:
    articles = category.articles.filter(valid_on(today())).order_by("-uses", "-updated_at")
    return articles.filter(is_public=True) if public_only else articles


def _changes(before: dict, after: dict) -> list[str]:
    changed = []
    for language in sorted(set(before["texts"]) | set(after["texts"])):
        old, new = before["texts"].get(language), after["texts"].get(language)
        if old is None or new is None or old["title"] != new["title"]:
            changed.append(_("title (%(language)s)") % {"language": language})
        if old is None or new is None or old["body"] != new["body"]:
            changed.append(_("text (%(language)s)") % {"language": language})
    labels = {
        "is_public": _("public or internal"),
        "valid_from": _("valid from"),
        "valid_until": _("valid until"),
        "categories": _("categories"),
        "organisation": _("organisation"),
    }
    changed += [label for field, label in labels.items() if before[field] != after[field]]
    return changed


def versions_with_changes(article: Article, *, last: int = 50) -> list[tuple]:
    """The article's versions, newest first, each with what it changed from the one before
    (the first version changed everything and lists nothing)."""
    versions = list(
        ArticleVersion.objects.filter(article=article).select_related("saved_by")[: last + 1]
    )
    return [
        (version, _changes(older.content, version.content) if older else [])
        for version, older in zip(versions[:last], [*versions[1:], None], strict=False)
    ]


def week_start(moment: datetime) -> date:
    day = timezone.localtime(moment).date()
    return day - timedelta(days=day.weekday())


@dataclass(frozen=True)
class WeekOfQuestions:
    monday: date
    answered: list[tuple[Article, int]]  # by article, most asked first
    unanswered: list[tuple[Category, int]]  # information cases with no article, by category
    unanswered_examples: list[Case]


def asked_by_week(*, weeks: int = 8) -> list[WeekOfQuestions]:
    """For each of the last `weeks` weeks, newest first: what citizens asked that an article
    answered, and what they asked that no article covers (the articles to write next)."""
    since = clock.now() - timedelta(weeks=weeks)
    answered = defaultdict(Counter)
    for answer in KnowledgeAnswer.objects.filter(case__created_at__gte=since).select_related(
        "case"
    ):
        answered[week_start(answer.case.created_at)][answer.article_id] += 1
    unanswered, examples = defaultdict(Counter), defaultdict(list)
    questions = Case.objects.filter(
        kind=CaseKind.INFORMATION, created_at__gte=since, knowledge_answer__isnull=True
    ).select_related("category")
    for case in questions.order_by("-created_at"):
        monday = week_start(case.created_at)
        unanswered[monday][case.category_id] += 1
        if len(examples[monday]) < 10:
            examples[monday].append(case)
    articles = Article.objects.prefetch_related("texts").in_bulk(
        {a for counts in answered.values() for a in counts}
    )
    categories = Category.objects.in_bulk({c for counts in unanswered.values() for c in counts})
    mondays = sorted(set(answered) | set(unanswered), reverse=True)
    return [
        WeekOfQuestions(
            monday=monday,
            answered=[(articles[a], n) for a, n in answered[monday].most_common()],
            unanswered=[(categories[c], n) for c, n in unanswered[monday].most_common()],
            unanswered_examples=examples[monday],
        )
        for monday in mondays
    ]
