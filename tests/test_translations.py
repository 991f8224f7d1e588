"""Every language ships complete: no string left in English, none a fuzzy guess, and the
compiled catalogue matches its source."""

import gettext
from pathlib import Path

import pytest
from django.utils import translation

LOCALE = Path(__file__).resolve().parent.parent / "civicline" / "locale"
LANGUAGES = ["sr", "sr_Latn", "bg", "uk"]


def entries(po: Path) -> list[tuple[str, str, bool, str]]:
    """(msgid, msgstr, fuzzy, msgctxt) for each entry of a .po file, header left out."""
    found, fields, fuzzy, key = [], {}, False, None

    def close():
        if fields.get("msgid"):
            text = fields.get("msgstr", fields.get("msgstr[0]", ""))
            found.append((fields["msgid"], text, fuzzy, fields.get("msgctxt", "")))

    for line in po.read_text(encoding="utf-8").splitlines() + [""]:
        if not line.strip():
            close()
            fields, fuzzy, key = {}, False, None
        elif line.startswith("#,"):
            fuzzy = "fuzzy" in line
        elif line.startswith('"') and key:
            fields[key] += line[1:-1]
        elif not line.startswith("#"):
            key, _, value = line.partition(" ")
            fields[key] = value[1:-1]
    return found


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_catalogue_is_complete_and_compiled(language):
    po = LOCALE / language / "LC_MESSAGES" / "django.po"
    rows = entries(po)
    assert len(rows) > 200
    assert [m for m, s, _, _ in rows if not s] == []
    assert [m for m, _, fuzzy, _ in rows if fuzzy] == []
    with open(po.with_suffix(".mo"), "rb") as mo:
        compiled = gettext.GNUTranslations(mo)
    assert compiled.gettext("Operator desk") != "Operator desk"

    def unescaped(text: str) -> str:
        return text.replace('\\"', '"')

    stale = [
        m
        for m, text, _, context in rows
        if (compiled.pgettext(context, unescaped(m)) if context else compiled.gettext(unescaped(m)))
        != unescaped(text)
    ]
    assert stale == [], "the .mo is older than the .po: run compilemessages"


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("sr", "Оператерски пулт"),
        ("sr-latn", "Operaterski pult"),
        ("bg", "Операторски пулт"),
        ("uk", "Пульт оператора"),
    ],  # fmt: skip
)
def test_the_interface_speaks_the_language(language, expected):
    with translation.override(language):
        assert translation.gettext("Operator desk") == expected
