"""Knowledge search benchmark for civicline: how fast `knowledge.search.search()` answers
with 10,000 articles, for the queries operators and citizens type: Cyrillic, Latin with
and without diacritics, mixed alphabets, a typo, the word being typed, several words, a
question, nothing that exists.

Run from the repository root:

    .venv/bin/python bench/knowledge.py                      # SQLite in a temporary folder
    DATABASE_URL=postgres://... .venv/bin/python bench/knowledge.py --wipe   # PostgreSQL

With DATABASE_URL, every table in that database is DROPPED and migrated afresh. The script
refuses to touch a database that has tables unless --wipe is given. See bench/README.md.
"""

import argparse
import itertools
import os
import platform
import random
import shutil
import statistics
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta

# The intake benchmark's set-up (data folder, settings, fresh database, bulk insert, ANALYZE)
# and its reporting helpers, reused as they are. Run as a script, bench/ is on sys.path.
import intake

FILL_CHUNK = 2_000

# ---------------------------------------------------------------------------------------
# What the articles are made of: a city's services in Serbian Cyrillic. Each topic has
# its category (a code of the demo city's catalogue), the phrases its titles start with,
# and its own words; every article also draws on the words all answers share, on the
# little words of the language, and on a long tail of rarer words (names, places, terms).


def _words(text: str) -> list[str]:
    return text.split()


