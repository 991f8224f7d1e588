"""Finding the article that answers a caller, in any alphabet, as the operator types.

One normaliser (`civicline.searchtext.normalise`) for everything: the articles' texts are
kept folded in `SearchEntry` rows and the query is folded the same way, so "улична
расвета", "Ulična rasveta", "ulicna rasveta" and "ulicna rasvета" are one query.

How a query is answered:

1. The folded query is split into words. Common words ("da", "na", "kako", ...) are left
   out while other words remain. A word of `TYPO_MIN_LENGTH` letters or more may carry one
   typo (a letter inserted, left out, replaced, or two neighbours swapped): it stands for
   the knowledge base's words within that distance too, which also catches most
   inflected forms ("rasveta" finds "rasvete"). Unless a space follows it, the last word
   is also a prefix (of `PREFIX_MIN_LENGTH` letters or more): the operator is typing it.
2. Up to three passes over the index, each ranked by the database:
   a. the entries that have every word (one of its forms) and some of them in the title;
   b. when that gives fewer articles than asked for: those with every word, none of them
      in the title;
   c. when neither finds anything and the query has several words (a question, a street
      the article does not name): those with any of the words in the title.
   Outdated articles (today outside valid_from..valid_until) and, with `public_only`,
   internal ones never come into a pass. A pass that matches more than `MAX_CANDIDATES`
   entries (a word in most articles) ranks the `MAX_CANDIDATES` most recently saved (entry
   ids follow the saves), so that a common word costs no more than a rare one.
3. Ranking. SQLite: bm25 with a title match weighing ten times a body match. PostgreSQL:
   ts_rank of the title's words, ten times, plus one for matching at all (the body's
   words decide whether an entry matches but are not read for ranking: fetching them for
   every match would cost more than all the rest of the search). On both, the words as
   typed weigh twice the words one typo away, and the result is multiplied by
   1 + 0.5 * uses / (uses + 20) (more used first) and 1 + 0.25 * 90 / (90 + days since the
   last change) (fresh first). One hit per article, in the reader's language where that
   version matched.

The indexes and tables (migration 0002):

- `knowledge_searchterm`, on both: the vocabulary, each word with its one-letter
  deletions as keys (SymSpell). The words within one typo of a query word share a key
  with it, so finding them is a few B-tree look-ups, exact and whatever the vocabulary's
  size. (PostgreSQL's trigram index was tried for this: a swap in a four-letter word
  leaves one trigram of five, so it needs a threshold that lets hundreds of words through,
  and with several words the planner read the whole vocabulary: 57 ms, against 0.3 ms.)
  Written by `index_article`; words no article uses any more stay until `reindex()`.
- SQLite: the FTS5 table `knowledge_searchindex` with the entries as external content
  and a prefix index, fed by triggers on `knowledge_searchentry`.
- PostgreSQL: the generated columns `document` (the entry's words, without positions, kept
  in the row) and `title_words` of `knowledge_searchentry`, each with a GIN index.

A later migration that remakes `knowledge_searchentry` on SQLite (Django copies the table
for most field changes there) drops the triggers with the old table: it has to create them
again (see 0002) and call `reindex()`.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db import connection, transaction
from django.utils import timezone

from civicline import clock
from civicline.knowledge.models import SOURCE_LANGUAGE, Article, ArticleText, SearchEntry
from civicline.searchtext import normalise

# A word as the indexes see it: a run of letters and digits (FTS5's unicode61 tokenizer;
# on PostgreSQL punctuation becomes spaces before the `simple` parser reads the text).
WORD = re.compile(r"[^\W_]+")
TYPO_MIN_LENGTH = 4  # shorter words must be typed right: one typo in "na" is another word
PREFIX_MIN_LENGTH = 3  # two letters would match most of the knowledge base
MAX_WORDS = 8  # of a query; the rest is left out
MAX_EXPANSIONS = 24  # words within one typo of a query word, at most
VOCABULARY_MAX_LENGTH = 32  # longer "words" (codes, links) are found only as typed
CANDIDATES_PER_HIT = 5  # entries fetched per hit asked for: an article has up to 5 texts
MAX_CANDIDATES = 500  # entries ranked in one pass, at most: the most recently saved
SNIPPET_BEFORE, SNIPPET_AFTER = 8, 22  # words of the body around the match

# Left out of a query while other words remain: they are in nearly every article.
# Folded Serbian, then Bulgarian, Ukrainian and English.
STOP_WORDS = frozenset(
    """
    a ako ali bez bi bih bio bila bilo biste biti ce cu da do dok gde gdje ga i ih ili im iz
    ja je jedan jedna jedno jer jesu joj jos ju k ka kad kada kako kao kod koja koje koji
    kojoj koliko kome li me mi mogu moguce moze mozete mu na nakon nam nas ne ni nije nisu
    njih o od odnosno oko on ona oni ono ova ove ovi ovo pa po posle potrebno pre prema preko
    pri sa sada samo se si sam smo ste sta sto su sve svi ta taj tako takodje te ti to tog
    toga tom treba tu u uz vam vas vec vi vise za zato zasto zbog
    e kak kakvo kade kogato koj ot sas v
    cej cja dlja jak
    an and are for how in is it of on or the to what when where which who
    """.split()  # noqa: SIM905 - a list of words, one line of the source per language
)

# Ranking (see the module's docstring).
TITLE_WEIGHT, BODY_WEIGHT = 10.0, 1.0
USES_BOOST, USES_HALF = 0.5, 20.0
FRESH_BOOST, FRESH_DAYS = 0.25, 90.0

# PostgreSQL's GIN indexes on the entries (migration 0002), kept without a pending list.
PG_GIN_INDEXES = ("knowledge_searchentry_document", "knowledge_searchentry_title")


@dataclass(frozen=True)
class Hit:
    """One article found. Hits come best first; `score` measures the rank within one
    search only."""

    article_id: int
    language: str
    title: str  # as written, in `language`
    snippet: str  # a short piece of the body around the match, as written
    score: float


def _marks(values: list) -> str:
    return ", ".join(["%s"] * len(values))


# ---------------------------------------------------------------------------------------
# Writing


def index_article(article: Article) -> None:
    """Write the search entries of the article's texts anew, folded, and add their new
    words to the vocabulary; the full-text indexes follow the entries by themselves. Called
    by `services.article_save` after every save. New entries have new ids, so the entries'
    order is the order of the articles' last changes (see `MAX_CANDIDATES`)."""
    SearchEntry.objects.filter(article=article).delete()
    entries, words = [], set()
    for text, title, body in _folded(list(ArticleText.objects.filter(article=article))):
        words.update(WORD.findall(title), WORD.findall(body))
        entries.append(
            SearchEntry(text=text, article=article, language=text.language, title=title, body=body)
        )
    SearchEntry.objects.bulk_create(entries)
    _remember(words)


