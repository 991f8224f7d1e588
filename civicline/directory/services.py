"""Writes to the directory."""

import hashlib
import secrets

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from civicline.directory.models import ApiToken, Category
from civicline.searchtext import normalise
from civicline.transliteration import to_latin

TOKEN_PREFIX = "cl_"


def category_search_text(category: Category) -> str:
    names = [
        category.name_sr,
        category.name_sr_latn,
        category.name_bg,
        category.name_uk,
        category.name_en,
        category.code,
    ]
    return normalise(" ".join(n for n in names if n))


@transaction.atomic
def category_save(*, category: Category) -> Category:
    """Save a catalogue entry with its search text folded from every name; a missing Latin
    name is transliterated from the Cyrillic one."""
    if not category.name_sr_latn.strip():
        category.name_sr_latn = to_latin(category.name_sr)
    category.full_clean(exclude=["search_text"])
    category.search_text = category_search_text(category)
    category.save()
    return category


def token_digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def api_token_create(*, user: AbstractBaseUser, name: str) -> tuple[ApiToken, str]:
    """Create a token; the raw value is returned once and never stored."""
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, name=name, digest=token_digest(raw))
    return token, raw