TOPICS = {
    "rasveta": (
        ["Улична расвета не ради", "Квар на јавној расвети", "Замена сијалица", "Светиљка трепери",
         "Нова расвета у насељу", "Расвета у парку"],
        "светиљка светиљке светиљку светиљци сијалица сијалице сијалицу стуб стуба стубови "
        "расвета расвете расвети осветљење осветљења мрак мраку кабл каблова напајање "
        "трафостаница трепери прегорела лампа лампе рефлектор рефлектора",
    ),
    "vodovod": (
        ["Пуцање водоводне цеви", "Цурење воде на улици", "Хаварија на водоводној мрежи",
         "Поправка цеви", "Прикључак на водовод"],
        "вода воде води водом цев цеви цевовод водовод водовода водоводна мрежа мреже хаварија "
        "цурење цури притисак притиска вентил вентила водомер водомера шахт шахта поправка "
        "поправке екипа екипе асфалт асфалта прикључак прикључка",
    ),
    "bez-vode": (
        ["Нема воде", "Планирано искључење воде", "Слаб притисак воде", "Вода је мутна",
         "Када ће бити воде"],
        "вода воде води искључење искључења нестанак нестанка притисак мутна цистерна цистерне "
        "снабдевање снабдевања зграда зграде згради стан стану комшије хидрофор хидрофора "
        "обавештење радови радова планирано",
    ),
    "kanalizacija": (
        ["Запушена канализација", "Излива се канализација", "Сливник је запушен",
         "Одгушење канализације"],
        "канализација канализације канализацију сливник сливника одгушење излива изливање "
        "кишница кишнице колектор колектора цев цеви подрум подрума мирис мириса отпадне воде "
        "црпна станица",
    ),
    "otpad": (
        ["Одвоз смећа", "Контејнер није испражњен", "Одвоз кабастог отпада", "Распоред одвоза",
         "Рециклажа у насељу"],
        "смеће смећа отпад отпада контејнер контејнера контејнери канта канте одвоз одвоза "
        "кабасти кабастог намештај намештаја рециклажа рециклаже стакло пластика папир "
        "распоред кесе кеса чистоћа чистоће",
    ),
    "deponija": (
        ["Дивља депонија", "Пријава дивље депоније", "Чишћење депоније"],
        "депонија депоније депонију шут шута грађевински материјал отпад плац плаца канал "
        "канала чишћење инспекција инспекције казна казне",
    ),
    "psi": (
        ["Пси луталице", "Напуштена животиња", "Прихватилиште за псе",
         "Уклањање угинулих животиња"],
        "пас пса пси паса луталица луталице животиња животиње прихватилиште прихватилишта "
        "зоохигијена зоохигијене удомљавање угинула ветеринар ветеринара чип чипа вакцина",
    ),
    "drvece": (
        ["Опасно дрво", "Орезивање грана", "Сеча дрвета", "Пало дрво на пут"],
        "дрво дрвета дрвеће грана гране орезивање сеча сечу стабло стабла крошња крошње "
        "олуја олује зеленило зеленила надзор",
    ),
    "zelene-povrsine": (
        ["Кошење траве у парку", "Одржавање зелених површина", "Поломљене клупе",
         "Дечје игралиште"],
        "парк парка парку трава траве кошење клупа клупе игралиште игралишта љуљашка "
        "зеленило површина површине сађење цвеће",
    ),
    "kolovoz": (
        ["Рупа на коловозу", "Оштећен тротоар", "Поправка улице", "Асфалтирање"],
        "коловоз коловоза рупа рупе ударна тротоар тротоара плоче асфалт асфалтирање улица "
        "улице улици поправка санација бициклистичка стаза",
    ),
    "semafor": (
        ["Семафор не ради", "Квар семафора", "Жуто трепћуће светло"],
        "семафор семафора семафори раскрсница раскрснице светло трепери трепћуће пешачки "
        "прелаз саобраћај саобраћаја",
    ),
    "prevoz": (
        ["Ред вожње", "Измена линије", "Месечна карта", "Превоз викендом", "Ноћне линије"],
        "аутобус аутобуса аутобуси линија линије линији ред вожње стајалиште стајалишта "
        "карта карте месечна картица превоз превоза полазак поласка возач возача гсп",
    ),
    "parking": (
        ["Паркирање у зонама", "Плаћање паркинга SMS-ом", "Паук служба", "Повлашћена карта"],
        "паркинг паркирање паркирања зона зоне зони паук возило возила SMS порука поруке "
        "казна карта доплатна инвалидитетом гаража гараже",
    ),
    "socijalna": (
        ["Једнократна помоћ", "Помоћ у кући", "Народна кухиња", "Социјална карта"],
        "помоћ помоћи социјална социјалне захтев захтева центар центра кухиња кухиње старије "
        "особе пензионер пензионери негователица документација",
    ),
    "vakcinacija": (
        ["Пријава за вакцинацију", "Термин за вакцинацију", "Пункт за вакцинацију", "Друга доза"],
        "вакцинација вакцинације вакцину вакцина доза дозе термин термина пункт пункта "
        "еуправа портал пријава пријаву лекар лекара сертификат",
    ),
    "covid": (
        ["Самоизолација", "Тестирање на ковид", "Мере заштите", "Ковид амбуланта"],
        "ковид самоизолација самоизолације тест теста тестирање амбуланта амбуланте симптоми "
        "температура маска маске изабрани лекар дежурни",
    ),
    "prevoz-vakcina": (
        ["Превоз до пункта за вакцинацију", "Превоз за особе у колицима"],
        "превоз пункт колица колицима возило пратилац термин заказивање сајам сајма",
    ),
    "informacije": (
        ["Радно време градских управа", "Локална комунална такса", "Где се плаћа",
         "Услужни центар"],
        "радно време шалтер шалтера такса таксе уплата уплатница рачун рачуна услужни "
        "центар управа управе",
    ),
}  # fmt: skip

SHARED = _words(
    "грађани грађанина грађанин захтев пријава пријаве пријаву служба службе служби телефон "
    "телефона број броја радно време понедељка петка суботом часова сати дана рок рока "
    "документ документа лична карта портал сајт сајту е-пошта обавештење информације "
    "надлежна надлежне надлежни градска градске управа управе комунални комуналне ЈКП екипа "
    "екипе терен терену интервенција интервенције квар квара кварова адреса адресу улица "
    "улице улици зграда зграде насеље насеља оператер оператера контакт центар позив позива "
    "позовите јавите пријавите проверите наведите обавезно бесплатно хитно редовно "
    "планирано одмах сутра данас недеља месец године Нови Сад Новом Саду"
)
LITTLE = _words(
    "и у на да је се за од до по са из као што који која које али или када ако не могу може "
    "треба потребно само још већ након пре после код без преко према око"
)
AREAS = ["Стари град", "Лиман", "Ново насеље", "Детелинара", "Грбавица", "Подбара",
         "Петроварадин", "Сремска Каменица", "Футог", "Ветерник", "Каћ", "Ченеј"]  # fmt: skip
