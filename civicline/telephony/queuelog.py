"""Asterisk's queue_log as a text file: writing it out and reading it in.

One line per event, `time|callid|queuename|agent|event|data1|...|data5`, where `time` is the
Unix time in seconds. Asterisk writes whole seconds; some tools add a fractional part, and
both are read. civicline keeps microseconds, and an export writes whole seconds (truncated,
as Asterisk's `time(NULL)` is), so an exported and re-imported line may sit up to a second
earlier than the original. The statistics don't notice: waits and talk times come from the
data fields, which are whole seconds, and truncating never moves a line across an hour, day
or week boundary.

Asterisk doesn't escape `|` inside a field. An export writes `/` for a `|` in any field but
the last data field (reading puts data fields beyond the fifth back there, joined by `|`),
and a space for a line break, so every exported line reads back into the same fields.
"""

import re
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime, timedelta
from typing import IO, NamedTuple

from django.db import connection, transaction
from django.db.models import Max, QuerySet
from django.utils.translation import gettext as _

from civicline.telephony.models import QueueLogEntry

DATA_FIELDS = 5
BATCH = 2000
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_SECOND = timedelta(seconds=1)
_UNIX_TIME = re.compile(r"(\d{1,11})(?:\.(\d{1,9}))?")
COLUMNS = (
    "time",
    "call_id",
    "queue",
    "agent",
    "event",
    "data1",
    "data2",
    "data3",
    "data4",
    "data5",
)
_LIMITS = tuple(QueueLogEntry._meta.get_field(name).max_length for name in COLUMNS[1:])


class QueueLogError(ValueError):
    """A queue_log line that cannot be read; `line` is its number in the file (from 1)."""

    def __init__(self, message: str, *, line: int = 0):
        super().__init__(message)
        self.message = message
        self.line = line


class ParsedLine(NamedTuple):
    time: datetime
    call_id: str
    queue: str
    agent: str
    event: str
    data: tuple[str, str, str, str, str]

    @property
    def key(self) -> tuple:
        return (self.time, self.call_id, self.queue, self.event, self.agent)


# Writing ------------------------------------------------------------------------------


def _clean(value: str, *, last: bool = False) -> str:
    value = value.replace("\r", " ").replace("\n", " ")
    return value if last else value.replace("|", "/")


