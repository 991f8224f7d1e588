"""Article text is Markdown, rendered without any HTML of its own: whatever an editor pastes,
the page gets only the tags Markdown makes, and links only to web, mail and phone."""

from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

_MARKDOWN = MarkdownIt("commonmark", {"html": False, "typographer": False}).enable("table")
_ALLOWED_SCHEMES = ("http:", "https:", "mailto:", "tel:")


def _safe_link(url: str) -> bool:
    url = url.strip().lower()
    return url.startswith(_ALLOWED_SCHEMES) or url.startswith(("/", "#"))


_MARKDOWN.validateLink = _safe_link


def render(text: str) -> SafeString:
    return mark_safe(_MARKDOWN.render(text))  # noqa: S308 - raw HTML is off, links checked
