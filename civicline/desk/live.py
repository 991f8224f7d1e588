"""Server-sent events: every case change the user may see, pushed within a second.

The database is the message bus: the stream polls the indexed CaseEvent id, which works the
same for SQLite and for several server processes on PostgreSQL. A stream ends after
LIVE_STREAM_SECONDS and the browser reconnects with Last-Event-ID, so nothing is missed.
"""

import asyncio
import json
import time

from asgiref.sync import sync_to_async
from django.conf import settings
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import override

from civicline.cases import selectors
from civicline.cases.models import Status
from civicline.directory.selectors import StaffProfile, staff_profile

KEEPALIVE_SECONDS = 15


def _message(event, language: str) -> str:
    with override(language):
        payload = {
            "event": event.id,
            "reference": event.case.reference,
            "kind": event.kind,
            "status": event.status,
            "status_label": str(Status(event.status).label),
            "notice": _("Case %(reference)s: %(status)s")
            % {"reference": event.case.reference, "status": Status(event.status).label},
        }
    return f"id: {event.id}\nevent: case\ndata: {json.dumps(payload, ensure_ascii=False)}\n\n"


async def _stream(profile: StaffProfile, last_id: int, language: str):
    yield "retry: 1000\n\n"
    started = last_beat = time.monotonic()
    while time.monotonic() - started < settings.LIVE_STREAM_SECONDS:
        events = await sync_to_async(selectors.events_after)(profile, last_id)
        for event in events:
            last_id = event.id
            yield _message(event, language)
        if time.monotonic() - last_beat > KEEPALIVE_SECONDS:
            last_beat = time.monotonic()
            yield ": keepalive\n\n"
        await asyncio.sleep(settings.LIVE_POLL_SECONDS)


def _start_id(request: HttpRequest) -> int | None:
    raw = request.headers.get("Last-Event-ID") or request.GET.get("after") or ""
    return int(raw) if raw.isdigit() else None


async def live_events(request: HttpRequest) -> HttpResponse:
    user = await request.auser()
    profile = await sync_to_async(staff_profile)(user)
    if not profile.is_staff_member:
        return HttpResponse(status=403)
    last_id = _start_id(request)
    if last_id is None:
        last_id = await sync_to_async(selectors.latest_event_id)()
    response = StreamingHttpResponse(
        _stream(profile, last_id, request.LANGUAGE_CODE), content_type="text/event-stream"
    )
    response["Cache-Control"] = "no-cache"
    response["X-Accel-Buffering"] = "no"
    return response