SYLLABLES = _words(
    "ба бе би бо бу ва ве ви во ву га го гу да де ди до ду ђа ђе жа же жи за зе зи зо ја је ка "
    "ке ки ко ку ла ле ли ло лу ља ље ма ме ми мо му на не ни но ну ња ње па пе пи по пу ра ре "
    "ри ро ру са се си со су та те ти то ту ћа ћи фа фе ха хо ца це ци ча че чи џа ша ше ши шу"
)
ENDINGS = ["", "а", "е", "и", "у", "ом", "ама", "ог", "ој", "ски", "ска", "ће", "ац", "ка"]
ENGLISH = _words(
    "the city water light street waste collection parking vaccination transport help call "
    "service office hours report problem appointment bus line schedule fee payment"
)
NOWHERE = ["ксилофон", "квантни", "ротор", "мезозоик", "телескопа", "барокни", "монсун",
           "xylophone", "quantum", "zzzqq", "ипсилонска", "гондола"]  # fmt: skip


class Writer:
    """Makes up articles that read like a city's answers, reproducibly."""

    def __init__(self, rng: random.Random, streets: list[str]):
        self.rng = rng
        self.streets = streets
        tail = set()
        while len(tail) < 12_000:  # rarer words: names, places, terms
            stem = "".join(rng.choices(SYLLABLES, k=rng.choice((2, 2, 3, 3, 4))))
            tail.update(stem + ending for ending in rng.sample(ENDINGS, 3))
        self.tail = sorted(tail)
        # Zipf-like: a few rare words are common, most are very rare.
        rng.shuffle(self.tail)
        self.tail_cumulative = list(
            itertools.accumulate(1 / (r + 10) for r in range(len(self.tail)))
        )

    def word(self, topic_words: list[str]) -> str:
        roll = self.rng.random()
        if roll < 0.22:
            return self.rng.choice(topic_words)
        if roll < 0.50:
            return self.rng.choice(SHARED)
        if roll < 0.85:
            return self.rng.choice(LITTLE)
        return self.rng.choices(self.tail, cum_weights=self.tail_cumulative)[0]

    def sentence(self, topic_words: list[str]) -> str:
        rng = self.rng
        words = [self.word(topic_words) for _ in range(rng.randint(7, 16))]
        roll = rng.random()
        if roll < 0.15:
            words.insert(
                rng.randrange(len(words)), f"{rng.choice(self.streets)} {rng.randint(1, 150)}"
            )
        elif roll < 0.25:
            words.insert(
                rng.randrange(len(words)), f"021 {rng.randint(400, 499)} {rng.randint(1000, 9999)}"
            )
        elif roll < 0.32:
            words.insert(rng.randrange(len(words)), f"**{rng.choice(topic_words)}**")
        text = " ".join(words)
        return text[0].upper() + text[1:] + rng.choice(".....?!")

    def article(self, code: str) -> tuple[str, str, tuple[str, str]]:
        """Title, body, and the title's two parts (the topic's phrase, its own words)."""
        rng = self.rng
        starts, topic = TOPICS[code]
        topic_words = topic.split()
        # A phrase of the topic, and what sets this answer apart: a street, a part of the
        # city, a name.
        start = rng.choice(starts)
        roll = rng.random()
        if roll < 0.35:
            distinct = rng.choice(self.streets)
            title = f"{start} — {distinct}"
        elif roll < 0.6:
            distinct = rng.choice(AREAS)
            title = f"{start} у насељу {distinct}"
        else:
            distinct = f"{rng.choice(self.tail)} {rng.choice(topic_words)}"
            title = f"{start}: {distinct}"
        paragraphs, words = [], 0
        target = rng.randint(100, 300)
        while words < target:
            sentences = [self.sentence(topic_words) for _ in range(rng.randint(2, 4))]
            if rng.random() < 0.2:
                paragraphs.append("\n".join(f"- {s}" for s in sentences))
            else:
                paragraphs.append(" ".join(sentences))
            words += sum(len(s.split()) for s in sentences)
        return title, "\n\n".join(paragraphs), (start, distinct)

    def english(self) -> tuple[str, str]:
        rng = self.rng
        title = " ".join(rng.choices(ENGLISH, k=4)).capitalize()
        body = ". ".join(" ".join(rng.choices(ENGLISH, k=12)).capitalize() for _ in range(10))
        return title, body + "."