def _folded(texts: list[ArticleText]) -> list[tuple[ArticleText, str, str]]:
    """One article's texts to index, folded. A text that folds to the very words of the
    Serbian Cyrillic one (the Latin transliterated from it) gets no entry of its own: the
    Cyrillic entry finds it, and the hit is shown in it where the reader reads Latin."""
    folded = [(text, normalise(text.title), normalise(text.body)) for text in texts]
    source = next((item for item in folded if item[0].language == SOURCE_LANGUAGE), None)
    return [item for item in folded if source is None or item is source or item[1:] != source[1:]]


@transaction.atomic
def reindex(chunk: int = 1000) -> int:
    """Rebuild the whole search index from the articles' texts: every entry rewritten and
    the vocabulary made afresh (forgetting words no article uses any more). For a bulk load,
    or after a change to the normaliser; returns the number of entries."""
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM knowledge_searchterm")
        if connection.vendor == "postgresql":
            # Entries go into the GIN indexes one by one in minutes; through their pending
            # list, merged once at the end, in seconds.
            for index in PG_GIN_INDEXES:
                cursor.execute(f"ALTER INDEX {index} SET (fastupdate = on)")
    SearchEntry.objects.all().delete()
    words: set[str] = set()
    count, last = 0, 0
    while True:
        ids = list(
            Article.objects.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:chunk]
        )
        if not ids:
            break
        texts: dict[int, list[ArticleText]] = {}
        for text in ArticleText.objects.filter(article_id__gt=last, article_id__lte=ids[-1]):
            texts.setdefault(text.article_id, []).append(text)
        entries = []
        for article_texts in texts.values():
            for text, title, body in _folded(article_texts):
                words.update(WORD.findall(title), WORD.findall(body))
                entries.append(
                    SearchEntry(
                        text_id=text.pk,
                        article_id=text.article_id,
                        language=text.language,
                        title=title,
                        body=body,
                    )
                )
        SearchEntry.objects.bulk_create(entries)
        count, last = count + len(entries), ids[-1]
    _remember(words, fresh=True)
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":  # one b-tree instead of many segments
            cursor.execute(
                "INSERT INTO knowledge_searchindex (knowledge_searchindex) VALUES ('optimize')"
            )
        elif connection.vendor == "postgresql":
            for index in PG_GIN_INDEXES:
                cursor.execute(f"ALTER INDEX {index} SET (fastupdate = off)")
                cursor.execute("SELECT gin_clean_pending_list(%s::regclass)", [index])
    return count


