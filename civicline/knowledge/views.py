"""The knowledge base on staff pages: search as the operator types, read an article, answer
a caller with it in one click; supervisors write articles and see what citizens ask."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from civicline.cases import services as case_services
from civicline.cases.forms import errors_onto_form
from civicline.cases.models import Channel
from civicline.directory.models import Category
from civicline.directory.pages import any_staff, contact_center, supervisors
from civicline.knowledge import search, selectors, services
from civicline.knowledge.forms import AnsweredForm, ArticleForm
from civicline.knowledge.markup import render as markdown
from civicline.knowledge.models import Article, ArticleVersion, Script

SUGGESTIONS = 5


def _language() -> str:
    return (get_language() or "sr").lower()


def _category(request: HttpRequest) -> Category | None:
    raw = request.GET.get("category", "")
    return Category.objects.filter(pk=raw).first() if raw.isdigit() else None


def _hits(request: HttpRequest, limit: int) -> list:
    # The desk sends what the operator typed as the case's description.
    query = (request.GET.get("q") or request.GET.get("description") or "")[:200]
    category = _category(request)
    if query.strip():
        return search.search(
            query,
            category_id=category.pk if category else None,
            language=_language(),
            limit=limit,
        )
    if category:
        articles = selectors.articles_for_category(category).prefetch_related("texts")
        return [_as_hit(article) for article in articles[:limit]]
    return []


def _as_hit(article: Article) -> search.Hit:
    """A category's article listed like a search result, most used first."""
    text = selectors.text_in(article, _language())
    snippet = " ".join(text.body.split())[:160]
    return search.Hit(article.pk, text.language, text.title, snippet, float(article.uses))


@any_staff
@require_GET
def knowledge_home(request: HttpRequest) -> HttpResponse:
    context = {"hits": _hits(request, 30), "q": request.GET.get("q", "")}
    if request.headers.get("HX-Request"):
        return render(request, "knowledge/_hits.html", context)
    return render(request, "knowledge/home.html", context)


@contact_center
@require_GET
def suggestions(request: HttpRequest) -> HttpResponse:
    """The best articles for what the operator typed or picked on the desk, and the
    category's answer script."""
    category = _category(request)
    script = None
    if category:
        script = category.scripts.filter(is_active=True).prefetch_related("steps").first()
    context = {"hits": _hits(request, SUGGESTIONS), "script": script, "on_desk": True}
    return render(request, "knowledge/_suggestions.html", context)


@any_staff
@require_GET
def article_detail(request: HttpRequest, pk: int) -> HttpResponse:
    article = get_object_or_404(Article.objects.prefetch_related("texts", "categories"), pk=pk)
    text = selectors.text_in(article, _language())
    context = {
        "article": article,
        "text": text,
        "body": markdown(text.body),
        "is_valid": article in Article.objects.filter(selectors.valid_on(selectors.today())),
        "versions": selectors.versions_with_changes(article),
    }
    return render(request, "knowledge/article.html", context)


@contact_center
@require_POST
def answered(request: HttpRequest, pk: int) -> HttpResponse:
    """One click on the desk: the caller's question is registered as an information case,
    resolved with this article."""
    article = get_object_or_404(Article, pk=pk)
    form = AnsweredForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(m for ms in form.errors.values() for m in ms))
        return redirect("desk")
    data = form.cleaned_data
    channel = data["channel"] if data["channel"] in Channel.values else Channel.PHONE
    try:
        case = services.answered_from_article(
            article=article,
            actor=request.user,
            question=data["description"],
            reporter=case_services.ReporterDetails(
                name=data["name"],
                phone=data["phone"],
                email=data["email"],
                language=data["language"] or "sr",
            ),
            channel=channel,
            language=_language(),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("desk")
    messages.success(
        request,
        _("Registered and answered as %(reference)s.") % {"reference": case.reference},
    )
    return redirect("case", reference=case.reference)


@supervisors
@require_http_methods(["GET", "POST"])
def article_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    article = get_object_or_404(Article, pk=pk) if pk else None
    initial = ArticleForm.initial_for(article) if article else {}
    form = ArticleForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            article = services.article_save(
                content=form.content(),
                by=request.user,
                article=article,
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            errors_onto_form(form, error)
        else:
            messages.success(request, _("Article saved."))
            return redirect("knowledge-article", pk=article.pk)
    status = 400 if form.errors else 200
    context = {"form": form, "article": article}
    return render(request, "knowledge/edit.html", context, status=status)


@supervisors
@require_POST
def version_restore(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    version = get_object_or_404(ArticleVersion, article_id=pk, number=number)
    services.article_restore(version=version, by=request.user)
    messages.success(request, _("Version %(n)d restored.") % {"n": number})
    return redirect("knowledge-article", pk=pk)


@supervisors
@require_GET
def asked(request: HttpRequest) -> HttpResponse:
    """What citizens ask, per week: the answered topics, and the questions no article
    answers (which articles to write next)."""
    weeks = [
        (week, [(a, selectors.text_in(a, _language()), n) for a, n in week.answered])
        for week in selectors.asked_by_week(weeks=8)
    ]
    return render(request, "knowledge/asked.html", {"weeks": weeks})


@any_staff
@require_GET
def script_detail(request: HttpRequest, pk: int) -> HttpResponse:
    script = get_object_or_404(Script.objects.prefetch_related("steps"), pk=pk)
    return render(request, "knowledge/script.html", {"script": script})
