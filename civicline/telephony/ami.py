"""Asterisk's manager interface (AMI): civicline follows the PBX's own queues.

When Asterisk runs the queues, the connector logs in, follows the Queue and Agent events
into `mirror` (queue_log lines, calls, agent states) and sends civicline's commands:
click-to-call (Originate), pause (QueuePause) and transfer (Redirect, Atxfer).

The protocol is small: `Key: Value` lines, a blank line ends a message; civicline sends
`Action` with an `ActionID`, Asterisk answers with a `Response` carrying it and sends
`Event`s as they happen. A small client of our own (instead of panoramisk 1.4, last released
in 2021) gives what the mirror needs: events handled one at a time in the order Asterisk
sent them, a refused login that is an error and not a silent retry, reconnection with
backoff, lines decoded whole (a caller's Cyrillic name split across two reads survives).

Asterisk's manager.conf for the user: `read = agent,call,dialplan` (dialplan carries the
QUEUESTATUS that tells a timeout), `write = call,agent`, and `timestampevents = yes` so
every line is written at the time Asterisk saw it.
"""

import asyncio
import contextlib
import itertools
import logging
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from asgiref.sync import sync_to_async
from django.core.exceptions import ImproperlyConfigured
from django.db import close_old_connections, connections
from django.utils.translation import gettext as _

from civicline import clock, config
from civicline.telephony import mirror
from civicline.telephony.models import Command

log = logging.getLogger(__name__)

BANNER = "Asterisk Call Manager/"
LINE_LIMIT = 64 * 1024  # a longer line is garbage: dropped, the connection kept
FIELD_LIMIT = 250  # what any model field keeps
# Events about one call: without the caller's Uniqueid there is nothing to attach them to.
CALL_EVENTS = {
    "QueueCallerJoin",
    "QueueCallerLeave",
    "QueueCallerAbandon",
    "AgentCalled",
    "AgentRingNoAnswer",
    "AgentConnect",
    "AgentComplete",
    "AgentDump",
    "VarSet",
    "Hangup",
}


class AmiError(Exception):
    """Asterisk's manager interface cannot be used (unreachable, not AMI, went away)."""


class AmiLoginError(AmiError):
    """Asterisk refused the user and secret: retrying would not help."""


@dataclass(frozen=True)
class AmiSettings:
    host: str = "127.0.0.1"
    port: int = 5038
    username: str = "civicline"
    secret: str = ""
    context: str = "from-internal"

    @classmethod
    def from_env(cls) -> "AmiSettings":
        """CIVICLINE_AMI_HOST, _PORT, _USER, _SECRET (or _SECRET_FILE) and _CONTEXT (the
        dialplan context click-to-call and transfers dial in)."""
        secret = config.env_str("CIVICLINE_AMI_SECRET", "")
        if not secret:
            raise ImproperlyConfigured(
                "CIVICLINE_AMI_SECRET (or CIVICLINE_AMI_SECRET_FILE) is needed to log in to "
                "Asterisk's manager interface"
            )
        return cls(
            host=config.env_str("CIVICLINE_AMI_HOST", "127.0.0.1"),
            port=config.env_int("CIVICLINE_AMI_PORT", 5038, minimum=1),
            username=config.env_str("CIVICLINE_AMI_USER", "civicline"),
            secret=secret,
            context=config.env_str("CIVICLINE_AMI_CONTEXT", "from-internal"),
        )


def message_bytes(fields: dict[str, str]) -> bytes:
    """One AMI message; CR and LF in a value would start a new header, so they go."""
    lines = []
    for key, value in fields.items():
        text = str(value).replace("\r", " ").replace("\n", " ")
        lines.append(f"{key}: {text}\r\n")
    return ("".join(lines) + "\r\n").encode("utf-8")