# ---------------------------------------------------------------------------------------
# Set-up


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=10_000, help="articles to make")
    parser.add_argument("--per-kind", type=int, default=200, help="queries timed per kind")
    parser.add_argument("--saves", type=int, default=50, help="article saves timed")
    parser.add_argument(
        "--wipe", action="store_true", help="allow dropping every table of DATABASE_URL"
    )
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--keep", action="store_true", help="keep the temporary data folder")
    return parser.parse_args()


@dataclass
class Made:
    """What the fill wrote, for making queries with a known answer."""

    titles: dict[int, str] = field(default_factory=dict)  # article id -> Serbian title
    parts: dict[int, tuple[str, str]] = field(default_factory=dict)  # its phrase, its own words
    bodies: dict[int, str] = field(default_factory=dict)
    findable: list[int] = field(default_factory=list)  # in force today
    public: set[int] = field(default_factory=set)
    texts: int = 0
    seconds: float = 0.0
    index_seconds: float = 0.0


def fill(count: int, rng: random.Random) -> Made:
    """Bulk-insert `count` articles with their Serbian (Cyrillic and Latin) texts, an English
    one for one in ten, their categories; then build the search index with `reindex()`."""
    from django.db import transaction
    from django.utils import timezone

    from civicline.demo import city
    from civicline.directory.models import Category
    from civicline.knowledge import search
    from civicline.knowledge.models import Article, ArticleText
    from civicline.transliteration import to_latin

    categories = {c.code: c for c in Category.objects.filter(code__in=TOPICS)}
    codes = sorted(categories)
    writer = Writer(rng, list(city.STREETS))
    made, now = Made(), timezone.now()
    today = timezone.localdate(now)
    start = time.perf_counter()
    through = Article.categories.through
    with intake.fill_settings(), transaction.atomic():
        for offset in range(0, count, FILL_CHUNK):
            articles, pending = [], []
            for _ in range(min(FILL_CHUNK, count - offset)):
                code = rng.choice(codes)
                updated = now - timedelta(days=rng.random() ** 1.5 * 3 * 365)
                valid_from = valid_until = None
                roll = rng.random()
                if roll < 0.04:  # outdated
                    valid_until = today - timedelta(days=rng.randint(1, 700))
                elif roll < 0.06:  # not yet in force
                    valid_from = today + timedelta(days=rng.randint(1, 60))
                elif roll < 0.20:
                    valid_until = today + timedelta(days=rng.randint(1, 365))
                article = Article(
                    organisation_id=categories[code].default_organisation_id,
                    is_public=rng.random() < 0.7,
                    valid_from=valid_from,
                    valid_until=valid_until,
                    uses=min(5000, int(rng.paretovariate(1.1)) - 1),
                    created_at=updated - timedelta(days=rng.randint(0, 300)),
                    updated_at=updated,
                )
                articles.append(article)
                pending.append((article, code, writer.article(code)))
            intake.bulk_insert(articles)
            texts, links = [], []
            for article, code, (title, body, parts) in pending:
                texts.append(
                    ArticleText(article_id=article.pk, language="sr", title=title, body=body)
                )
                texts.append(ArticleText(article_id=article.pk, language="sr-latn",
                                         title=to_latin(title), body=to_latin(body),
                                         written_by_hand=False))  # fmt: skip
                if rng.random() < 0.1:
                    en_title, en_body = writer.english()
                    texts.append(ArticleText(article_id=article.pk, language="en",
                                             title=en_title, body=en_body))  # fmt: skip
                links.append(through(article_id=article.pk, category_id=categories[code].pk))
                made.titles[article.pk], made.bodies[article.pk] = title, body
                made.parts[article.pk] = parts
                if (article.valid_from or today) <= today <= (article.valid_until or today):
                    made.findable.append(article.pk)
                if article.is_public:
                    made.public.add(article.pk)
            intake.bulk_insert(texts)
            intake.bulk_insert(links)
            made.texts += len(texts)
        made.seconds = time.perf_counter() - start
        start = time.perf_counter()
        search.reindex()
        made.index_seconds = time.perf_counter() - start
    intake.analyze()
    return made


