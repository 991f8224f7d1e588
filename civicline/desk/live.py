"""Server-sent events: every case change the user may see, and the changes of their own
phone (a call ringing at their seat), pushed within a second.

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
from civicline.telephony import selectors as telephony_selectors
from civicline.telephony.models import AgentState

KEEPALIVE_SECONDS = 15
# An id below the highest seen but not yet visible belongs to a transaction still open (ids
# are taken at insert, rows appear at commit); it is looked for again for this long.
GAP_SECONDS = 10.0


class Feed:
    """New rows of one table, read by their increasing ids. An id below the highest seen
    but not yet visible belongs to a transaction still open (ids are taken at insert, rows
    appear at commit); it is looked for again for GAP_SECONDS."""

    def __init__(self, name: str, latest, changes):
        self.name, self._latest, self._changes = name, latest, changes
        self._last_id: int | None = None
        self._gaps: dict[int, float] = {}

    def restart(self, start_id: int | None = None) -> None:
        """Start over after `start_id`, or from the newest row when none is given."""
        self._last_id, self._gaps = start_id, {}

    def poll(self) -> list[dict]:
        if self._last_id is None:
            self._last_id = self._latest()
            return []
        now = time.monotonic()
        self._gaps = {i: t for i, t in self._gaps.items() if now - t < GAP_SECONDS}
        changes = self._changes(after_id=self._last_id, also_ids=self._gaps)
        for change in changes:
            change["feed"] = self.name
            self._gaps.pop(change["id"], None)
            if change["id"] > self._last_id:
                for missing in range(self._last_id + 1, change["id"]):
                    self._gaps[missing] = now
                self._last_id = change["id"]
        return changes


def _reaches(change: dict, profile: StaffProfile, user_id: int) -> bool:
    if change["feed"] == "phone":  # an agent's own phone, and the supervisors' wallboards
        return change["agent__user_id"] == user_id or profile.is_supervisor
    return may_see_organisation_cases(profile, change["organisation_id"])


class Hub:
    """Polls for new case events and agents' phone changes once per process and hands
    them to the open streams."""

    def __init__(self) -> None:
        self._streams: dict[asyncio.Queue, tuple[StaffProfile, int]] = {}
        self._task: asyncio.Task | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="civicline-live")
        self._feeds = [
            Feed("case", selectors.latest_event_id, selectors.live_changes),
            Feed(
                "phone",
                telephony_selectors.latest_phone_change_id,
                telephony_selectors.phone_changes,
            ),
        ]

    def subscribe(
        self, profile: StaffProfile, user_id: int = 0, after_id: int | None = None
    ) -> asyncio.Queue:
        queue: asyncio.Queue = asyncio.Queue()
        self._streams[queue] = (profile, user_id)
        loop = asyncio.get_running_loop()
        if self._task is None or self._task.done() or self._loop is not loop:
            # A fresh start reads case events from where the first page stands, so that a
            # change committed while its stream was opening is not skipped; phones from now.
            for feed in self._feeds:
                feed.restart(after_id if feed.name == "case" else None)
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
                for queue, (profile, user_id) in list(self._streams.items()):
                    if _reaches(change, profile, user_id):
                        queue.put_nowait(change)
            await asyncio.sleep(settings.LIVE_POLL_SECONDS)

    def _poll(self) -> list[dict]:
        """Runs in the hub's own thread; the connection is closed after each look so that an
        idle process holds none."""
        try:
            return [change for feed in self._feeds for change in feed.poll()]
        finally:
            connection.close()


hub = Hub()


def _phone_message(change: dict, language: str) -> str:
    """The agent's phone changed: the desk shows the call (and pops the caller's
    history when it rings); the wallboard counts again."""
    state = AgentState(change["state"])
    with override(language):
        payload = {
            "user": change["agent__user_id"],
            "state": state.value,
            "state_label": str(state.label),
            "reason": change["reason"],
            "call": change["call__call_id"] or "",
            "from": change["call__from_number"] or "",
            "citizen": change["call__citizen_e164"] or "",
            "direction": change["call__direction"] or "",
            "queue": change["call__queue__label"] or "",
            "callback": bool(change["call__callback_for_id"]),
        }
    return f"event: phone\ndata: {json.dumps(payload, ensure_ascii=False)}\n\n"


def _message(change: dict, language: str) -> str:
    if change.get("feed") == "phone":
        return _phone_message(change, language)
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


async def _stream(profile: StaffProfile, user_id: int, after_id: int | None, language: str):
    # Listen first, then read what was missed: a change committed in between comes by
    # both ways and is sent once, while the other order could lose it.
    queue = hub.subscribe(profile, user_id, after_id)
    try:
        yield "retry: 1000\n\n"
        missed = await sync_to_async(_missed)(profile, user_id, after_id)
        # The hub may hand over an event the catch-up already sent: each goes out once.
        sent: set[int] = set()
        for change in missed:
            if change["feed"] == "case":
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
            if change["feed"] == "phone":
                yield _message(change, language)
            elif change["id"] not in sent:
                sent.add(change["id"])
                yield _message(change, language)
    finally:
        hub.unsubscribe(queue)


def _start_id(request: HttpRequest) -> int | None:
    raw = request.headers.get("Last-Event-ID") or request.GET.get("after") or ""
    return int(raw) if raw.isdigit() else None


def _let_go(function):
    """The stream may stay open for a minute: each look at the database lets its
    connection go afterwards."""

    def wrapper(*args):
        try:
            return function(*args)
        finally:
            if not connection.in_atomic_block:
                connection.close()

    return wrapper


@_let_go
def _profile(request: HttpRequest) -> StaffProfile:
    return staff_profile(request.user)


@_let_go
def _missed(profile: StaffProfile, user_id: int, after_id: int | None) -> list[dict]:
    """The case changes since the page's last one, and the ring at the user's seat."""
    changes = [] if after_id is None else selectors.live_changes_for(profile, after_id=after_id)
    phone = telephony_selectors.phone_ringing(user_id)
    for change in changes:
        change["feed"] = "case"
    for change in phone:
        change["feed"] = "phone"
    return changes + phone


async def live_events(request: HttpRequest) -> HttpResponse:
    await request.auser()
    profile = await sync_to_async(_profile)(request)
    if not profile.is_staff_member:
        return HttpResponse(status=403)
    response = StreamingHttpResponse(
        _stream(profile, request.user.pk, _start_id(request), request.LANGUAGE_CODE),
        content_type="text/event-stream",
    )
    response["Cache-Control"] = "no-cache"
    response["X-Accel-Buffering"] = "no"
    return response
