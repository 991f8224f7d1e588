"""Server-sent events: every case change the user may see, pushed within a second.

The database is the message bus, so this works the same on SQLite and with several server
processes on PostgreSQL. One poller per process reads new CaseEvent rows by their indexed
id and fans them out to every open stream, filtered by what each user may see; a stream
holds no database connection of its own. A stream ends after LIVE_STREAM_SECONDS and the
browser reconnects with Last-Event-ID, and the missed events are sent first.
"""

import asyncio
import json
import time
from concurrent.futures import ThreadPoolExecutor

from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import override

from civicline.cases import selectors
from civicline.cases.access import may_see_organisation_cases
from civicline.cases.models import Status
from civicline.directory.selectors import StaffProfile, staff_profile

KEEPALIVE_SECONDS = 15
# An id below the highest seen but not yet visible belongs to a transaction still open (ids
# are taken at insert, rows appear at commit); it is looked for again for this long.
GAP_SECONDS = 10.0


class Hub:
    """Polls for new case events once per process and hands them to the open streams."""

    def __init__(self) -> None:
        self._streams: dict[asyncio.Queue, StaffProfile] = {}
        self._task: asyncio.Task | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="civicline-live")
        self._last_id: int | None = None
        self._gaps: dict[int, float] = {}

    def subscribe(self, profile: StaffProfile) -> asyncio.Queue:
        queue: asyncio.Queue = asyncio.Queue()
        self._streams[queue] = profile
        loop = asyncio.get_running_loop()
        if self._task is None or self._task.done() or self._loop is not loop:
            # A fresh start takes a fresh starting point; pages catch up with ?after=.
            self._last_id, self._gaps = None, {}
            self._loop = loop
            self._task = loop.create_task(self._run())
        return queue

    def unsubscribe(self, queue: asyncio.Queue) -> None:
        self._streams.pop(queue, None)

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        while self._streams:
            changes = await loop.run_in_executor(self._executor, self._poll)
            for change in changes:
                for queue, profile in list(self._streams.items()):
                    if may_see_organisation_cases(profile, change["organisation_id"]):
                        queue.put_nowait(change)
            await asyncio.sleep(settings.LIVE_POLL_SECONDS)

    def _poll(self) -> list[dict]:
        """Runs in the hub's own thread; the connection is closed after each look so that an
        idle process holds none."""
        try:
            if self._last_id is None:
                self._last_id = selectors.latest_event_id()
                return []
            now = time.monotonic()
            self._gaps = {i: t for i, t in self._gaps.items() if now - t < GAP_SECONDS}
            changes = selectors.live_changes(after_id=self._last_id, also_ids=self._gaps)
            for change in changes:
                self._gaps.pop(change["id"], None)
                if change["id"] > self._last_id:
                    for missing in range(self._last_id + 1, change["id"]):
                        self._gaps[missing] = now
                    self._last_id = change["id"]
            return changes
        finally:
            connection.close()


hub = Hub()


def _message(change: dict, language: str) -> str:
    reference, status = change["case__reference"], Status(change["status"])
    with override(language):
        payload = {
            "event": change["id"],
            "reference": reference,
            "kind": change["kind"],
            "status": status.value,
            "status_label": str(status.label),
            "notice": _("Case %(reference)s: %(status)s")
            % {"reference": reference, "status": status.label},
        }
    return f"id: {change['id']}\nevent: case\ndata: {json.dumps(payload, ensure_ascii=False)}\n\n"


async def _stream(profile: StaffProfile, missed: list[dict], language: str):
    queue = hub.subscribe(profile)
    try:
        yield "retry: 1000\n\n"
        # The hub may hand over an event the catch-up already sent: each goes out once.
        sent: set[int] = set()
        for change in missed:
            sent.add(change["id"])
            yield _message(change, language)
        started = last_beat = time.monotonic()
        while (left := settings.LIVE_STREAM_SECONDS - (time.monotonic() - started)) > 0:
            try:
                change = await asyncio.wait_for(queue.get(), timeout=min(left, KEEPALIVE_SECONDS))
            except TimeoutError:
                if time.monotonic() - last_beat >= KEEPALIVE_SECONDS:
                    last_beat = time.monotonic()
                    yield ": keepalive\n\n"
                continue
            if change["id"] not in sent:
                sent.add(change["id"])
                yield _message(change, language)
    finally:
        hub.unsubscribe(queue)


def _start_id(request: HttpRequest) -> int | None:
    raw = request.headers.get("Last-Event-ID") or request.GET.get("after") or ""
    return int(raw) if raw.isdigit() else None


def _open(request: HttpRequest) -> tuple[StaffProfile, list[dict]]:
    """Who is asking and what they missed; then the request's connection is let go, as the
    stream may stay open for a minute."""
    try:
        profile = staff_profile(request.user)
        after = _start_id(request)
        missed = []
        if profile.is_staff_member and after is not None:
            missed = selectors.live_changes_for(profile, after_id=after)
        return profile, missed
    finally:
        if not connection.in_atomic_block:
            connection.close()


async def live_events(request: HttpRequest) -> HttpResponse:
    await request.auser()
    profile, missed = await sync_to_async(_open)(request)
    if not profile.is_staff_member:
        return HttpResponse(status=403)
    response = StreamingHttpResponse(
        _stream(profile, missed, request.LANGUAGE_CODE), content_type="text/event-stream"
    )
    response["Cache-Control"] = "no-cache"
    response["X-Accel-Buffering"] = "no"
    return response