# ---------------------------------------------------------------------------------------
# The queries


@dataclass(frozen=True)
class Query:
    kind: str
    text: str
    target: int | None = None  # the article it was made from; None: nothing should match
    public_only: bool = False
    language: str = "sr"


def _latin(text: str) -> str:
    from civicline.transliteration import to_latin

    return to_latin(text)


def _ascii(text: str) -> str:
    """Latin as typed on a keyboard without Serbian letters (đ as "dj")."""
    from civicline.transliteration import to_latin

    table = str.maketrans({**dict(zip("čćžšČĆŽŠ", "cczsCCZS", strict=True)), "đ": "dj", "Đ": "Dj"})
    return to_latin(text).translate(table)


def _typo(word: str, rng: random.Random) -> str:
    i = rng.randrange(1, len(word) - 1)
    edit = rng.choice(("insert", "delete", "replace", "swap"))
    letter = rng.choice("abcdeghijklmnoprstuvz")
    if edit == "insert":
        return word[:i] + letter + word[i:]
    if edit == "delete":
        return word[:i] + word[i + 1 :]
    if edit == "replace":
        return word[:i] + letter + word[i + 1 :]
    return word[: i - 1] + word[i] + word[i - 1] + word[i + 1 :]


def _mixed(text: str, rng: random.Random) -> str:
    """Latin with some Cyrillic letters that look or sound alike, as a keyboard switched
    half-way gives."""
    swap = {"a": "а", "e": "е", "o": "о", "t": "т", "k": "к", "m": "м", "r": "р"}
    return "".join(swap[c] if c in swap and rng.random() < 0.4 else c for c in text)


def _title_words(made: Made, article: int, rng: random.Random) -> list[str]:
    """Two words of the title, as an operator would pick them: one of the topic's phrase
    and one of what sets the article apart."""

    def words(text: str) -> list[str]:
        return [w for w in text.split() if len(w) > 2 and w.lower() not in LITTLE] or [text]

    start, distinct = made.parts[article]
    return [rng.choice(words(start)), rng.choice(words(distinct))]


def queries(made: Made, per_kind: int, rng: random.Random) -> list[Query]:
    out: list[Query] = []

    def pick() -> int:
        return rng.choice(made.findable)

    for _ in range(per_kind):
        target = pick()
        cyrillic = " ".join(_title_words(made, target, rng))
        out.append(Query("exact, Cyrillic", cyrillic, target))
        out.append(Query("Latin, diacritics", _latin(cyrillic), target, language="sr-latn"))
        out.append(Query("Latin, no diacritics", _ascii(cyrillic).lower(), target))
        out.append(Query("mixed alphabets", _mixed(_ascii(cyrillic).lower(), rng), target))

        target = pick()
        words = [_ascii(w).lower() for w in _title_words(made, target, rng)]
        long = [i for i, w in enumerate(words) if len(w) >= 5 and w.isalpha()]
        if long:
            i = rng.choice(long)
            words[i] = _typo(words[i], rng)
        out.append(Query("one typo", " ".join(words) + " ", target))

        target = pick()
        body = [w.strip(".,!?*-") for w in made.bodies[target].split()]
        body = [w for w in body if len(w) > 3 and w.isalpha()]
        at = rng.randrange(max(1, len(body) - 3))
        words = _ascii(" ".join(body[at : at + rng.choice((2, 3))])).lower()
        out.append(Query("2-3 words of the body", words + " ", target))

        target = pick()
        area = rng.choice(AREAS)
        topic = _ascii(" ".join(_title_words(made, target, rng))).lower()
        question = f"kako da prijavim {topic} u {_ascii(area).lower()} "
        out.append(Query("question", question, target))

        target = next((a for a in (pick() for _ in range(50)) if a in made.public), pick())
        words = _ascii(" ".join(_title_words(made, target, rng))).lower()
        out.append(Query("public FAQ (public only)", words, target, public_only=True))

        out.append(Query("no match", " ".join(rng.sample(NOWHERE, rng.choice((1, 2)))), None))

    # As the operator types: every keystroke from the third letter of the first word on.
    typed = []
    while len(typed) < per_kind:
        target = pick()
        phrase = _ascii(" ".join(_title_words(made, target, rng))).lower()
        typed += [Query("prefix, as typed", phrase[:n], target) for n in range(3, len(phrase) + 1)
                  if not phrase[:n].endswith(" ")]  # fmt: skip
    out += typed[:per_kind]
    rng.shuffle(out)
    return out