def _deletion_keys(word: str) -> set[str]:
    """The word and, when it is long enough to carry a typo, each of its one-letter
    deletions: two words within one typo of each other share a key."""
    keys = {word}
    if len(word) >= TYPO_MIN_LENGTH:
        keys.update(word[:i] + word[i + 1 :] for i in range(len(word)))
    return keys


def _remember(words: Iterable[str], *, fresh: bool = False) -> None:
    """Add the words worth matching with a typo (letters only, long enough to be one typo
    away from a query word) to the vocabulary."""
    vocabulary = sorted(
        word
        for word in set(words)
        if TYPO_MIN_LENGTH - 1 <= len(word) <= VOCABULARY_MAX_LENGTH and word.isalpha()
    )
    with connection.cursor() as cursor:
        if not fresh:
            known = set()
            for start in range(0, len(vocabulary), 500):
                part = vocabulary[start : start + 500]
                cursor.execute(
                    f"SELECT word FROM knowledge_searchterm WHERE key IN ({_marks(part)}) "
                    "AND key = word",
                    part,
                )
                known.update(row[0] for row in cursor.fetchall())
            vocabulary = [word for word in vocabulary if word not in known]
        if not vocabulary:
            return
        # Sorted, so that two saves adding the same words lock them in the same order.
        rows = sorted((key, word) for word in vocabulary for key in _deletion_keys(word))
        if connection.vendor == "postgresql":
            for start in range(0, len(rows), 50_000):
                keys, words_ = zip(*rows[start : start + 50_000], strict=True)
                cursor.execute(
                    "INSERT INTO knowledge_searchterm (key, word) "
                    "SELECT * FROM unnest(%s::text[], %s::text[]) ON CONFLICT DO NOTHING",
                    [list(keys), list(words_)],
                )
        else:
            cursor.executemany(
                "INSERT INTO knowledge_searchterm (key, word) VALUES (%s, %s) "
                "ON CONFLICT DO NOTHING",
                rows,
            )


# ---------------------------------------------------------------------------------------
# Reading


@dataclass(frozen=True)
class _Word:
    """One word of the query and what it matches in the index."""

    typed: str
    terms: tuple[str, ...]  # the word itself, then the known words one typo away
    prefix: bool  # also every word that starts with it


def search(
    query: str,
    *,
    public_only: bool = False,
    category_id: int | None = None,
    language: str | None = None,
    today: date | None = None,
    limit: int = 10,
) -> list[Hit]:
    """The articles that answer `query`, best first, one hit per article. An empty query
    lists the category's articles, most used first (nothing without a category)."""
    if limit <= 0:
        return []
    today = today or timezone.localdate(clock.now())
    typed = list(dict.fromkeys(WORD.findall(normalise(query))))  # each word once, in order
    if not typed:
        if category_id is None:
            return []
        return _browse(category_id, public_only, language, today, limit)
    still_typing = not query[-1:].isspace()
    significant = [word for word in typed if word not in STOP_WORDS] or typed
    if len(significant) > MAX_WORDS:  # keeping the last, which may be being typed
        significant = significant[: MAX_WORDS - 1] + significant[-1:]
    near = _near_words([word for word in significant if _typo_allowed(word)])
    words = [
        _Word(
            typed=word,
            terms=(word, *near.get(word, ())),
            prefix=still_typing and word == typed[-1] and len(word) >= PREFIX_MIN_LENGTH,
        )
        for word in significant
    ]
    filters = _Filters(public_only, category_id, today)
    wanted = limit * CANDIDATES_PER_HIT
    rows = _matching(words, filters, _TITLE, wanted)
    if len({row.article_id for row in rows}) < limit:
        rows += _matching(words, filters, _BODY_ONLY, wanted)
    if not rows and len(words) > 1:
        rows = _matching(words, filters, _ANY_IN_TITLE, wanted)
    return _hits(rows, words, language, limit)


