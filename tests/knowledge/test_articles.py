"""Articles keep their history, Serbian Latin follows the Cyrillic, an answer from the desk
is counted as an information case, and the supervisor sees what citizens ask."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError

from civicline.cases.models import Case, Status
from civicline.cases.services import ReporterDetails
from civicline.directory.models import CaseKind
from civicline.knowledge.models import ArticleText, KnowledgeAnswer
from civicline.knowledge.services import (
    ArticleContent,
    Text,
    answered_from_article,
    article_restore,
    article_save,
)

WATER = "Нестанак воде"


@pytest.fixture
def article(city):
    return article_save(
        content=ArticleContent(
            organisation=city.water,
            texts={"sr": Text(WATER, "Позовите **Водовод** на 021 488 8888.")},
            categories=(city.water_pipe,),
            is_public=True,
        ),
        by=city.supervisor,
    )


def test_serbian_latin_follows_the_cyrillic_unless_written_by_hand(city, article):
    latin = ArticleText.objects.get(article=article, language="sr-latn")
    assert (latin.title, latin.written_by_hand) == ("Nestanak vode", False)

    article_save(
        article=article,
        content=ArticleContent(
            organisation=city.water,
            texts={"sr": Text(WATER, "Текст"), "sr-latn": Text("Nema vode", "Tekst", True)},
        ),
        by=city.supervisor,
    )
    latin.refresh_from_db()
    assert (latin.title, latin.written_by_hand) == ("Nema vode", True)


def test_every_save_is_a_version_and_a_restored_one_is_what_shows(city, article, login):
    article_save(
        article=article,
        content=ArticleContent(organisation=city.water, texts={"sr": Text(WATER, "Нови текст")}),
        by=city.supervisor,
        note="нови број",
    )
    first = article.versions.get(number=1)
    history = login(city.supervisor).get(f"/knowledge/{article.pk}/").content.decode()
    assert "changed: text (sr), text (sr-latn), public or internal, categories" in history

    article_restore(version=first, by=city.supervisor)

    assert list(article.versions.values_list("number", flat=True)) == [3, 2, 1]
    assert article.versions.get(number=3).note == "Restored version 1"
    assert article.texts.get(language="sr").body == "Позовите **Водовод** на 021 488 8888."
    assert article.categories.get() == city.water_pipe and article.is_public


def test_an_article_needs_its_serbian_text_and_sane_dates(city):
    with pytest.raises(ValidationError) as refused:
        article_save(
            content=ArticleContent(
                organisation=city.water,
                texts={"en": Text("Water", "Call us")},
                valid_from=date(2026, 5, 1),
                valid_until=date(2026, 4, 1),
            ),
            by=None,
        )
    assert set(refused.value.message_dict) == {"title", "valid_until"}


def test_answered_from_the_article_is_a_resolved_information_case(city, article):
    case = answered_from_article(
        article=article,
        actor=city.operator,
        question="Зашто нема воде у Футошкој?",
        reporter=ReporterDetails(phone="0641234567"),
    )
    assert case.kind == CaseKind.INFORMATION and case.status == Status.RESOLVED
    assert case.category == city.information  # the pipe category takes no questions
    assert KnowledgeAnswer.objects.get(case=case).article == article
    article.refresh_from_db()
    assert article.uses == 1


def test_the_rendered_article_has_no_html_of_its_own(city, login):
    from civicline.knowledge.markup import render

    html = render("**Важно** <script>alert(1)</script> [x](javascript:alert(1))")
    assert "<strong>Важно</strong>" in html
    assert "<script>" not in html and 'href="javascript' not in html


def test_the_report_shows_answered_topics_and_questions_without_an_article(
    city, article, register, login
):
    answered_from_article(article=article, actor=city.operator, question="Нема воде",
                          reporter=ReporterDetails())  # fmt: skip
    register(city.information, kind=CaseKind.INFORMATION, description="Где се плаћа паркинг?")

    page = login(city.supervisor).get("/knowledge/asked/").content.decode()

    assert WATER in page
    assert "Где се плаћа паркинг?" in page
    assert Case.objects.filter(kind=CaseKind.INFORMATION).count() == 2


def test_only_supervisors_write_and_restore(city, article, login):
    operator = login(city.operator)
    assert operator.get(f"/knowledge/{article.pk}/").status_code == 200
    assert operator.get(f"/knowledge/{article.pk}/edit/").status_code == 403
    restore = operator.post(f"/knowledge/{article.pk}/versions/1/restore/")
    assert restore.status_code == 403


def test_a_supervisor_edits_in_the_browser_form(city, article, login):
    supervisor = login(city.supervisor)
    response = supervisor.post(
        f"/knowledge/{article.pk}/edit/",
        {"organisation": city.water.pk, "title_sr": WATER, "body_sr": "Ново: позовите 021 111",
         "categories": [city.water_pipe.pk], "is_public": "on", "note": "нови број"},
    )  # fmt: skip
    assert response.status_code == 302
    assert article.texts.get(language="sr").body == "Ново: позовите 021 111"
    assert article.versions.first().note == "нови број"
    bad = supervisor.post(f"/knowledge/{article.pk}/edit/", {"organisation": city.water.pk})
    assert bad.status_code == 400 and article.versions.count() == 2


def test_an_expired_article_says_so_on_its_page(city, login):
    old = article_save(
        content=ArticleContent(
            organisation=city.water,
            texts={"sr": Text("Зимска служба 2025", "Распоред чишћења снега")},
            valid_until=date.today() - timedelta(days=30),
        ),
        by=None,
    )
    page = login(city.operator).get(f"/knowledge/{old.pk}/").content.decode()
    assert "Not valid today" in page


def test_the_public_faq_never_shows_an_internal_or_outdated_article(city, client):
    def save(title, **fields):
        content = ArticleContent(organisation=city.water, texts={"sr": Text(title, "Текст")},
                                 **fields)  # fmt: skip
        return article_save(content=content, by=None)

    public = save("Планска искључења воде", is_public=True)
    internal = save("Интерно: ескалација Водовода", is_public=False)
    outdated = save("Искључења воде 2024", is_public=True, valid_until=date(2024, 12, 31))

    page = client.get("/portal/faq/").content.decode()
    assert "Планска искључења воде" in page
    assert "Интерно" not in page and "2024" not in page
    found = client.get("/portal/faq/", {"q": "iskljucenja vode"}).content.decode()
    assert "Планска искључења воде" in found and "Искључења воде 2024" not in found
    assert client.get(f"/portal/faq/{public.pk}/").status_code == 200
    assert client.get(f"/portal/faq/{internal.pk}/").status_code == 404
    assert client.get(f"/portal/faq/{outdated.pk}/").status_code == 404


def test_a_script_written_in_the_admin_opens_beside_the_desk_form(city, login):
    admin = login(city.admin)
    response = admin.post(
        "/admin/knowledge/script/add/",
        {"title": "Квар расвете", "language": "sr", "categories": [city.street_light.pk],
         "policy": "Не дајемо лични податак пријавиоца.", "greeting": "Контакт центар, изволите.",
         "closing": "Хвала, пријава је заведена.", "is_active": "on",
         "steps-TOTAL_FORMS": "1", "steps-INITIAL_FORMS": "0",
         "steps-0-order": "1", "steps-0-question": "Који је број стуба?", "steps-0-answer": ""},
    )  # fmt: skip
    assert response.status_code == 302

    panel = (
        login(city.operator)
        .get("/knowledge/suggestions/", {"category": city.street_light.pk})
        .content.decode()
    )
    assert "Не дајемо лични податак пријавиоца." in panel and "Који је број стуба?" in panel
