"""queue_log files: Asterisk's lines read in, civicline's written out, and the figures
unchanged by the round trip."""

import io
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from civicline.telephony import queuelog, services, statistics
from civicline.telephony.models import Queue, QueueLogEntry
from civicline.telephony.queuelog import QueueLogError

from .conftest import START
from .test_statistics import ten_calls

ASTERISK_LOG = Path(__file__).parent / "data" / "asterisk_queue_log"
# 2026-11-23 08:00:00 UTC
START_EPOCH = 1795420800


def _everything():
    return statistics.report(START - timedelta(days=1), START + timedelta(days=1))


def _hours():
    return statistics.by_interval(START, START + timedelta(hours=3), "hour")


# Writing ------------------------------------------------------------------------------


def test_it_writes_asterisks_lines_in_whole_seconds(db):
    QueueLogEntry.objects.create(
        time=START + timedelta(microseconds=999_999), call_id="c1", queue="novisad",
        agent="NONE", event="ENTERQUEUE", data2="+381641234567",
    )  # fmt: skip
    QueueLogEntry.objects.create(
        time=START, call_id="NONE", queue="novisad", agent="PJSIP/101", event="ADDMEMBER"
    )
    QueueLogEntry.objects.create(
        time=START, call_id="c2", queue="novisad", agent="PJSIP/101", event="COMPLETECALLER",
        data1="4", data2="60", data3="1",
    )  # fmt: skip

    lines = list(queuelog.export_lines(QueueLogEntry.objects.order_by("id")))

    assert lines == [
        f"{START_EPOCH}|c1|novisad|NONE|ENTERQUEUE||+381641234567",
        f"{START_EPOCH}|NONE|novisad|PJSIP/101|ADDMEMBER|",
        f"{START_EPOCH}|c2|novisad|PJSIP/101|COMPLETECALLER|4|60|1",
    ]


def test_a_field_holding_a_bar_or_a_line_break_still_reads_back_into_its_fields(db):
    entry = QueueLogEntry(
        time=START, call_id="c1", queue="novisad", agent="PJSIP/101", event="BLINDTRANSFER",
        data1="12|3", data2="from\ninternal", data3="4", data4="30", data5="1|x",
    )  # fmt: skip

    line = queuelog.export_line(entry)

    assert line == f"{START_EPOCH}|c1|novisad|PJSIP/101|BLINDTRANSFER|12/3|from internal|4|30|1|x"
    assert queuelog.parse_line(line).data == ("12/3", "from internal", "4", "30", "1|x")


# Reading ------------------------------------------------------------------------------


def test_it_reads_asterisks_variants():
    whole = queuelog.parse_line("1366720340|1366720340.303267|MYQUEUE|SIP/8007|RINGNOANSWER|1000")
    assert whole.time == datetime(2013, 4, 23, 12, 32, 20, tzinfo=UTC)
    assert (whole.call_id, whole.queue, whole.agent, whole.event) == (
        "1366720340.303267", "MYQUEUE", "SIP/8007", "RINGNOANSWER",
    )  # fmt: skip
    assert whole.data == ("1000", "", "", "", "")

    fractional = queuelog.parse_line("1366720340.5|NONE|NONE|NONE|QUEUESTART\r\n")
    assert fractional.time == datetime(2013, 4, 23, 12, 32, 20, 500_000, tzinfo=UTC)
    assert fractional.data == ("", "", "", "", "")

    many = queuelog.parse_line("1|c|q|a|ATTENDEDTRANSFER|BRIDGE|x|4|60|1|extra|more")
    assert many.data == ("BRIDGE", "x", "4", "60", "1|extra|more")


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ("1366720340|c1|q|SIP/8007", "at least 5 fields .*; this line has 4"),
        ("yesterday|c1|q|SIP/8007|CONNECT|1", "“yesterday” is not a Unix time"),
        ("-5|c1|q|SIP/8007|CONNECT|1", "“-5” is not a Unix time"),
        ("1366720340|c1|q|SIP/8007||1", "the event is missing"),
        (f"1366720340|{'x' * 251}|q|a|CONNECT", "call_id is 251 characters long; at most 250"),
        (f"1366720340|c1|{'q' * 65}|a|CONNECT", "queue is 65 characters long; at most 64"),
        ("1366720340|c1|q|a|CONNECT|\x00", "NUL character"),
        ("   ", "the line is empty"),
    ],
)
def test_a_bad_line_is_named_with_its_number(line, problem):
    with pytest.raises(QueueLogError, match=problem) as caught:
        queuelog.parse_line(line, number=7)

    assert caught.value.line == 7
    assert caught.value.message.startswith("Line 7: ")