def _typo_allowed(word: str) -> bool:
    return len(word) >= TYPO_MIN_LENGTH and word.isalpha()


def _one_typo_apart(a: str, b: str) -> bool:
    """At most one letter inserted, left out, replaced, or two neighbours swapped."""
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    i = 0
    while i < len(a) and i < len(b) and a[i] == b[i]:
        i += 1
    if len(a) == len(b):
        return a[i + 1 :] == b[i + 1 :] or (
            i + 1 < len(a) and a[i] == b[i + 1] and a[i + 1] == b[i] and a[i + 2 :] == b[i + 2 :]
        )
    if len(a) > len(b):
        return a[i + 1 :] == b[i:]
    return a[i:] == b[i + 1 :]


def _near_words(typed: list[str]) -> dict[str, list[str]]:
    """For each word, the vocabulary's words one typo away (common words left out)."""
    if not typed:
        return {}
    keys = sorted(set().union(*(_deletion_keys(word) for word in typed)))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT DISTINCT word FROM knowledge_searchterm WHERE key IN ({_marks(keys)})",
            keys,
        )
        found = sorted(row[0] for row in cursor.fetchall())
    near = {}
    for word in typed:
        close = [
            other
            for other in found
            if other != word and other not in STOP_WORDS and _one_typo_apart(word, other)
        ]
        # Most alike first (same length, then same first letter) when there are too many.
        close.sort(key=lambda other: (len(other) != len(word), other[0] != word[0], other))
        near[word] = close[:MAX_EXPANSIONS]
    return near


@dataclass(frozen=True)
class _Filters:
    public_only: bool
    category_id: int | None
    today: date

    def sql(self) -> tuple[str, list]:
        """A condition on the article `a`, and its parameters."""
        day = self.today.isoformat()
        where = [
            "(a.valid_from IS NULL OR a.valid_from <= %s)",
            "(a.valid_until IS NULL OR a.valid_until >= %s)",
        ]
        params: list = [day, day]
        if self.public_only:
            where.append("a.is_public")
        if self.category_id is not None:
            where.append(
                "EXISTS (SELECT 1 FROM knowledge_article_categories c "
                "WHERE c.article_id = a.id AND c.category_id = %s)"
            )
            params.append(self.category_id)
        return " AND ".join(where), params


@dataclass(frozen=True)
class _Row:
    entry_id: int
    article_id: int
    language: str
    score: float


def _boosts(age_days_sql: str, article: str) -> str:
    uses = f"CAST({article}.uses AS DOUBLE PRECISION)"
    return (
        f"(1.0 + {USES_BOOST} * {uses} / ({uses} + {USES_HALF}))"
        f" * (1.0 + {FRESH_BOOST * FRESH_DAYS} / ({FRESH_DAYS} + {age_days_sql}))"
    )


# The passes (see the module's docstring): every word and some in the title; every word and
# none in the title; any word in the title.
_TITLE, _BODY_ONLY, _ANY_IN_TITLE = "title", "body only", "any in title"


def _matching(words: list[_Word], filters: _Filters, part: str, limit: int) -> list[_Row]:
    """The best `limit` entries of one pass, best first."""
    if connection.vendor == "sqlite":
        return _matching_sqlite(words, filters, part, limit)
    return _matching_postgresql(words, filters, part, limit)


