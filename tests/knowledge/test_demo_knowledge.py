"""The demo city comes with a knowledge base an operator can answer from: public answers and
operators' notes on every topic of issue 6, last winter's schedule expired with its history,
and the two answer scripts."""

import re
import time

import pytest
from django.core.management import call_command

from civicline.demo import city, knowledge
from civicline.directory.models import Category, Membership, Organisation, Role
from civicline.knowledge import search
from civicline.knowledge.models import Article, ArticleText, Script
from civicline.knowledge.selectors import today, valid_on
from civicline.searchtext import normalise

# The issue's topics, each with the words (normalised) one of the article titles must hold.
TOPICS = {
    "water failures": ["nema vode", "vodovodna cev", "iskljucenja vode"],
    "street lights": ["ulicna svetiljka", "javne rasvete"],
    "waste collection": ["odvoz smeca", "kabastog otpada", "kontejner"],
    "parking": ["parking"],
    "vaccination registration": ["prijava za vakcinaciju"],
    "transport to the vaccination point": ["prevoz do punkta za vakcinaciju"],
    "social help": ["novcana pomoc", "socijalni rad", "pomoc u kuci", "narodna kuhinja"],
}
CYRILLIC = re.compile(r"[а-яА-ЯђјљњћџЂЈЉЊЋЏ]")


@pytest.fixture
def demo(db):
    """The whole demo city, as `make demo` loads it."""
    call_command("demo_city")
    if not Article.objects.exists():  # until city.load() writes the knowledge base itself
        organisations = {
            key: Organisation.objects.get(name=name) for key, name, *_ in city.ORGANISATIONS
        }
        categories = {category.code: category for category in Category.objects.all()}
        supervisor = Membership.objects.get(role=Role.SUPERVISOR).user
        knowledge.load(organisations=organisations, categories=categories, by=supervisor)


@pytest.fixture
def catalogue(db):
    """Only the demo city's bodies and categories: enough for the knowledge base, and quick."""
    organisations, _, categories = city._catalogue()
    return organisations, categories


@pytest.fixture
def knowledge_base(catalogue):
    organisations, categories = catalogue
    knowledge.load(organisations=organisations, categories=categories)


def test_the_demo_answers_every_topic_of_the_issue_in_serbian(demo):
    articles = Article.objects.all()
    assert articles.count() >= 40
    assert articles.filter(is_public=True).count() >= 10
    assert articles.filter(is_public=False).count() >= 5  # operators' notes
    current = [
        normalise(text.title)
        for text in ArticleText.objects.filter(language="sr").filter(
            article__in=Article.objects.filter(valid_on(today()))
        )
    ]
    for topic, words in TOPICS.items():
        assert any(word in title for title in current for word in words), topic
    for text in ArticleText.objects.filter(language="sr"):
        assert CYRILLIC.search(text.title), text.title
        assert 80 <= len(text.body.split()) <= 250, text.title
    # Serbian Latin follows from the Cyrillic; a couple also speak the other languages.
    assert ArticleText.objects.filter(language="sr-latn").count() == articles.count()
    multilingual = articles.filter(texts__language="uk").filter(texts__language="bg")
    assert multilingual.filter(texts__language="en").count() >= 2
    assert Script.objects.count() == 2


def test_last_winters_schedule_is_outdated_and_has_a_history(knowledge_base):
    expired = Article.objects.exclude(valid_on(today()))
    assert expired.count() == 1
    winter = expired.get()
    assert winter.valid_until < today()
    versions = list(winter.versions.order_by("number"))
    assert [version.number for version in versions] == [1, 2]
    assert versions[1].note and versions[0].saved_at < versions[1].saved_at
    # The operator searching for the winter service finds this winter's answer, not last one's
    hits = [hit.article_id for hit in search.search("zimska sluzba")]
    assert hits and winter.pk not in hits


def test_an_operator_finds_the_answer_in_either_alphabet(knowledge_base):
    (towing,) = Article.objects.filter(texts__title__startswith="Паук")
    assert towing.pk in [hit.article_id for hit in search.search("pauk vozilo")]
    assert towing.pk in [hit.article_id for hit in search.search("паук возило")]


def test_the_two_answer_scripts_lead_the_call(knowledge_base):
    scripts = {script.title: script for script in Script.objects.all()}
    assert len(scripts) == 2
    covid = scripts["COVID-19 линија — вакцинација и превоз"]
    communal = scripts["Комунални проблем — пријава квара"]
    for script in (covid, communal):
        assert script.is_active and script.language == "sr"
        assert CYRILLIC.search(script.greeting) and CYRILLIC.search(script.closing)
        assert "[број пријаве]" in script.closing
        assert script.steps.count() >= 5 and script.categories.exists()
    # Seed 000: no medical opinion, refer to the family doctor; confidentiality first.
    assert "изабраном лекару" in covid.policy and "Поверљиво" in covid.policy
    assert set(covid.categories.values_list("code", flat=True)) >= {"vakcinacija", "prevoz-vakcina"}
    asked = normalise(" ".join(covid.steps.values_list("question", flat=True)))
    assert "prevoz" in asked and "jmbg" not in asked
    asked = normalise(" ".join(communal.steps.values_list("question", flat=True)))
    assert all(word in asked for word in ("adresa", "broj stuba", "od kada", "opasnost"))
    assert set(communal.categories.values_list("code", flat=True)) >= {"rasveta", "vodovod"}


def test_the_knowledge_base_loads_quickly_and_only_once(catalogue):
    organisations, categories = catalogue
    started = time.perf_counter()
    knowledge.load(organisations=organisations, categories=categories)
    assert time.perf_counter() - started < 3
    articles, scripts = Article.objects.count(), Script.objects.count()

    knowledge.load(organisations=organisations, categories=categories)
    assert (Article.objects.count(), Script.objects.count()) == (articles, scripts)
