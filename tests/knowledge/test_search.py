"""Knowledge search: any alphabet, any keyboard, one typo per word, the word being typed;
outdated and internal articles kept out; the best answer first; the index follows every
save and deletion. Runs on SQLite (FTS5) and PostgreSQL (tsvector and GIN) alike."""

from datetime import timedelta

import pytest

from civicline.knowledge import search
from civicline.knowledge.models import Article, SearchEntry
from civicline.knowledge.selectors import today
from civicline.knowledge.services import ArticleContent, Text, article_save

LIGHTS = "Улична расвета"
LIGHTS_BODY = (
    "Када не ради **улична светиљка**, јавите се ЈКП Јавна расвета на 021 456 789 "
    "или пријавите квар преко портала. Екипа излази у року од 48 сати."
)


@pytest.fixture
def write(city):
    def _write(title, body="Текст чланка.", *, article=None, texts=None, **fields):
        fields.setdefault("organisation", city.lighting)
        return article_save(
            article=article,
            content=ArticleContent(texts=texts or {"sr": Text(title, body)}, **fields),
            by=None,
        )

    return _write


@pytest.fixture
def lights(city, write):
    return write(LIGHTS, LIGHTS_BODY, categories=(city.street_light,), is_public=True)


def found(query, **options):
    return [hit.article_id for hit in search.search(query, **options)]


@pytest.mark.parametrize(
    "query", ["ulicna rasveta", "улична расвета", "Ulična rasveta", "ulicna rasvета", "РАСВЕТА"]
)
def test_every_alphabet_and_keyboard_finds_the_same_article(lights, write, query):
    write("Нестанак воде", "Водовод ради на поправци цеви.")
    assert found(query) == [lights.pk]


def test_serbian_digraphs_and_dj_meet_across_alphabets(write):
    love = write("Љубав према граду", "Волонтери чисте паркове.")
    sack = write("Џак за отпад", "Џакове делимо бесплатно.")
    pupil = write("Ђак првак", "Упис у школу.")

    assert found("ljubav") == found("љубав") == found("LJUBAV") == [love.pk]
    # "dzak" and "djak" are one typo apart: both are found, the one as typed first.
    assert found("džak")[0] == found("dzak")[0] == found("џак")[0] == sack.pk
    assert found("đak")[0] == found("djak")[0] == found("ђак")[0] == pupil.pk
    assert found("dzak") == found("Џак") == [sack.pk, pupil.pk]


def test_bulgarian_and_ukrainian_texts_are_found_in_their_alphabet(write):
    bulgarian = write("Градски транспорт", "Возни ред.", texts={
        "sr": Text("Градски превоз", "Возни ред аутобуса."),
        "bg": Text("Градски транспорт", "Разписание на автобусите през зимата."),
    })  # fmt: skip
    ukrainian = write("Вакцинација", "Пријава.", texts={
        "sr": Text("Вакцинација", "Пријава за вакцинацију."),
        "uk": Text("Щеплення", "Запис на щеплення через портал."),
    })  # fmt: skip

    hit = search.search("разписание автобусите")[0]
    assert (hit.article_id, hit.language) == (bulgarian.pk, "bg")
    assert hit.title == "Градски транспорт" and "Разписание" in hit.snippet
    assert found("щеплення") == [ukrainian.pk]
    assert found("steplennja") == [ukrainian.pk]  # щ folds to "st"


def test_one_typo_per_word_is_forgiven(lights):
    for query in ("rasvteta", "rasevta", "rasvea", "rasvetta", "ulicna rasvteta", "ulcna rasvta"):
        assert found(query + " ") == [lights.pk], query


def test_two_typos_in_a_word_or_one_in_a_short_word_are_not(write):
    write("Ђак првак", "Упис у школу.")
    write("Улична расвета", "Светиљке.")

    assert found("dzuk ") == []  # two letters off "djak" ("dzak" is one: found above)
    assert found("rsvteta ") == []  # two typos
    assert found("dak ") == []  # three letters: no typo allowed