def _matching_sqlite(words: list[_Word], filters: _Filters, part: str, limit: int) -> list[_Row]:
    # bm25 adds up every phrase of the query: the word as typed is listed twice, so that it
    # weighs twice a word one typo away. Terms are letters and digits: quoting is enough.
    groups = []
    for word in words:
        terms = [f'"{term}"' for term in (word.typed, *word.terms)]
        if word.prefix:
            terms.append(f'"{word.typed}" *')
        groups.append("(" + " OR ".join(terms) + ")")
    every, any_ = " AND ".join(groups), " OR ".join(groups)
    match = {
        _TITLE: f"({every}) AND title : ({any_})",
        _BODY_ONLY: f"({every}) NOT title : ({any_})",
        _ANY_IN_TITLE: f"title : ({any_})",
    }[part]
    where, params = filters.sql()
    index = "knowledge_searchindex"
    joins = (
        f"JOIN knowledge_searchentry e ON e.id = {index}.rowid "
        "JOIN knowledge_article a ON a.id = e.article_id"
    )
    with connection.cursor() as cursor:
        # The oldest entry to rank: the MAX_CANDIDATES-th newest that matches, if any.
        cursor.execute(
            f"""
            SELECT {index}.rowid FROM {index} {joins}
            WHERE {index} MATCH %s AND {where}
            ORDER BY {index}.rowid DESC LIMIT 1 OFFSET %s
            """,
            [match, *params, MAX_CANDIDATES - 1],
        )
        oldest = (cursor.fetchone() or (0,))[0]
        julian_now = clock.now().timestamp() / 86400 + 2440587.5
        age = "max(0.0, %s - julianday(a.updated_at))"
        cursor.execute(
            f"""
            SELECT e.id, e.article_id, e.language,
                   -bm25({index}, {TITLE_WEIGHT}, {BODY_WEIGHT}) * {_boosts(age, "a")} AS score
            FROM {index} {joins}
            WHERE {index} MATCH %s AND {index}.rowid >= %s AND {where}
            ORDER BY score DESC, e.id
            LIMIT %s
            """,
            [julian_now, match, oldest, *params, limit],
        )
        return [_Row(*row) for row in cursor.fetchall()]


