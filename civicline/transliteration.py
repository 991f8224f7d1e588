"""Serbian Cyrillic to Serbian Latin (gajica), letter for letter, as people write it."""

_SERBIAN = {
    "А": "A", "Б": "B", "В": "V", "Г": "G", "Д": "D", "Ђ": "Đ", "Е": "E", "Ж": "Ž",
    "З": "Z", "И": "I", "Ј": "J", "К": "K", "Л": "L", "Љ": "Lj", "М": "M", "Н": "N",
    "Њ": "Nj", "О": "O", "П": "P", "Р": "R", "С": "S", "Т": "T", "Ћ": "Ć", "У": "U",
    "Ф": "F", "Х": "H", "Ц": "C", "Ч": "Č", "Џ": "Dž", "Ш": "Š",
}  # fmt: skip
_TABLE = str.maketrans({**_SERBIAN, **{c.lower(): v.lower() for c, v in _SERBIAN.items()}})
_DIGRAPHS = {"Lj": "LJ", "Nj": "NJ", "Dž": "DŽ"}


def to_latin(text: str) -> str:
    """Transliterate Serbian Cyrillic; an all-capitals word keeps its digraphs in capitals
    (ЉУБАВ -> LJUBAV, not LjUBAV)."""
    words = []
    for word in text.split(" "):
        latin = word.translate(_TABLE)
        if word.isupper() and len(word) > 1:
            for mixed, upper in _DIGRAPHS.items():
                latin = latin.replace(mixed, upper)
        words.append(latin)
    return " ".join(words)
