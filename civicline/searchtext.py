"""The one normaliser every search uses.

A citizen types "ulicna rasveta", the catalogue says "Улична расвета": both must meet.
`normalise` folds case, maps Serbian, Bulgarian and Ukrainian Cyrillic to Serbian Latin
(lj, nj, dž as digraphs), and drops diacritics (č, ć -> c; đ -> dj), so any alphabet and
any keyboard compare equal.
"""

import unicodedata

_CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "ђ": "dj", "е": "e", "ж": "z",
    "з": "z", "и": "i", "ј": "j", "к": "k", "л": "l", "љ": "lj", "м": "m", "н": "n",
    "њ": "nj", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "ћ": "c", "у": "u",
    "ф": "f", "х": "h", "ц": "c", "ч": "c", "џ": "dz", "ш": "s",
    # Bulgarian and Ukrainian letters that Serbian lacks.
    "й": "j", "щ": "st", "ъ": "a", "ь": "", "ю": "ju", "я": "ja", "ы": "y", "э": "e",
    "є": "je", "і": "i", "ї": "ji", "ґ": "g", "ё": "jo",
}  # fmt: skip
_LATIN_SPECIAL = {"đ": "dj", "ß": "ss", "æ": "ae", "ø": "o", "ł": "l"}
_TABLE = str.maketrans({**_CYRILLIC, **_LATIN_SPECIAL})


def normalise(text: str) -> str:
    """Fold `text` to lower-case ASCII Latin with single spaces."""
    folded = text.casefold().translate(_TABLE)
    stripped = "".join(
        ch for ch in unicodedata.normalize("NFKD", folded) if not unicodedata.combining(ch)
    )
    return " ".join(stripped.split())