def test_it_imports_a_real_looking_asterisk_queue_log(db):
    # given a queue civicline doesn't know (threshold 20 s by default)
    with open(ASTERISK_LOG, "rb") as source:
        stored = queuelog.import_file(source)

    # then every line but the blank one is kept, unknown events as they are
    assert stored == 17 == QueueLogEntry.objects.count()
    events = set(QueueLogEntry.objects.values_list("event", flat=True))
    assert {"QUEUESTART", "CONFIGRELOAD", "DID", "PAUSE", "UNPAUSE"} <= events
    did = QueueLogEntry.objects.get(event="DID")
    assert did.time == datetime(2023, 11, 14, 22, 13, 30, 123_456, tzinfo=UTC)
    assert did.data1 == "+381800100200"

    found = statistics.report(datetime(2023, 11, 14, tzinfo=UTC), datetime(2023, 11, 16))
    figures = found.overall
    assert (figures.offered, figures.answered, figures.abandoned) == (3, 2, 1)
    assert (figures.transferred, figures.full) == (1, 1)
    assert (figures.service_level, figures.service_level_with_abandoned) == (0.5, 1 / 3)
    assert (figures.asa_s, figures.average_talk_s) == (19, 80)
    assert (figures.longest_wait_s, figures.abandoned_mean_wait_s) == (45, 45)
    assert list(found.queues) == ["support"]
    agents = {
        name: (a.handled, a.talk_total_s, a.ring_no_answer) for name, a in found.agents.items()
    }
    assert agents == {"SIP/8007": (1, 100, 1), "SIP/8008": (1, 60, 0)}


def test_importing_the_same_file_again_stores_nothing_twice(db):
    with open(ASTERISK_LOG, "rb") as source:
        queuelog.import_file(source)
    before = _everything()

    with open(ASTERISK_LOG, "rb") as source:
        again = queuelog.import_file(source)

    assert again == 0
    assert QueueLogEntry.objects.count() == 17
    assert _everything().overall == before.overall


def test_a_bad_line_stores_nothing_not_even_the_lines_before_it(db, monkeypatch):
    # given batches of two, so good lines have been written before the bad one is read
    monkeypatch.setattr(queuelog, "BATCH", 2)
    text = ASTERISK_LOG.read_text() + "1700000600|x|support|NONE\n"

    with pytest.raises(QueueLogError) as caught:
        queuelog.import_file(io.StringIO(text), source="queue_log")

    assert caught.value.line == 19
    assert caught.value.message.startswith("queue_log: Line 19: queue_log needs at least 5")
    assert not QueueLogEntry.objects.exists()


def test_a_repeated_line_within_one_file_is_kept(db):
    line = "1700000000|NONE|support|SIP/8007|RINGNOANSWER|1000\n"

    assert queuelog.import_file(io.StringIO(line * 2)) == 2
    assert queuelog.import_file(io.StringIO(line * 2)) == 0


def test_a_line_that_is_not_utf8_is_read_as_latin1_not_refused(db):
    queuelog.import_file(io.BytesIO("1|c|q|NONE|ENTERQUEUE||José Müller|1\n".encode("latin-1")))

    assert QueueLogEntry.objects.get().data2 == "José Müller"


# The round trip ---------------------------------------------------------------------------


