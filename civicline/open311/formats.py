"""Open311's two formats: JSON as top-level arrays, XML with a declaration and no namespace."""

import json
from datetime import datetime
from decimal import Decimal
from xml.sax.saxutils import escape

from django.http import HttpResponse
from django.utils import timezone

FORMATS = ("json", "xml")


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return w3c(value)
    return str(value)


def w3c(moment: datetime) -> str:
    """W3C datetime with the city's offset, e.g. 2026-11-23T08:15:00+01:00."""
    return timezone.localtime(moment).isoformat(timespec="seconds")


def _json_default(value):
    if isinstance(value, datetime):
        return w3c(value)
    if isinstance(value, Decimal):
        return float(value)
    raise TypeError(type(value))


def _xml_value(name: str, value, item_names: dict[str, str]) -> str:
    if isinstance(value, list):
        child = item_names.get(name, "item")
        inner = "".join(_xml_item(child, v, item_names) for v in value)
        return f"<{name}>{inner}</{name}>"
    if isinstance(value, dict):
        return _xml_item(name, value, item_names)
    return f"<{name}>{escape(_text(value))}</{name}>"


def _xml_item(name: str, item, item_names: dict[str, str]) -> str:
    if not isinstance(item, dict):
        return f"<{name}>{escape(_text(item))}</{name}>"
    inner = "".join(_xml_value(key, value, item_names) for key, value in item.items())
    return f"<{name}>{inner}</{name}>"


def render(
    rows: list[dict],
    *,
    fmt: str,
    root: str,
    item: str,
    status: int = 200,
    item_names: dict[str, str] | None = None,
) -> HttpResponse:
    if fmt == "xml":
        body = "".join(_xml_item(item, row, item_names or {}) for row in rows)
        content = f'<?xml version="1.0" encoding="utf-8"?><{root}>{body}</{root}>'
        return HttpResponse(content, status=status, content_type="text/xml; charset=utf-8")
    content = json.dumps(rows, ensure_ascii=False, default=_json_default)
    return HttpResponse(content, status=status, content_type="application/json; charset=utf-8")


def render_one(
    row: dict, *, fmt: str, root: str, item_names: dict[str, str] | None = None
) -> HttpResponse:
    """A single object (discovery, a service definition): a JSON object, one XML element."""
    if fmt == "xml":
        content = '<?xml version="1.0" encoding="utf-8"?>' + _xml_item(root, row, item_names or {})
        return HttpResponse(content, content_type="text/xml; charset=utf-8")
    content = json.dumps(row, ensure_ascii=False, default=_json_default)
    return HttpResponse(content, content_type="application/json; charset=utf-8")


def errors(problems: list[tuple[int, str]], *, fmt: str, status: int) -> HttpResponse:
    rows = [{"code": code, "description": text} for code, text in problems]
    return render(rows, fmt=fmt if fmt in FORMATS else "json", root="errors", item="error",
                  status=status)  # fmt: skip
