"""Writes to the directory."""

import hashlib
import secrets

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from civicline.directory.geojson import GeometryError, validate_boundary
from civicline.directory.models import ApiToken, Area, Category
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


# A file with thousands of bad features lists the first problems only.
IMPORT_ERRORS_SHOWN = 20


def area_code(name: str) -> str:
    """A code made from an area's name in any alphabet: "Ново насеље" -> "novo-naselje"."""
    latin = to_latin(name).replace("Đ", "Dj").replace("đ", "dj")
    return slugify(latin)[: Area._meta.get_field("code").max_length].strip("-")


def _feature_area(feature: object) -> tuple[str, str, dict]:
    """(code, name, geometry) of one feature; GeometryError says what is wrong with it."""
    if not isinstance(feature, dict) or feature.get("type") != "Feature":
        raise GeometryError(_("It is not a GeoJSON Feature."))
    properties = feature.get("properties")
    if not isinstance(properties, dict):
        properties = {}
    name = properties.get("name")
    if not isinstance(name, str) or not name.strip() or "\x00" in name:
        raise GeometryError(_("It needs a name (the property “name”)."))
    name = " ".join(name.split())
    if len(name) > Area._meta.get_field("name").max_length:
        raise GeometryError(_("Its name is too long."))
    code = properties.get("code")
    if code is None or code == "":
        code = area_code(name)
        if not code:
            raise GeometryError(
                _("Give it a code (the property “code”): none can be made from its name.")
            )
    elif not isinstance(code, str) or code != area_code(code) or "\x00" in code:
        raise GeometryError(
            _(
                "Its code must use only lowercase Latin letters, digits and hyphens "
                "(at most 40 characters)."
            )
        )
    geometry = feature.get("geometry")
    validate_boundary(geometry)
    # Only the geometry itself is kept; foreign members ("bbox", ...) are not.
    return code, name, {"type": geometry["type"], "coordinates": geometry["coordinates"]}


@transaction.atomic
def areas_import(feature_collection: object) -> tuple[int, int]:
    """Create or update areas (found by code) from a GeoJSON FeatureCollection whose
    features have the properties `name` and, optionally, `code` (made from the name
    otherwise) and a Polygon or MultiPolygon geometry. Returns (created, updated).

    Every feature is checked before anything is written: one bad feature refuses the whole
    file with a ValidationError listing each problem, and nothing is stored."""
    if not isinstance(feature_collection, dict) or feature_collection.get("type") != (
        "FeatureCollection"
    ):
        raise ValidationError(_("The file must hold a GeoJSON FeatureCollection."))
    features = feature_collection.get("features")
    if not isinstance(features, list) or not features:
        raise ValidationError(_("The FeatureCollection has no features."))
    errors: list[str] = []
    rows: dict[str, tuple[str, dict]] = {}
    names: dict[str, str] = {}
    for number, feature in enumerate(features, start=1):
        try:
            code, name, geometry = _feature_area(feature)
        except GeometryError as exc:
            errors.append(_("Feature %(n)d: %(error)s") % {"n": number, "error": exc})
            continue
        if code in rows or name in names:
            errors.append(
                _("Feature %(n)d: the code “%(code)s” or the name “%(name)s” is used twice.")
                % {"n": number, "code": code, "name": name}
            )
            continue
        rows[code] = (name, geometry)
        names[name] = code
    if len(errors) > IMPORT_ERRORS_SHOWN:
        more = len(errors) - IMPORT_ERRORS_SHOWN
        errors = errors[:IMPORT_ERRORS_SHOWN]
        errors.append(_("… and %(n)d more problems.") % {"n": more})
    if errors:
        raise ValidationError(errors)

    existing = {area.code: area for area in Area.objects.select_for_update().filter(code__in=rows)}
    for area in Area.objects.filter(name__in=names):
        if area.code != names[area.name]:
            errors.append(
                _("The name “%(name)s” belongs to the area with the code “%(code)s”.")
                % {"name": area.name, "code": area.code}
            )
    if errors:
        raise ValidationError(errors)

    created = updated = 0
    for code, (name, geometry) in rows.items():
        area = existing.get(code)
        if area is None:
            Area.objects.create(code=code, name=name, boundary=geometry)
            created += 1
        else:
            area.name, area.boundary = name, geometry
            area.save(update_fields=["name", "boundary"])
            updated += 1
    return created, updated