def _line(time, call_id, queue, agent, event, *data: str) -> str:
    data = list(data)
    while len(data) > 1 and not data[-1]:
        data.pop()
    head = [str((time - EPOCH) // _SECOND), call_id, queue, agent, event]
    fields = [_clean(value) for value in head + data[:-1]]
    fields.append(_clean(data[-1], last=len(data) == DATA_FIELDS))
    return "|".join(fields)


def export_line(entry: QueueLogEntry) -> str:
    """One entry as Asterisk writes it: whole epoch seconds, and the data fields up to the
    last one that has a value (at least data1, as Asterisk's `ADDMEMBER|` lines have)."""
    return _line(*(getattr(entry, name) for name in COLUMNS))


def export_lines(entries: Iterable[QueueLogEntry]) -> Iterator[str]:
    """The entries as queue_log lines (without line ends), in the order given. A queryset
    is read in chunks as plain values, so a year of lines doesn't sit in memory."""
    if isinstance(entries, QuerySet):
        for values in entries.values_list(*COLUMNS).iterator(chunk_size=BATCH):
            yield _line(*values)
    else:
        for entry in entries:
            yield export_line(entry)


# Reading ------------------------------------------------------------------------------


def _unix_time(value: str) -> datetime:
    match = _UNIX_TIME.fullmatch(value.strip())
    if not match:
        raise ValueError(value)
    seconds, fraction = match.groups()
    micro = int((fraction or "")[:6].ljust(6, "0"))
    return EPOCH + timedelta(seconds=int(seconds), microseconds=micro)


def parse_line(line: str, *, number: int = 1) -> ParsedLine:
    """Read one queue_log line. Data fields may number 0 to 5 (more are kept, joined by
    `|`, in data5); an event civicline doesn't know is kept as it is. Raises
    `QueueLogError` naming line `number` when the line can't be stored."""

    def bad(problem: str) -> QueueLogError:
        return QueueLogError(
            _("Line %(line)d: %(problem)s") % {"line": number, "problem": problem}, line=number
        )

    line = line.rstrip("\r\n")
    if not line.strip():
        raise bad(_("the line is empty."))
    if "\x00" in line:
        raise bad(_("the line holds a NUL character."))
    fields = line.split("|")
    if len(fields) < 5:
        raise bad(
            _(
                "queue_log needs at least 5 fields (time|callid|queue|agent|event); "
                "this line has %(count)d."
            )
            % {"count": len(fields)}
        )
    try:
        time = _unix_time(fields[0])
    except (ValueError, OverflowError):
        raise bad(_("“%(value)s” is not a Unix time.") % {"value": fields[0][:40]}) from None
    call_id, queue, agent, event = fields[1:5]
    if not event.strip():
        raise bad(_("the event is missing."))
    data = fields[5 : 5 + DATA_FIELDS - 1]
    if len(fields) > 4 + DATA_FIELDS:
        data.append("|".join(fields[4 + DATA_FIELDS :]))
    data += [""] * (DATA_FIELDS - len(data))
    values = (call_id, queue, agent, event, *data)
    for name, value, limit in zip(COLUMNS[1:], values, _LIMITS, strict=True):
        if len(value) > limit:
            raise bad(
                _("the field %(field)s is %(length)d characters long; at most %(limit)d fit.")
                % {"field": name, "length": len(value), "limit": limit}
            )
    return ParsedLine(time, call_id, queue, agent, event, tuple(data))


def _text_lines(fileobj: IO) -> Iterator[str]:
    for raw in fileobj:
        if isinstance(raw, bytes):
            try:
                raw = raw.decode("utf-8")
            except UnicodeDecodeError:
                # Old PBXes write caller names in Latin-1; keep them rather than refuse.
                raw = raw.decode("latin-1")
        yield raw


def _insert(lines: list[ParsedLine]) -> None:
    # bulk_create spends tens of microseconds a row preparing values; plain multi-row
    # INSERTs store a million-line file several times faster, on SQLite and PostgreSQL.
    meta = QueueLogEntry._meta
    quote = connection.ops.quote_name
    columns = ", ".join(quote(meta.get_field(name).column) for name in COLUMNS)
    row = f"({', '.join(['%s'] * len(COLUMNS))})"
    per_statement = min(500, (connection.features.max_query_params or 5000) // len(COLUMNS))
    adapt = connection.ops.adapt_datetimefield_value
    with connection.cursor() as cursor:
        for i in range(0, len(lines), per_statement):
            chunk = lines[i : i + per_statement]
            params = []
            for line in chunk:
                params += (adapt(line.time), line.call_id, line.queue, line.agent, line.event)
                params += line.data
            cursor.execute(
                f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES "
                + ", ".join([row] * len(chunk)),
                params,
            )


def _stored_keys(batch: list[ParsedLine], up_to_id: int) -> set[tuple]:
    # Exact times: one index look-up each, however the file's lines are ordered.
    stored = QueueLogEntry.objects.filter(
        pk__lte=up_to_id, time__in={line.time for line in batch}
    ).values_list("time", "call_id", "queue", "event", "agent")
    return set(stored)


@transaction.atomic
def import_file(fileobj: IO, *, source: str = "") -> int:
    """Store the queue_log lines of `fileobj` (text or binary); return how many were stored.

    All or nothing: a line that can't be read raises `QueueLogError` naming it (and
    `source`, the file's name, when given), and nothing is stored. Blank lines are passed
    over. A line already stored before this import (same time, callid, queue, event and
    agent) is skipped, so importing the same file again doesn't count its calls twice;
    repeated lines within one file are all kept."""
    up_to_id = QueueLogEntry.objects.aggregate(last=Max("pk"))["last"]
    stored = 0
    batch: list[ParsedLine] = []

    def flush() -> None:
        nonlocal stored
        known = _stored_keys(batch, up_to_id) if up_to_id is not None else set()
        fresh = [line for line in batch if line.key not in known]
        if fresh:
            _insert(fresh)
        stored += len(fresh)
        batch.clear()

    for number, text in enumerate(_text_lines(fileobj), start=1):
        if not text.strip():
            continue
        try:
            batch.append(parse_line(text, number=number))
        except QueueLogError as error:
            if source:
                error = QueueLogError(
                    _("%(source)s: %(problem)s") % {"source": source, "problem": error.message},
                    line=number,
                )
            raise error from None
        if len(batch) >= BATCH:
            flush()
    if batch:
        flush()
    return stored
