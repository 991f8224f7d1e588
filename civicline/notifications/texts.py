"""What a notification says: the template for its notice, channel and language, rendered."""

import logging
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.template import Context, Template, TemplateSyntaxError
from django.urls import reverse
from django.utils import translation
from django.utils.text import Truncator

from civicline.cases.models import Case, CaseEvent, PhotoStage, Status
from civicline.notifications.gsm import sms_segments, to_gsm_latin
from civicline.notifications.models import Channel, NotificationTemplate
from civicline.transliteration import to_latin

log = logging.getLogger(__name__)

# An SMS carries the start of a long public note; the e-mail carries all of it.
SMS_NOTE_CHARS = 100


@dataclass(frozen=True)
class Text:
    language: str
    subject: str
    body: str
    segments: int = 0


def languages_to_try(language: str) -> list[str]:
    """The reporter's language, then the city's, then English."""
    return list(dict.fromkeys([language, settings.LANGUAGE_CODE, "en"]))


# Compiled once per text: templates change rarely and are rendered for every event.
_compiled = lru_cache(maxsize=512)(Template)


def _render(source: str, context: dict) -> str:
    # Plain text, not HTML: nothing is escaped.
    return _compiled(source).render(Context(context, autoescape=False)).strip()


def _context(event: CaseEvent, channel: str) -> dict:
    case = event.case
    note = event.note if event.is_public else ""
    if channel == Channel.SMS:
        note = Truncator(note).chars(SMS_NOTE_CHARS, truncate="...")
    return {
        "reference": case.reference,
        "status": str(Status(event.status).label),
        "note": note,
        "category": case.category.name,
        "organisation": case.organisation.name,
        # Whoever gets the case's messages may follow it: the link shows public facts only.
        "tracking_url": settings.SITE_URL
        + reverse("portal-track", kwargs={"reference": case.reference, "code": case.tracking_code}),
        "photo_links": _photo_links(case) if channel == Channel.EMAIL else "",
    }


def _photo_links(case: Case) -> str:
    """The public before/after photos, a line each: the proof the problem was fixed."""
    photos = case.photos.filter(
        is_public=True, stage__in=[PhotoStage.BEFORE, PhotoStage.AFTER]
    ).exclude(published="", external_url="")
    return "\n".join(
        f"{PhotoStage(photo.stage).label}: "
        f"{photo.external_url or settings.SITE_URL + photo.public_path}"
        for photo in photos.order_by("-stage", "created_at")  # "before", then "after"
    )


def _text(template: NotificationTemplate, event: CaseEvent, latin_ascii: bool) -> Text:
    with translation.override(template.language):
        context = _context(event, template.channel)
        subject = " ".join(_render(template.subject, context).split())[:200]
        body = _render(template.body, context)
    if template.language == "sr-latn":
        # Body names and officers' notes are often in Cyrillic.
        subject, body = to_latin(subject), to_latin(body)
    if template.channel == Channel.EMAIL:
        return Text(template.language, subject, body)
    if latin_ascii and template.language in ("sr", "sr-latn"):
        body = to_gsm_latin(body)
    return Text(template.language, "", body, sms_segments(body))


def _first_that_renders(
    templates: list[NotificationTemplate], event: CaseEvent, latin_ascii: bool
) -> Text | None:
    for template in templates:
        try:
            return _text(template, event, latin_ascii)
        except TemplateSyntaxError:
            log.exception("notification template %s does not compile", template.pk)
    return None


def render_notice(
    *, notice: str, event: CaseEvent, language: str, latin_ascii: bool = False
) -> dict[str, Text]:
    """The texts of `notice` about `event` by channel, each in the first language that has
    a template for it. A template that does not compile is skipped (and logged), so a typo
    in the admin costs a fallback language, never the case's change."""
    candidates = languages_to_try(language)
    found = {
        (t.channel, t.language): t
        for t in NotificationTemplate.objects.filter(notice=notice, language__in=candidates)
    }
    texts = {}
    for channel in Channel.values:
        templates = [found[channel, c] for c in candidates if (channel, c) in found]
        text = _first_that_renders(templates, event, latin_ascii)
        if text is not None:
            texts[channel] = text
    return texts