def _matching_postgresql(
    words: list[_Word], filters: _Filters, part: str, limit: int
) -> list[_Row]:
    # Terms are letters and digits: quoting is enough.
    groups, typed = [], []
    for word in words:
        terms = [f"'{term}'" for term in word.terms]
        typed.append(f"'{word.typed}'")
        if word.prefix:
            terms.append(f"'{word.typed}':*")
            typed.append(f"'{word.typed}':*")
        groups.append("(" + " | ".join(terms) + ")")
    every, any_ = " & ".join(groups), " | ".join(groups)
    document = "e.document @@ to_tsquery('simple', %s)"
    title = "e.title_words @@ to_tsquery('simple', %s)"
    condition, condition_params = {
        _TITLE: (f"{document} AND {title}", [every, any_]),
        _BODY_ONLY: (f"{document} AND NOT {title}", [every, any_]),
        _ANY_IN_TITLE: (title, [any_]),
    }[part]
    where, params = filters.sql()
    # The newest candidates with what ranking needs, then ranked: the words as typed are
    # ranked again on their own, so that they weigh twice a word one typo away.
    age = "GREATEST(0.0, %s - EXTRACT(EPOCH FROM c.updated_at)::float8 / 86400.0)"
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT c.id, c.article_id, c.language,
                   ({TITLE_WEIGHT} * (ts_rank(c.title_words, q.any_word)
                                      + ts_rank(c.title_words, q.typed)) + {BODY_WEIGHT})
                   * {_boosts(age, "c")} AS score
            FROM (
                SELECT e.id, e.article_id, e.language, e.title_words, a.uses, a.updated_at
                FROM knowledge_searchentry e
                JOIN knowledge_article a ON a.id = e.article_id
                WHERE {condition} AND {where}
                ORDER BY e.id DESC
                LIMIT %s
            ) AS c
            CROSS JOIN (
                SELECT to_tsquery('simple', %s) AS any_word, to_tsquery('simple', %s) AS typed
            ) AS q
            ORDER BY score DESC, c.id
            LIMIT %s
            """,
            [
                clock.now().timestamp() / 86400,
                *condition_params,
                *params,
                MAX_CANDIDATES,
                any_,
                " | ".join(typed),
                limit,
            ],
        )
        return [_Row(*row) for row in cursor.fetchall()]


def _hits(rows: list[_Row], words: list[_Word], language: str | None, limit: int) -> list[Hit]:
    """One hit per article, in `language` where that version matched too (or has no entry
    of its own, folding to the Cyrillic's words)."""
    by_article: dict[int, list[_Row]] = {}
    for row in rows:  # best first
        by_article.setdefault(row.article_id, []).append(row)
    ranked = []
    for matched in list(by_article.values())[:limit]:
        chosen = next((row for row in matched if row.language == language), matched[0])
        ranked.append((chosen, matched[0].score))
    if not ranked:
        return []
    # The matched entries' texts, and the reader's language where it has no entry.
    entries = [row.entry_id for row, _ in ranked]
    articles = [row.article_id for row, _ in ranked]
    condition = f"s.id IN ({_marks(entries)})"
    if language:
        condition += " OR (t.language = %s AND s.id IS NULL)"
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT t.article_id, t.language, t.title, t.body, s.id, s.body
            FROM knowledge_articletext t
            LEFT JOIN knowledge_searchentry s ON s.text_id = t.id
            WHERE t.article_id IN ({_marks(articles)}) AND ({condition})
            """,
            [*articles, *entries, *([language] if language else [])],
        )
        found = cursor.fetchall()
    matched_texts = {row[4]: row for row in found if row[4] is not None}
    unindexed = {row[0]: row for row in found if row[4] is None}
    hits = []
    for row, score in ranked:
        if row.entry_id not in matched_texts:
            continue  # changed since the search began
        article_id, text_language, title, body, _, folded = matched_texts[row.entry_id]
        if text_language != language and article_id in unindexed:
            _, text_language, title, body, _, _ = unindexed[article_id]
        hits.append(
            Hit(
                article_id=article_id,
                language=text_language,
                title=title,
                snippet=_snippet(body, folded, words),
                score=round(float(score), 6),
            )
        )
    return hits


def _browse(
    category_id: int, public_only: bool, language: str | None, today: date, limit: int
) -> list[Hit]:
    """A category's articles in force, most used first: what to offer before anything is
    typed."""
    articles = Article.objects.filter(categories=category_id)
    articles = articles.exclude(valid_from__gt=today).exclude(valid_until__lt=today)
    if public_only:
        articles = articles.filter(is_public=True)
    ordered = articles.order_by("-uses", "-updated_at", "-id").prefetch_related("texts")
    hits = []
    for article in ordered[:limit]:
        texts = {text.language: text for text in article.texts.all()}
        text = texts.get(language or SOURCE_LANGUAGE) or texts.get(SOURCE_LANGUAGE)
        if text is not None:
            snippet = _snippet(text.body, "", [])
            hits.append(Hit(article.pk, text.language, text.title, snippet, float(article.uses)))
    return hits


_MARKUP = re.compile(r"\]\([^)\s]*\)?|[*_`#>|\[\]]+|^\s*[-+]\s+", re.MULTILINE)


def _snippet(original: str, folded: str, words: list[_Word]) -> str:
    """About thirty words of the body as written, where most of the query's words meet
    (from the start when only the title matched), without Markdown's marks."""
    original_words = WORD.findall(original)
    if not original_words:
        return ""
    folded_words = WORD.findall(folded)
    # The first matches in the body, each with the query words it stands for.
    meaning: dict[str, set[int]] = {}
    for index, word in enumerate(words):
        for term in word.terms:
            meaning.setdefault(term, set()).add(index)
    prefixes = [(index, word.typed) for index, word in enumerate(words) if word.prefix]
    starts = tuple(typed for _, typed in prefixes)
    found: list[tuple[int, set[int]]] = []
    for position, word in enumerate(folded_words):
        if word in meaning or (starts and word.startswith(starts)):
            which = set(meaning.get(word, ()))
            which.update(index for index, typed in prefixes if word.startswith(typed))
            found.append((position, which))
            if len(found) == 100:
                break
    centre, best = 0, 0
    window = SNIPPET_BEFORE + SNIPPET_AFTER
    for start, (position, _) in enumerate(found):
        seen: set[int] = set()
        for other, which in found[start:]:
            if other >= position + window:
                break
            seen |= which
        if len(seen) > best:
            best, centre = len(seen), position
    if len(folded_words) != len(original_words):  # a letter folded into two words
        centre = centre * len(original_words) // max(len(folded_words), 1)
    first = max(0, min(centre, len(original_words) - 1) - SNIPPET_BEFORE)
    last = min(len(original_words), first + window) - 1
    begin = end = 0
    for index, match in enumerate(WORD.finditer(original)):
        if index == first:
            begin = match.start()
        if index == last:
            end = match.end()
            break
    piece = " ".join(_MARKUP.sub(" ", original[begin:end]).split())
    return ("… " if first else "") + piece + (" …" if last < len(original_words) - 1 else "")
