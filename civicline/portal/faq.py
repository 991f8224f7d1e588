"""Answers to what citizens ask: the public articles of the knowledge base, searched the
same way as on the operator's desk. Internal and outdated articles never show here."""

from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from civicline.knowledge import search
from civicline.knowledge.markup import render as markdown
from civicline.knowledge.models import Article
from civicline.knowledge.selectors import text_in, today, valid_on

MOST_ASKED = 20


def _public() -> QuerySet[Article]:
    return Article.objects.filter(valid_on(today()), is_public=True).prefetch_related("texts")


@require_GET
def faq(request: HttpRequest) -> HttpResponse:
    language = (get_language() or "sr").lower()
    query = request.GET.get("q", "")[:200]
    if query.strip():
        hits = search.search(query, public_only=True, language=language, limit=20)
        found = [(hit.article_id, hit.title, hit.snippet) for hit in hits]
    else:
        found = [
            (article.pk, text_in(article, language).title, "")
            for article in _public().order_by("-uses", "-updated_at")[:MOST_ASKED]
        ]
    context = {"found": found, "q": query}
    if request.headers.get("HX-Request"):
        return render(request, "portal/_faq_list.html", context)
    return render(request, "portal/faq.html", context)


@require_GET
def faq_article(request: HttpRequest, pk: int) -> HttpResponse:
    article = _public().filter(pk=pk).first()
    if article is None:
        raise Http404("No such public article")
    text = text_in(article, (get_language() or "sr").lower())
    return render(request, "portal/faq_article.html", {"text": text, "body": markdown(text.body)})