# ---------------------------------------------------------------------------------------
# Timing


@dataclass
class Kind:
    name: str
    samples_ms: list[float] = field(default_factory=list)
    queries: Counter = field(default_factory=Counter)  # SQL statements per search -> times
    targeted: int = 0
    found: int = 0  # the target was among the hits
    first: int = 0  # the target was the first hit
    empty: int = 0

    def line(self) -> str:
        s = sorted(self.samples_ms)
        p50 = statistics.median(s)
        p95 = statistics.quantiles(s, n=20, method="inclusive")[18] if len(s) > 1 else s[0]
        sql = "/".join(str(n) for n in sorted(self.queries))
        found = f"{100 * self.found / self.targeted:5.0f} %" if self.targeted else f"{'-':>7}"
        first = f"{100 * self.first / self.targeted:5.0f} %" if self.targeted else f"{'-':>7}"
        return (
            f"{self.name:<28} {len(s):>5} {p50:8.2f} {p95:8.2f} {s[-1]:8.2f} "
            f"{found} {first} {100 * self.empty / len(s):6.0f} % {sql:>7}"
        )


HEADER = (
    f"{'query kind':<28} {'n':>5} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} "
    f"{'found':>7} {'first':>7} {'empty':>8} {'SQL':>7}"
)


def run_queries(qs: list[Query]) -> tuple[dict[str, Kind], list[tuple[float, Query]]]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from civicline.knowledge import search

    for query in qs[:50]:  # warm the caches, as a server that has been running
        search.search(query.text, public_only=query.public_only, language=query.language)
    kinds: dict[str, Kind] = {}
    slowest = []
    for query in qs:
        kind = kinds.setdefault(query.kind, Kind(query.kind))
        connection.queries_log.clear()  # it keeps 9,000 statements; past that none are seen
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            hits = search.search(query.text, public_only=query.public_only, language=query.language)
            ms = (time.perf_counter() - start) * 1000
        kind.samples_ms.append(ms)
        kind.queries[len(captured.captured_queries)] += 1
        ids = [hit.article_id for hit in hits]
        kind.empty += not ids
        if query.target is not None:
            kind.targeted += 1
            kind.found += query.target in ids
            kind.first += bool(ids) and ids[0] == query.target
        slowest.append((ms, query))
    slowest.sort(key=lambda pair: -pair[0])
    return kinds, slowest[:5]