def test_the_word_being_typed_matches_as_a_prefix(lights):
    assert found("rasv") == [lights.pk]
    assert found("ra") == []  # two letters are not enough for a prefix
    assert found("ulicna ras") == [lights.pk]
    assert found("rasv ") == []  # a space after it: the word is finished


def test_outdated_articles_are_never_found(city, write):
    day = today()
    write("Радно време шалтера", valid_until=day - timedelta(days=1))
    summer = write("Радно време лета", valid_from=day + timedelta(days=1))
    current = write("Радно време зиме", valid_from=day, valid_until=day)

    assert found("radno vreme") == [current.pk]
    assert found("radno vreme", today=day + timedelta(days=1)) == [summer.pk]


def test_internal_articles_stay_off_the_public_search(write):
    public = write("Одвоз кабастог отпада", is_public=True)
    internal = write("Одвоз отпада: интерни распоред", is_public=False)

    assert set(found("odvoz otpada")) == {public.pk, internal.pk}
    assert found("odvoz otpada", public_only=True) == [public.pk]


def test_a_match_in_the_title_ranks_above_one_in_the_body(write):
    in_body = write("Квар на мрежи", "Расвета у улици не ради, расвета се поправља, расвета.")
    in_title = write("Расвета", "Шта радити кад се нешто поквари.")

    assert found("rasveta") == [in_title.pk, in_body.pk]


def test_a_more_used_article_ranks_above_an_equal_less_used_one(write):
    first = write("Паркинг зоне", "Цене паркирања по зонама.")
    second = write("Паркинг зоне", "Цене паркирања по зонама.")
    assert found("parking") == [second.pk, first.pk]  # the fresher one, otherwise equal

    Article.objects.filter(pk=first.pk).update(uses=5)
    assert found("parking") == [first.pk, second.pk]


def test_a_fresher_article_ranks_above_an_equal_older_one(write):
    old = write("Паркинг зоне", "Цене паркирања по зонама.")
    new = write("Паркинг зоне", "Цене паркирања по зонама.")
    Article.objects.filter(pk=old.pk).update(updated_at=old.updated_at - timedelta(days=400))
    assert found("parking") == [new.pk, old.pk]


def test_one_hit_per_article_in_the_readers_language(lights):
    hits = search.search("rasveta", language="sr-latn")
    assert [(hit.article_id, hit.language, hit.title) for hit in hits] == [
        (lights.pk, "sr-latn", "Ulična rasveta")
    ]
    assert "ulična svetiljka" in hits[0].snippet and "**" not in hits[0].snippet
    assert search.search("rasveta", language="sr")[0].title == LIGHTS


def test_the_snippet_is_the_body_around_the_match(write):
    words = " ".join(f"реч{n}" for n in range(60))
    write("Нешто", f"{words} контејнер за стакло {words}")
    snippet = search.search("kontejner")[0].snippet
    assert snippet.startswith("… реч52 ") and snippet.endswith(" …")
    assert "контејнер за стакло" in snippet and len(snippet.split()) == 32


def test_saving_again_reindexes_and_deleting_forgets(city, write, lights):
    write(LIGHTS, "Без улице.", article=lights, categories=(city.street_light,))
    assert found("svetiljka ") == []
    assert found("bez ulice") == [lights.pk]

    write("Семафори", "Семафор не ради.", article=lights)
    assert found("rasveta") == []
    assert found("semafori") == [lights.pk]

    lights.delete()
    assert found("semafori") == [] and not SearchEntry.objects.exists()


def test_a_category_narrows_the_search_and_an_empty_query_lists_it(city, write, lights):
    other = write("Расвета у парковима", "Паркови.", categories=(city.water_pipe,))
    Article.objects.filter(pk=lights.pk).update(uses=3)

    assert set(found("rasveta")) == {lights.pk, other.pk}
    assert found("rasveta", category_id=city.street_light.pk) == [lights.pk]
    assert found("  ", category_id=city.water_pipe.pk) == [other.pk]
    assert found("  ") == []


