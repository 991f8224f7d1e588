"""SMS arithmetic: how many segments a text costs, and Serbian Latin that fits GSM-7.

A text made only of GSM 03.38 characters is sent in 7-bit: 160 characters in one segment,
153 a segment when split. Any other character (Cyrillic, č, ć, š, ž, đ) makes the whole
text UCS-2: 70 in one segment, 67 a segment when split.
"""

import unicodedata

from civicline.transliteration import to_latin

GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
# Characters of the extension table take two septets (an escape and the character).
GSM7_EXTENSION = frozenset("^{}\\[~]|€\f")

# Letters and punctuation that diacritic stripping alone would not bring into GSM-7.
_PLAIN = str.maketrans(
    {
        "đ": "dj", "Đ": "Dj", "„": '"', "“": '"', "”": '"', "‘": "'", "’": "'",
        "–": "-", "—": "-", "…": "...", "\u00a0": " ",
    }
)  # fmt: skip


def is_gsm7(text: str) -> bool:
    return all(ch in GSM7_BASIC or ch in GSM7_EXTENSION for ch in text)


def sms_segments(text: str) -> int:
    """How many SMS segments `text` is sent in (an empty text still costs one)."""
    if is_gsm7(text):
        length = len(text) + sum(ch in GSM7_EXTENSION for ch in text)
        single, part = 160, 153
    else:
        length = len(text.encode("utf-16-le")) // 2
        single, part = 70, 67
    if length <= single:
        return 1
    return -(-length // part)


def to_gsm_latin(text: str) -> str:
    """Serbian in Latin letters without diacritics ("Ђурђевдан, ћевапи" -> "Djurdjevdan,
    cevapi"), as Serbs write SMS; punctuation outside GSM-7 becomes its plain form."""
    latin = to_latin(text).translate(_PLAIN)
    decomposed = unicodedata.normalize("NFKD", latin)
    return unicodedata.normalize(
        "NFC", "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    )