def time_saves(made: Made, n: int, rng: random.Random) -> list[float]:
    """article_save on existing articles: a new version, the texts and the search entries
    rewritten, the new words added to the vocabulary."""
    from civicline.directory.models import Organisation
    from civicline.knowledge.models import Article
    from civicline.knowledge.services import ArticleContent, Text, article_save

    samples = []
    organisation = Organisation.objects.order_by("pk").first()
    for pk in rng.sample(made.findable, n):
        article = Article.objects.get(pk=pk)
        body = made.bodies[pk] + f"\n\nИзмењено: нова реч{rng.randint(1, 10**6)}."
        content = ArticleContent(
            organisation=organisation,
            texts={"sr": Text(made.titles[pk], body)},
            categories=tuple(article.categories.all()),
            is_public=article.is_public,
            valid_from=article.valid_from,
            valid_until=article.valid_until,
        )
        start = time.perf_counter()
        article_save(content=content, by=None, article=article, note="bench")
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def plan(query: Query) -> list[str]:
    """The plan of the search's slowest statement, as search() sent it."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from civicline.knowledge import search

    connection.queries_log.clear()
    with CaptureQueriesContext(connection) as captured:
        search.search(query.text, public_only=query.public_only, language=query.language)
    slowest = max(captured.captured_queries, key=lambda q: float(q["time"]))["sql"]
    explain = (
        "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN (ANALYZE, BUFFERS) "
    )
    with connection.cursor() as cursor:
        # The captured text has its parameters in already (quoted as literals).
        cursor.execute(explain + slowest)
        lines = [" | ".join(str(c) for c in row) for row in cursor.fetchall()]
    return [" ".join(slowest.split())[:300] + " ...", *lines]


# ---------------------------------------------------------------------------------------


def main() -> None:
    args = parse_args()
    data_dir = intake.configure(args)
    overall, load_start = time.perf_counter(), intake.load()
    try:
        from django.db import connection

        from civicline.knowledge.models import Article, ArticleText, SearchEntry

        db = intake.database_description()
        intake.say(f"database: {db} — {connection.settings_dict['NAME']}")
        migrate_s = intake.fresh_database(args.wipe)
        start = time.perf_counter()
        from civicline.demo import city

        city.load()
        demo_s = time.perf_counter() - start
        intake.say(f"migrated in {migrate_s:.1f} s; demo city loaded in {demo_s:.1f} s")

        rng = random.Random(args.seed)
        made = fill(args.articles, rng)
        intake.say(
            f"{args.articles:,} articles, {made.texts:,} texts in {made.seconds:.1f} s; "
            f"search index built in {made.index_seconds:.1f} s"
        )
        qs = queries(made, args.per_kind, rng)
        kinds, slowest = run_queries(qs)
        intake.say(f"{len(qs):,} searches timed")
        saves = time_saves(made, args.saves, rng)
        worst = slowest[0][1]
        plan_lines = plan(worst)

        with connection.cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM knowledge_searchterm WHERE key = word")
            vocabulary = cursor.fetchone()[0]
            cursor.execute("SELECT COUNT(*) FROM knowledge_searchterm")
            keys = cursor.fetchone()[0]

        import django

        line = "=" * 100
        print()
        print(line)
        print("civicline knowledge search benchmark")
        print(f"  code         : {intake.revision()}")
        print(f"  database     : {db}")
        print(f"  software     : Python {platform.python_version()}, Django {django.get_version()}")
        print(
            f"  machine      : {platform.machine()}, {os.cpu_count()} CPUs, {platform.platform()}"
        )
        print(f"  load average : {load_start} at start, {intake.load()} at end (1/5/15 min)")
        print(
            f"  options      : --articles {args.articles} --per-kind {args.per_kind} "
            f"--saves {args.saves} --seed {args.seed}"
        )
        print(
            f"  rows         : {Article.objects.count():,} articles "
            f"({len(made.findable):,} in force, {len(made.public):,} public), "
            f"{ArticleText.objects.count():,} texts, {SearchEntry.objects.count():,} search entries"
        )
        print(f"  vocabulary   : {vocabulary:,} words, {keys:,} with their deletion keys")
        print(
            f"  fill         : {made.seconds:.1f} s bulk insert, "
            f"{made.index_seconds:.1f} s search.reindex()"
        )
        print(f"  total run    : {time.perf_counter() - overall:.0f} s")
        print(line)
        print(HEADER)
        print("-" * 100)
        everything = Kind("all searches")
        for kind in sorted(kinds.values(), key=lambda k: k.name):
            print(kind.line())
            everything.samples_ms += kind.samples_ms
            everything.queries.update(kind.queries)
            for name in ("targeted", "found", "first", "empty"):
                setattr(everything, name, getattr(everything, name) + getattr(kind, name))
        print("-" * 100)
        print(everything.line())
        s = sorted(saves)
        print(
            f"{'article_save (re-index)':<28} {len(s):>5} {statistics.median(s):8.2f} "
            f"{statistics.quantiles(s, n=20, method='inclusive')[18]:8.2f} {s[-1]:8.2f}"
        )
        print(line)
        print("found: the article the query was made from is among the 10 hits; first: it is")
        print("the first hit; empty: no hit; SQL: statements per search (all values seen).")
        print("Slowest searches:")
        for ms, query in slowest:
            print(f"  {ms:8.2f} ms  {query.kind:<26} {query.text!r}")
        print(f"Plan of the slowest statement of the slowest search ({worst.text!r}):")
        for text in plan_lines:
            print(f"  {text[:200]}")
        print(line)
    finally:
        if not args.keep:
            shutil.rmtree(data_dir, ignore_errors=True)
        else:
            print(f"data kept in {data_dir}")


if __name__ == "__main__":
    main()