def test_a_question_finds_articles_with_most_of_its_words(lights, write):
    write("Нестанак воде", "Водовод ради на поправци цеви.")
    assert found("gde da prijavim kvar na uličnoj rasveti u Futogu ") == [lights.pk]


def test_the_words_as_typed_rank_above_words_one_typo_away(write):
    exact = write("Контејнер за папир")
    near = write("Контејнери за стакло")  # one letter more than typed, and fresher
    assert found("kontejner ") == [exact.pk, near.pk]


def test_a_query_of_common_words_or_marks_alone(write, lights):
    assert found("?! -- ") == []
    assert found("da li ") == []  # only common words: matched as they are


def test_latin_written_by_hand_has_its_own_entry_the_transliterated_one_none(city, write):
    auto = write("Улична расвета", "Светиљке.")
    by_hand = write("Улична расвета", "Светиљке.", texts={
        "sr": Text("Улична расвета", "Светиљке."),
        "sr-latn": Text("Javna rasveta", "Sijalice i stubovi.", True),
    })  # fmt: skip

    assert set(SearchEntry.objects.filter(article=auto).values_list("language", flat=True)) == {
        "sr"
    }
    assert SearchEntry.objects.filter(article=by_hand).count() == 2
    hit = search.search("sijalice", language="sr-latn")[0]
    assert (hit.article_id, hit.language, hit.title) == (by_hand.pk, "sr-latn", "Javna rasveta")
    # Searching in Latin, the Cyrillic's words show in Latin where the Latin folds the same.
    hits = {hit.article_id: hit for hit in search.search("svetiljke", language="sr-latn")}
    assert (hits[auto.pk].language, hits[auto.pk].title) == ("sr-latn", "Ulična rasveta")
    assert hits[by_hand.pk].language == "sr"


def test_reindex_rebuilds_the_same_index(write, lights):
    other = write("Одвоз кабастог отпада", "Позовите Чистоћу.")
    before = [found(q) for q in ("rasveta", "ulicna rasvteta ", "odvoz", "cistocu")]
    SearchEntry.objects.all().delete()  # as if lost
    assert found("odvoz") == []

    assert search.reindex() == 2
    assert [found(q) for q in ("rasveta", "ulicna rasvteta ", "odvoz", "cistocu")] == before
    assert before[2] == [other.pk]


def test_past_the_cap_the_newest_matches_are_ranked_and_filters_still_apply(
    city, write, monkeypatch
):
    older = write("Паркинг зоне", categories=(city.street_light,))
    newer = [write("Паркинг зоне") for _ in range(3)]
    monkeypatch.setattr(search, "MAX_CANDIDATES", 2)

    assert set(found("parking")) == {newer[-1].pk, newer[-2].pk}
    assert found("parking", category_id=city.street_light.pk) == [older.pk]


@pytest.mark.parametrize(
    ("a", "b", "near"),
    [
        ("rasveta", "rasveta", True),
        ("rasveta", "rasvteta", True),  # a letter inserted
        ("rasveta", "rasvta", True),  # left out
        ("rasveta", "rasvesa", True),  # replaced
        ("rasveta", "rasevta", True),  # neighbours swapped
        ("rasveta", "arsveta", True),
        ("rasveta", "rasvetaa", True),
        ("rasveta", "rsvteta", False),  # two
        ("rasveta", "rasvtea", True),
        ("rasveta", "rasvte", False),
        ("djak", "dzuk", False),
        ("djak", "dak", True),
        ("djak", "djakovo", False),
    ],
)
def test_one_typo_apart(a, b, near):
    assert search._one_typo_apart(a, b) is near
    assert search._one_typo_apart(b, a) is near