async def read_message(reader: asyncio.StreamReader) -> dict[str, str] | None:
    """The next message as a dict (first value of a repeated key wins), or None at the
    end of the stream. Lines that are not `Key: Value` are skipped."""
    fields: dict[str, str] = {}
    while True:
        try:
            raw = await reader.readuntil(b"\n")
        except asyncio.IncompleteReadError:
            return None  # what is left of an unfinished message is dropped
        except asyncio.LimitOverrunError as overrun:
            await reader.readexactly(overrun.consumed)  # drop the overlong line's bytes
            log.warning("AMI: a line longer than %d bytes was dropped", LINE_LIMIT)
            continue
        line = raw.decode("utf-8", errors="replace").rstrip("\r\n")
        if not line.strip():
            if fields:
                return fields
            continue
        key, sep, value = line.partition(":")
        if sep and key.strip() and " " not in key.strip():
            fields.setdefault(key.strip(), value.strip())


def _int(event: dict, key: str) -> int:
    try:
        return int((event.get(key) or "0").strip())
    except ValueError:
        return 0


def _at(event: dict) -> datetime:
    """When Asterisk saw it (`Timestamp:` with timestampevents), else now."""
    try:
        return datetime.fromtimestamp(float(event["Timestamp"]), tz=UTC)
    except (KeyError, ValueError, OverflowError, OSError):
        return clock.now()


def _text(event: dict, key: str) -> str:
    return (event.get(key) or "")[:FIELD_LIMIT]


async def _pause(stop: asyncio.Event, seconds: float) -> None:
    """Sleep, but no longer than until `stop` is set."""
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), seconds)


@dataclass
class _Leaving:
    """A caller leaving a queue is told in two events, in either order: QueueCallerLeave
    (the position) and the QUEUESTATUS variable (why)."""

    left_at: dict[str, int] = field(default_factory=dict)  # call_id → position it left at
    status: dict[str, str] = field(default_factory=dict)  # call_id → QUEUESTATUS seen

    def forget(self, call_id: str) -> None:
        for known in (self.left_at, self.status):
            known.pop(call_id, None)


