"""The database's own search indexes over knowledge_searchentry (see knowledge/search.py).

Both: the vocabulary with its one-letter deletion keys (typos). SQLite: an FTS5 table with
the entries as its external content, kept in step by triggers. PostgreSQL: generated
tsvector columns (`simple` configuration) for the entry's words and its title's words, each
with a GIN index. None of them is a Django model: only search.py reads and writes them.
"""

from django.db import migrations

# The vocabulary: every word of the entries and each of its one-letter deletions as keys
# (SymSpell); the words within one typo of a query word share one of its keys.
VOCABULARY = """
    CREATE TABLE knowledge_searchterm (
        key text NOT NULL,
        word text NOT NULL,
        PRIMARY KEY (key, word)
    )
"""

SQLITE = [
    # Folded text is plain lower-case Latin: unicode61 only splits it into words. The
    # prefix index serves the word being typed (3 and 4 letters; longer prefixes are few
    # words each).
    """
    CREATE VIRTUAL TABLE knowledge_searchindex USING fts5(
        title, body,
        content='knowledge_searchentry', content_rowid='id',
        tokenize='unicode61 remove_diacritics 0', prefix='3 4'
    )
    """,
    """
    CREATE TRIGGER knowledge_searchentry_ai AFTER INSERT ON knowledge_searchentry BEGIN
        INSERT INTO knowledge_searchindex (rowid, title, body)
        VALUES (new.id, new.title, new.body);
    END
    """,
    """
    CREATE TRIGGER knowledge_searchentry_ad AFTER DELETE ON knowledge_searchentry BEGIN
        INSERT INTO knowledge_searchindex (knowledge_searchindex, rowid, title, body)
        VALUES ('delete', old.id, old.title, old.body);
    END
    """,
    """
    CREATE TRIGGER knowledge_searchentry_au AFTER UPDATE ON knowledge_searchentry BEGIN
        INSERT INTO knowledge_searchindex (knowledge_searchindex, rowid, title, body)
        VALUES ('delete', old.id, old.title, old.body);
        INSERT INTO knowledge_searchindex (rowid, title, body)
        VALUES (new.id, new.title, new.body);
    END
    """,
    "INSERT INTO knowledge_searchindex (knowledge_searchindex) VALUES ('rebuild')",
    f"{VOCABULARY} WITHOUT ROWID",
]
SQLITE_REVERSE = [
    "DROP TABLE IF EXISTS knowledge_searchterm",
    "DROP TRIGGER IF EXISTS knowledge_searchentry_au",
    "DROP TRIGGER IF EXISTS knowledge_searchentry_ad",
    "DROP TRIGGER IF EXISTS knowledge_searchentry_ai",
    "DROP TABLE IF EXISTS knowledge_searchindex",
]

# Punctuation becomes spaces before the parser reads the folded text, so that the words
# are the ones search.py splits a query into ("e-mail" is "e" and "mail" on both sides).
# `document` holds the entry's words without positions (small: stored in the row,
# compressed, rather than out of line, so that checking a row is cheap when the planner
# scans the table for a word in most entries); `title_words` is what ranking reads.
_WORDS = "regexp_replace(title || ' ' || body, '[[:punct:]]+', ' ', 'g')"
_TITLE = "regexp_replace(title, '[[:punct:]]+', ' ', 'g')"
POSTGRESQL = [
    f"""
    ALTER TABLE knowledge_searchentry
    ADD COLUMN document tsvector
        GENERATED ALWAYS AS (strip(to_tsvector('simple'::regconfig, {_WORDS}))) STORED,
    ADD COLUMN title_words tsvector
        GENERATED ALWAYS AS (setweight(to_tsvector('simple'::regconfig, {_TITLE}), 'A')) STORED
    """,
    "ALTER TABLE knowledge_searchentry ALTER COLUMN document SET STORAGE MAIN",
    # Without the pending list (fastupdate): a save updates the index at once, and no
    # search has to read through the entries saved since the last vacuum.
    """
    CREATE INDEX knowledge_searchentry_document ON knowledge_searchentry
    USING GIN (document) WITH (fastupdate = off)
    """,
    """
    CREATE INDEX knowledge_searchentry_title ON knowledge_searchentry
    USING GIN (title_words) WITH (fastupdate = off)
    """,
    VOCABULARY,
]
POSTGRESQL_REVERSE = [
    "DROP TABLE IF EXISTS knowledge_searchterm",
    "DROP INDEX IF EXISTS knowledge_searchentry_title",
    "DROP INDEX IF EXISTS knowledge_searchentry_document",
    "ALTER TABLE knowledge_searchentry DROP COLUMN IF EXISTS title_words",
    "ALTER TABLE knowledge_searchentry DROP COLUMN IF EXISTS document",
]


def _run(statements: dict[str, list[str]]):
    """Run the statements for the database at hand (none for any other)."""

    def run(apps, schema_editor):
        for statement in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRESQL}),
            _run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRESQL_REVERSE}),
        )
    ]
