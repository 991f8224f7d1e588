"""The operator types the caller's question, the knowledge base offers the article, one
click answers and registers it, and the supervisor's report counts it."""

import re

import pytest
from playwright.sync_api import expect

from civicline.cases.models import Case
from civicline.knowledge.models import KnowledgeAnswer
from civicline.knowledge.services import ArticleContent, Text, article_save
from tests.e2e.test_case_flow import log_in

pytestmark = pytest.mark.e2e

TITLE = "Где се плаћа паркинг и колико кошта"


def test_an_operator_answers_from_the_knowledge_base_and_the_report_counts_it(
    city, server, browser
):
    article = article_save(
        content=ArticleContent(
            organisation=city.contact_center,
            texts={"sr": Text(TITLE, "Паркинг се плаћа SMS поруком на **8211** (зона 1).")},
            is_public=True,
        ),
        by=city.supervisor,
    )

    # given the operator takes a call and types the question in Latin without diacritics
    operator = log_in(browser, server, city.operator)
    operator.goto(f"{server}/desk/")
    operator.fill("[name=phone]", "064 111 2233")
    operator.fill("[name=description]", "gde se placa parking")

    # then the article is offered beside the form, and it opens
    suggestion = operator.locator("#knowledge-panel .hit").first
    expect(suggestion).to_contain_text(TITLE)
    with operator.expect_popup() as opened:
        suggestion.locator("a.hit-title").click()
    expect(opened.value.locator(".article-body")).to_contain_text("8211")

    # when the operator clicks "answered"
    suggestion.locator("button.answered").click()

    # then an information case is registered, resolved and linked to the article
    expect(operator).to_have_url(re.compile(r"/cases/\d{4}-\d{6}/$"))
    reference = operator.url.rstrip("/").rsplit("/", 1)[1]
    case = Case.objects.get(reference=reference)
    assert case.status == "resolved" and case.description == "gde se placa parking"
    assert KnowledgeAnswer.objects.get(case=case).article == article

    # and the supervisor's report of what citizens ask counts it under the article
    supervisor = log_in(browser, server, city.supervisor)
    supervisor.goto(f"{server}/knowledge/asked/")
    row = supervisor.locator("tr", has_text=TITLE)
    expect(row.locator(".count")).to_have_text("1")