class AmiConnector:
    """One connection to Asterisk at a time; `run()` keeps one until stopped."""

    def __init__(
        self,
        settings: AmiSettings,
        *,
        poll_s: float = 0.5,
        timeout_s: float = 10.0,
        backoff_s: float = 1.0,
        backoff_max_s: float = 30.0,
        keepalive_s: float = 20.0,
    ):
        self.settings = settings
        self.poll_s = poll_s
        self.timeout_s = timeout_s
        self.backoff_s = backoff_s
        self.backoff_max_s = backoff_max_s
        self.keepalive_s = keepalive_s
        self.leaving = _Leaving()
        self.version = ""
        self._ids = itertools.count(1)
        self._pending: dict[str, asyncio.Future] = {}
        self._writer: asyncio.StreamWriter | None = None
        self.handlers: dict[str, Callable[[dict], Awaitable[None]]] = {
            "QueueCallerJoin": self._caller_join,
            "QueueCallerLeave": self._caller_leave,
            "QueueCallerAbandon": self._caller_abandon,
            "AgentCalled": self._agent_called,
            "AgentRingNoAnswer": self._agent_ring_no_answer,
            "AgentConnect": self._agent_connect,
            "AgentComplete": self._agent_complete,
            "AgentDump": self._agent_dump,
            "QueueMemberStatus": self._member_status,
            "QueueMemberPause": self._member_pause,
            "QueueMemberAdded": self._member_added,
            "QueueMemberRemoved": self._member_removed,
            "BlindTransfer": self._blind_transfer,
            "AttendedTransfer": self._attended_transfer,
            "VarSet": self._var_set,
            "Hangup": self._hangup,
        }

    # Connection ------------------------------------------------------------------------

    async def run(self, stop: asyncio.Event | None = None) -> None:
        """Stay connected until `stop` is set: when Asterisk goes away, connect again
        after 1, 2, 4... seconds (at most backoff_max_s). A refused login stops it."""
        stop = stop or asyncio.Event()
        delay = self.backoff_s
        while not stop.is_set():
            try:
                await self.session(stop)
                delay = self.backoff_s  # it worked for a while: start again quickly
            except AmiLoginError:
                raise
            except (OSError, AmiError, TimeoutError) as exc:
                log.warning("AMI: %s; connecting again in %.1f s", exc, delay)
            if stop.is_set():
                break
            await _pause(stop, delay * (0.8 + 0.4 * random.random()))
            delay = min(delay * 2, self.backoff_max_s)

    async def session(self, stop: asyncio.Event | None = None) -> None:
        """One connection: log in, then follow events and send commands until Asterisk
        closes it (or `stop` is set). Every event read is handled before it returns."""
        stop = stop or asyncio.Event()
        host, port = self.settings.host, self.settings.port
        try:
            reader, writer = await asyncio.wait_for(
                asyncio.open_connection(host, port, limit=LINE_LIMIT), self.timeout_s
            )
        except (OSError, TimeoutError) as exc:
            raise AmiError(
                _("Asterisk's manager interface at %(host)s:%(port)s cannot be reached: %(error)s")
                % {"host": host, "port": port, "error": exc}
            ) from exc
        self._writer = writer
        events: asyncio.Queue = asyncio.Queue()
        reading = None
        try:
            await self._banner(reader)
            reading = asyncio.create_task(self._read(reader, events))
            await self._login()
            handling = asyncio.create_task(self._handle_events(events))
            sending = asyncio.create_task(self._send_commands(stop))
            stopping = asyncio.create_task(stop.wait())
            await asyncio.wait({reading, stopping}, return_when=asyncio.FIRST_COMPLETED)
            sending.cancel()
            stopping.cancel()
            await events.put(None)
            await handling
            await asyncio.gather(sending, return_exceptions=True)
            if reading.done() and not reading.cancelled() and reading.exception():
                raise AmiError(
                    _("The connection to Asterisk broke: %(error)s")
                    % {"error": reading.exception()}
                )
        finally:
            if reading is not None:
                reading.cancel()
                await asyncio.gather(reading, return_exceptions=True)
            self._fail_pending(AmiError(_("The connection to Asterisk was closed.")))
            self._writer = None
            writer.close()
            with contextlib.suppress(OSError):
                await writer.wait_closed()
            # The mirror's database connection lives in its own thread: let it go with the
            # session (a later one opens another).
            await sync_to_async(connections.close_all, thread_sensitive=True)()

    async def _banner(self, reader: asyncio.StreamReader) -> None:
        try:
            banner = await asyncio.wait_for(reader.readline(), self.timeout_s)
        except (ValueError, TimeoutError):
            banner = b""
        text = banner.decode("utf-8", errors="replace").strip()
        if not text.startswith(BANNER):
            raise AmiError(
                _("%(host)s:%(port)s does not answer as Asterisk's manager interface.")
                % {"host": self.settings.host, "port": self.settings.port}
            )
        self.version = text[len(BANNER) :]

    async def _login(self) -> None:
        response = await self.send(
            "Login",
            Username=self.settings.username,
            Secret=self.settings.secret,
            Events="on",
        )
        if response.get("Response", "").lower() != "success":
            raise AmiLoginError(
                _("Asterisk refused the login of manager user “%(user)s”: %(message)s")
                % {
                    "user": self.settings.username,
                    "message": response.get("Message") or _("no reason given"),
                }
            )
        log.info(
            "AMI: logged in to %s:%s (AMI %s)", self.settings.host, self.settings.port, self.version
        )

    async def _read(self, reader: asyncio.StreamReader, events: asyncio.Queue) -> None:
        while True:
            message = await read_message(reader)
            if message is None:
                self._fail_pending(AmiError(_("Asterisk closed the connection.")))
                return
            if "Response" in message:
                waiting = self._pending.pop(message.get("ActionID", ""), None)
                if waiting is not None and not waiting.done():
                    waiting.set_result(message)
            elif "Event" in message and "ActionID" not in message:
                await events.put(message)

    def _fail_pending(self, error: Exception) -> None:
        for waiting in self._pending.values():
            if not waiting.done():
                waiting.set_exception(error)
        self._pending.clear()

    async def send(self, action: str, **fields: str) -> dict[str, str]:
        """Send an action and wait for Asterisk's response to it."""
        if self._writer is None:
            raise AmiError(_("Not connected to Asterisk."))
        action_id = f"civicline-{next(self._ids)}"
        waiting = asyncio.get_running_loop().create_future()
        self._pending[action_id] = waiting
        self._writer.write(message_bytes({"Action": action, "ActionID": action_id, **fields}))
        await self._writer.drain()
        try:
            return await asyncio.wait_for(waiting, self.timeout_s)
        finally:
            self._pending.pop(action_id, None)

    # Events ----------------------------------------------------------------------------

    async def _handle_events(self, events: asyncio.Queue) -> None:
        while (event := await events.get()) is not None:
            name = event.get("Event", "")
            handler = self.handlers.get(name)
            if handler is None or (name in CALL_EVENTS and not event.get("Uniqueid")):
                continue
            try:
                await handler(event)
            except Exception:
                # One event the mirror cannot take must not stop the following ones.
                log.exception("AMI: the %s event could not be mirrored", event.get("Event"))

    @staticmethod
    async def _db(function, **kwargs):
        def call():
            close_old_connections()  # a long-lived process outlives database connections
            return function(**kwargs)

        return await sync_to_async(call, thread_sensitive=True)()

    async def _caller_join(self, event: dict) -> None:
        await self._db(
            mirror.call_joined,
            call_id=_text(event, "Uniqueid"),
            channel=_text(event, "Channel"),
            queue_name=_text(event, "Queue"),
            caller=_text(event, "CallerIDNum"),
            exten=_text(event, "Exten"),
            position=_int(event, "Position"),
            at=_at(event),
        )

    async def _caller_leave(self, event: dict) -> None:
        # Left for a reason AMI does not say here: the QUEUESTATUS that follows tells.
        call_id = _text(event, "Uniqueid")
        self.leaving.left_at[call_id] = _int(event, "Position")
        status = self.leaving.status.pop(call_id, None)
        if status:
            await self._exit(call_id, status, event)

    async def _var_set(self, event: dict) -> None:
        if event.get("Variable") != "QUEUESTATUS":
            return
        call_id = _text(event, "Uniqueid")
        status = (event.get("Value") or "").upper()
        if call_id in self.leaving.left_at:
            await self._exit(call_id, status, event)
        else:
            self.leaving.status[call_id] = status

    async def _exit(self, call_id: str, status: str, event: dict) -> None:
        await self._db(
            mirror.call_exited,
            call_id=call_id,
            status=status,
            position=self.leaving.left_at.get(call_id, 0),
            at=_at(event),
        )

    async def _caller_abandon(self, event: dict) -> None:
        await self._db(
            mirror.call_abandoned,
            call_id=_text(event, "Uniqueid"),
            queue_name=_text(event, "Queue"),
            caller=_text(event, "CallerIDNum"),
            position=_int(event, "Position"),
            original_position=_int(event, "OriginalPosition"),
            hold_s=_int(event, "HoldTime"),
            at=_at(event),
        )

    async def _agent_called(self, event: dict) -> None:
        await self._db(
            mirror.agent_called,
            call_id=_text(event, "Uniqueid"),
            interface=_text(event, "Interface"),
            at=_at(event),
        )

    async def _agent_ring_no_answer(self, event: dict) -> None:
        # RingTime is in milliseconds here: app_queue's rna() gives the AMI event the same
        # number it writes to queue_log's RINGNOANSWER.
        await self._db(
            mirror.agent_ring_no_answer,
            call_id=_text(event, "Uniqueid"),
            queue_name=_text(event, "Queue"),
            interface=_text(event, "Interface"),
            ring_ms=_int(event, "RingTime"),
            at=_at(event),
        )

    async def _agent_connect(self, event: dict) -> None:
        await self._db(
            mirror.agent_connected,
            call_id=_text(event, "Uniqueid"),
            caller_channel=_text(event, "Channel"),
            agent_channel=_text(event, "DestChannel"),
            queue_name=_text(event, "Queue"),
            caller=_text(event, "CallerIDNum"),
            interface=_text(event, "Interface"),
            member_uniqueid=_text(event, "DestUniqueid"),
            hold_s=_int(event, "HoldTime"),
            ring_s=_int(event, "RingTime"),
            at=_at(event),
        )

    async def _agent_complete(self, event: dict) -> None:
        await self._db(
            mirror.agent_completed,
            call_id=_text(event, "Uniqueid"),
            queue_name=_text(event, "Queue"),
            caller=_text(event, "CallerIDNum"),
            interface=_text(event, "Interface"),
            hold_s=_int(event, "HoldTime"),
            talk_s=_int(event, "TalkTime"),
            reason=_text(event, "Reason").lower(),
            at=_at(event),
        )

    async def _agent_dump(self, event: dict) -> None:
        await self._db(
            mirror.agent_dumped,
            call_id=_text(event, "Uniqueid"),
            queue_name=_text(event, "Queue"),
            interface=_text(event, "Interface"),
            at=_at(event),
        )

    async def _member_status(self, event: dict) -> None:
        await self._db(
            mirror.member_status,
            interface=_text(event, "Interface"),
            status=_int(event, "Status"),
            paused=_int(event, "Paused") == 1,
            reason=_text(event, "PausedReason"),
            at=_at(event),
        )

    async def _member_pause(self, event: dict) -> None:
        # Asterisk 13–16 name the reason `Reason`, later ones `PausedReason`.
        await self._db(
            mirror.member_paused,
            queue_name=_text(event, "Queue"),
            interface=_text(event, "Interface"),
            paused=_int(event, "Paused") == 1,
            reason=_text(event, "PausedReason") or _text(event, "Reason"),
            at=_at(event),
        )

    async def _member_added(self, event: dict) -> None:
        await self._db(
            mirror.member_added,
            queue_name=_text(event, "Queue"),
            interface=_text(event, "Interface"),
            paused=_int(event, "Paused") == 1,
            reason=_text(event, "PausedReason"),
            at=_at(event),
        )

    async def _member_removed(self, event: dict) -> None:
        await self._db(
            mirror.member_removed,
            queue_name=_text(event, "Queue"),
            interface=_text(event, "Interface"),
            at=_at(event),
        )

    async def _blind_transfer(self, event: dict) -> None:
        if (event.get("Result") or "").lower() != "success":
            return
        await self._db(
            mirror.call_transferred,
            call_ids=[_text(event, k) for k in ("TransfereeUniqueid", "TransfereeLinkedid")],
            attended=False,
            target=_text(event, "Extension"),
            detail=_text(event, "Context"),
            at=_at(event),
        )

    async def _attended_transfer(self, event: dict) -> None:
        if (event.get("Result") or "").lower() != "success":
            return
        dest_type = _text(event, "DestType")
        destination = {
            "bridge": "DestBridgeUniqueid",
            "app": "DestApp",
            "link": "LocalTwoChannel",
            "threeway": "DestBridgeUniqueid",
        }.get(dest_type.lower(), "")
        await self._db(
            mirror.call_transferred,
            call_ids=[
                _text(event, k)
                for k in (
                    "TransfereeUniqueid",
                    "TransfereeLinkedid",
                    "OrigTransfererLinkedid",
                    "SecondTransfererLinkedid",
                )
            ],
            attended=True,
            target=dest_type.upper(),
            detail=_text(event, destination) if destination else "",
            at=_at(event),
        )

    async def _hangup(self, event: dict) -> None:
        # Only a queue caller's channel has a call of its uniqueid; a member's leg or an
        # outside one is passed over there.
        call_id = _text(event, "Uniqueid")
        await self._db(
            mirror.call_hung_up,
            call_id=call_id,
            cause=_text(event, "Cause-txt") or _text(event, "Cause"),
            at=_at(event),
        )
        self.leaving.forget(call_id)

    # Commands --------------------------------------------------------------------------

    async def _send_commands(self, stop: asyncio.Event) -> None:
        """Claim civicline's commands and send them, polling while connected. A command
        is claimed before it is sent and never sent twice: a click-to-call repeated is
        worse than one missing."""
        loop = asyncio.get_running_loop()
        pinged = loop.time()
        while not stop.is_set():
            try:
                for command in await self._db(mirror.commands_claim, at=clock.now()):
                    await self.execute(command)
            except Exception:
                log.exception("AMI: civicline's commands could not be read")
            if loop.time() - pinged >= self.keepalive_s:
                # A connection dropped without a word (a NAT forgetting it) shows here.
                pinged = loop.time()
                try:
                    await self.send("Ping")
                except (AmiError, TimeoutError, OSError):
                    log.warning("AMI: Asterisk does not answer a Ping; connecting again")
                    if self._writer is not None:
                        self._writer.close()
                    return
            await _pause(stop, self.poll_s)

    def action_for(
        self, command: Command, channels: tuple[str, str] = ("", "")
    ) -> tuple[str, dict[str, str]] | None:
        """The AMI action a command becomes, or None when it cannot be sent (logged).
        `channels`: the call's caller and agent channel names, for a transfer."""
        payload = command.payload if isinstance(command.payload, dict) else {}
        if command.action == Command.Action.ORIGINATE:
            extension, number = str(payload.get("from", "")), str(payload.get("to", ""))
            if not extension or not number:
                return None
            return "Originate", {
                "Channel": f"PJSIP/{extension}",
                "Exten": number,
                "Context": self.settings.context,
                "Priority": "1",
                "CallerID": str(payload.get("callerId") or extension),
                "Async": "true",
            }
        if command.action == Command.Action.PAUSE:
            interface = str(payload.get("interface") or "")
            if not interface and payload.get("extension"):
                interface = f"PJSIP/{payload['extension']}"
            if not interface:
                return None
            fields = {
                "Interface": interface,
                "Paused": "true" if payload.get("paused", True) else "false",
            }
            if payload.get("queue"):
                fields["Queue"] = str(payload["queue"])
            if payload.get("reason"):
                fields["Reason"] = str(payload["reason"])
            return "QueuePause", fields
        if command.action == Command.Action.TRANSFER:
            number = str(payload.get("to", ""))
            if payload.get("kind") == "attended":
                # Atxfer is asked of the transferer: the agent's leg, which then dials.
                channel = channels[1]
                action = "Atxfer"
                fields = {"Channel": channel, "Exten": number, "Context": self.settings.context}
            else:
                channel = channels[0]
                action = "Redirect"
                fields = {
                    "Channel": channel,
                    "Exten": number,
                    "Context": self.settings.context,
                    "Priority": "1",
                }
            if not channel or not number:
                return None
            return action, fields
        return None

    async def execute(self, command: Command) -> dict[str, str] | None:
        """Send one command; Asterisk's answer is logged (the Command row has no field
        for it)."""
        channels = ("", "")
        if command.action == Command.Action.TRANSFER:
            channels = await self._db(mirror.channels_of, call_id=command.call_id)
        action = self.action_for(command, channels)
        if action is None:
            log.error(
                "AMI: command %s (%s %s) cannot be sent",
                command.pk,
                command.action,
                command.call_id,
            )
            return None
        name, fields = action
        try:
            response = await self.send(name, **fields)
        except (AmiError, TimeoutError, OSError) as exc:
            log.error("AMI: command %s (%s) was not confirmed: %s", command.pk, name, exc)
            return None
        if response.get("Response", "").lower() != "success":
            log.error(
                "AMI: Asterisk refused command %s (%s): %s",
                command.pk,
                name,
                response.get("Message", ""),
            )
        return response