def test_export_then_import_into_a_clean_table_gives_the_same_figures(db):
    # given calls with sub-second times, and the ACD's own lines
    Queue.objects.create(name="novisad", label="Novi Sad", service_level_s=20)
    ten_calls()
    ten_calls(queue="vodovod", at=START + timedelta(hours=1, seconds=0.75))
    before, hours = _everything(), _hours()
    text = "".join(f"{line}\n" for line in queuelog.export_lines(QueueLogEntry.objects.all()))

    # when
    QueueLogEntry.objects.all().delete()
    stored = queuelog.import_file(io.StringIO(text))

    # then
    assert stored == 56  # 28 lines per ten calls
    after = _everything()
    assert (after.overall, after.queues, after.agents) == (
        before.overall, before.queues, before.agents,
    )  # fmt: skip
    assert _hours() == hours
    assert after.overall.service_level == 12 / 16


def test_calls_through_the_acd_survive_the_round_trip(line, line_clock):
    queue, [ana, bojan] = line(agents=2, strategy="linear", wrapup_s=0)
    services.agent_login(agent=ana)
    services.agent_login(agent=bojan)
    for i in range(3):
        services.call_new(
            call_id=f"c{i}", from_number=f"+38164100000{i}", to_number=queue.number,
            direction="in",
        )  # fmt: skip
        line_clock.advance(2.5)
    services.call_answer(call_id="c0", answering=ana.extension)
    line_clock.advance(16)  # c1 rang Bojan unanswered
    services.tick()
    line_clock.advance(7.25)
    services.call_hangup(call_id="c2", cause="cancel")
    services.call_hangup(call_id="c0", by="agent")
    before = _everything()
    text = "\n".join(queuelog.export_lines(QueueLogEntry.objects.all()))

    QueueLogEntry.objects.all().delete()
    queuelog.import_file(io.StringIO(text))

    assert _everything() == before
    assert before.agents[bojan.queue_log_name].ring_no_answer == 1


# The command -----------------------------------------------------------------------------


def test_the_command_exports_a_queue_and_a_period_and_imports_it_back(db, tmp_path):
    ten_calls()
    ten_calls(queue="vodovod")
    QueueLogEntry.objects.create(
        time=START - timedelta(days=2), call_id="old", queue="novisad", agent="NONE",
        event="ENTERQUEUE",
    )  # fmt: skip
    path = tmp_path / "queue_log"
    err = io.StringIO()

    call_command(
        "queuelog", "export", "--queue", "novisad", "--from", "2026-11-23", "--to", "2026-11-23",
        "--output", str(path), stderr=err,
    )  # fmt: skip

    lines = path.read_text().splitlines()
    assert len(lines) == 28 and all("|novisad|" in line for line in lines)
    assert "28 lines written" in err.getvalue()
    before = statistics.report(START, START + timedelta(hours=1), queue="novisad")

    QueueLogEntry.objects.all().delete()
    out = io.StringIO()
    call_command("queuelog", "import", str(path), stdout=out)

    assert "28 queue_log lines stored." in out.getvalue()
    assert statistics.report(START, START + timedelta(hours=1), queue="novisad") == before


def test_the_command_writes_to_standard_output(db):
    QueueLogEntry.objects.create(
        time=START, call_id="NONE", queue="novisad", agent="PJSIP/101", event="ADDMEMBER"
    )
    out = io.StringIO()

    call_command("queuelog", "export", stdout=out)

    assert out.getvalue() == f"{START_EPOCH}|NONE|novisad|PJSIP/101|ADDMEMBER|\n"


def test_the_command_names_the_bad_line_and_stores_nothing(db, tmp_path):
    path = tmp_path / "queue_log"
    path.write_text("1700000000|NONE|NONE|NONE|QUEUESTART|\nnot a queue_log line\n")

    with pytest.raises(CommandError, match=r"Line 2: .* this line has 1\. Nothing was stored\."):
        call_command("queuelog", "import", str(path))

    assert not QueueLogEntry.objects.exists()


def test_the_command_says_what_is_wrong_with_a_date_or_a_file(db, tmp_path):
    with pytest.raises(CommandError, match="is not a date"):
        call_command("queuelog", "export", "--from", "last week")
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("queuelog", "import", str(tmp_path / "missing"))
