"""Queue figures read from queue_log: a hand-made log with known answers, calls driven
through the ACD, and intervals in the city's time zone."""

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest

from civicline.telephony import services, statistics
from civicline.telephony.models import Queue

from . import queue_logs
from .conftest import START
from .queue_logs import log_line

_log = log_line


def ten_calls(queue="novisad", at=START):
    queue_logs.ten_calls(queue, at)


@pytest.fixture
def novisad(db):
    return Queue.objects.create(name="novisad", label="Novi Sad", service_level_s=20)


def test_it_counts_a_hand_made_log_with_known_answers(novisad):
    # given
    ten_calls()
    _log(START, f"novisad-{START:%d%H%M}-0", "RINGNOANSWER", 15000, agent="PJSIP/103")
    _log(START, "NONE", "PAUSE", "break", agent="PJSIP/101")

    # when
    figures = statistics.report(START, START + timedelta(hours=1)).overall

    # then
    assert (figures.offered, figures.answered, figures.abandoned) == (10, 8, 2)
    assert figures.answered_within == 6
    assert figures.service_level == 0.75
    assert figures.service_level_with_abandoned == 0.6
    assert figures.asa_s == (5 + 7 + 9 + 11 + 13 + 15 + 25 + 40) / 8
    assert figures.average_talk_s == sum(60 + 10 * i for i in range(8)) / 8
    assert figures.transferred == 1
    assert figures.longest_wait_s == 50
    assert figures.abandonment_rate == 0.2
    assert figures.abandoned_mean_wait_s == 40
    assert (figures.timed_out, figures.callbacks, figures.full) == (0, 0, 0)


def test_it_gives_each_agent_their_calls_talk_and_unanswered_rings(novisad):
    ten_calls()
    _log(START, f"novisad-{START:%d%H%M}-0", "RINGNOANSWER", 15000, agent="PJSIP/103")

    agents = statistics.report(START, START + timedelta(hours=1)).agents

    assert list(agents) == ["PJSIP/101", "PJSIP/102", "PJSIP/103"]
    ana, bojan, cveta = agents.values()
    assert (ana.handled, ana.talk_total_s, ana.average_talk_s) == (4, 60 + 80 + 100 + 120, 90)
    assert (bojan.handled, bojan.talk_total_s) == (4, 70 + 90 + 110 + 130)
    assert (cveta.handled, cveta.ring_no_answer, cveta.average_talk_s) == (0, 1, None)


def test_it_uses_each_queues_own_threshold_and_sums_the_queues(novisad):
    Queue.objects.create(name="vodovod", label="Vodovod", service_level_s=10)
    ten_calls()
    ten_calls(queue="vodovod")
    _log(START, "NONE", "QUEUESTART", queue="NONE")

    found = statistics.report(START, START + timedelta(hours=1))

    assert list(found.queues) == ["novisad", "vodovod"]
    assert found.queues["novisad"].answered_within == 6
    assert found.queues["vodovod"].answered_within == 3  # holds 5, 7 and 9 s: within 10 s
    assert found.overall.offered == 20
    assert found.overall.service_level == 9 / 16
    only = statistics.report(START, START + timedelta(hours=1), queue="vodovod")
    assert replace(only.overall, queue="vodovod") == found.queues["vodovod"]
    assert list(only.queues) == ["vodovod"]


def test_it_counts_timeouts_callbacks_and_a_full_queue(novisad):
    _log(START, "a", "ENTERQUEUE", "", "+381641")
    _log(START + timedelta(seconds=90), "a", "EXITWITHTIMEOUT", 1, 1, 90)
    _log(START, "b", "ENTERQUEUE", "", "+381642")
    _log(START + timedelta(seconds=70), "b", "EXITWITHKEY", "1", 2, 2, 70)
    _log(START, "c", "FULL", "", "", "")

    figures = statistics.report(START, START + timedelta(hours=1)).overall

    assert (figures.offered, figures.timed_out, figures.callbacks, figures.full) == (2, 1, 1, 1)
    assert figures.longest_wait_s == 90
    assert figures.service_level is None and figures.asa_s is None
    assert figures.abandonment_rate == 0


def test_a_data_field_that_is_no_number_is_counted_but_left_out_of_the_means(novisad):
    _log(START, "a", "CONNECT", "soon", "a", "", agent="PJSIP/101")
    _log(START, "b", "CONNECT", "12", "b", "", agent="PJSIP/101")

    figures = statistics.report(START, START + timedelta(hours=1)).overall

    assert (figures.answered, figures.answered_within, figures.asa_s) == (2, 1, 12)


def test_the_period_includes_its_start_and_excludes_its_end(novisad):
    _log(START, "a", "ENTERQUEUE")
    _log(START + timedelta(hours=1), "b", "ENTERQUEUE")

    assert statistics.report(START, START + timedelta(hours=1)).overall.offered == 1


def test_calls_through_the_acd_give_the_expected_figures(line, line_clock):
    # given Ana alone on a queue with a 20 s threshold
    queue, [ana] = line(agents=1, strategy="linear", wrapup_s=0, service_level_s=20)
    services.agent_login(agent=ana)

    def incoming(call_id, number):
        services.call_new(
            call_id=call_id, from_number=number, to_number=queue.number, direction="in"
        )

    # when c1 is answered after 4 s and talks 60 s; c2 waits for her 61 s and talks 30 s;
    # c3 gives up after 10 s; c4 is answered after 3 s and transferred after 30 s
    incoming("c1", "+381641000001")
    line_clock.advance(4)
    services.call_answer(call_id="c1", answering=ana.extension)
    line_clock.advance(1)
    incoming("c2", "+381641000002")
    line_clock.advance(59)
    services.call_hangup(call_id="c1")
    line_clock.advance(2)
    services.call_answer(call_id="c2", answering=ana.extension)
    line_clock.advance(4)
    incoming("c3", "+381641000003")
    line_clock.advance(10)
    services.call_hangup(call_id="c3", cause="cancel")
    line_clock.advance(16)
    services.call_hangup(call_id="c2", by="agent")
    line_clock.advance(4)
    incoming("c4", "+381641000004")
    line_clock.advance(3)
    services.call_answer(call_id="c4", answering=ana.extension)
    line_clock.advance(30)
    services.call_transfer(call_id="c4", to_number="+381214888888")

    # then
    found = statistics.report(START, line_clock.now + timedelta(seconds=1))
    figures = found.overall
    assert (figures.offered, figures.answered, figures.abandoned) == (4, 3, 1)
    assert figures.answered_within == 2
    assert figures.service_level == pytest.approx(2 / 3)
    assert figures.service_level_with_abandoned == 0.5
    assert figures.asa_s == pytest.approx((4 + 61 + 3) / 3)
    assert (figures.transferred, figures.talk_total_s, figures.average_talk_s) == (1, 120, 40)
    assert (figures.longest_wait_s, figures.abandoned_mean_wait_s) == (61, 10)
    assert figures.abandonment_rate == 0.25
    agent = found.agents[ana.queue_log_name]
    assert (agent.handled, agent.talk_total_s) == (3, 120)


# Intervals -----------------------------------------------------------------------------


def test_hours_are_the_citys_hours(novisad, settings):
    settings.TIME_ZONE = "Europe/Belgrade"
    # 07:59:59.5 UTC is 08:59 in Novi Sad; 08:00 UTC is 09:00.
    _log(datetime(2026, 11, 23, 7, 59, 59, 500_000, tzinfo=UTC), "a", "ENTERQUEUE")
    _log(datetime(2026, 11, 23, 8, 0, tzinfo=UTC), "b", "ENTERQUEUE")
    _log(datetime(2026, 11, 23, 8, 0, tzinfo=UTC), "b", "CONNECT", 0, "b", 1)

    rows = statistics.by_interval(date(2026, 11, 23), date(2026, 11, 24), "hour")

    assert len(rows) == 24
    assert rows[8].start.hour == 8 and rows[8].start.utcoffset() == timedelta(hours=1)
    assert [(r.start.hour, r.figures.offered) for r in rows if r.figures.offered] == [
        (8, 1),
        (9, 1),
    ]
    assert rows[9].figures.service_level == 1
    assert sum(r.figures.offered for r in rows) == 2


def test_days_start_at_the_citys_midnight_and_weeks_on_monday(novisad):
    # 23:30 UTC on Monday 23 November is 00:30 on Tuesday in Novi Sad.
    _log(datetime(2026, 11, 23, 23, 30, tzinfo=UTC), "a", "ENTERQUEUE")
    _log(datetime(2026, 11, 29, 22, 59, tzinfo=UTC), "b", "ENTERQUEUE")  # Sunday 23:59

    days = statistics.by_interval(date(2026, 11, 23), date(2026, 11, 30), "day")
    weeks = statistics.by_interval(date(2026, 11, 25), date(2026, 12, 7), "week")

    assert [d.figures.offered for d in days] == [0, 1, 0, 0, 0, 0, 1]
    assert days[1].start == datetime(2026, 11, 23, 23, 0, tzinfo=UTC)
    assert [(w.start.date(), w.figures.offered) for w in weeks] == [
        (date(2026, 11, 23), 1),  # the 24th is before the period's start: not counted
        (date(2026, 11, 30), 0),
    ]


def test_a_day_with_the_clocks_going_back_has_25_hours(db):
    rows = statistics.by_interval(date(2026, 10, 25), date(2026, 10, 26), "hour")

    assert len(rows) == 25
    assert rows[2].start.hour == rows[3].start.hour == 2  # 02:00 summer time, then winter


def test_intervals_of_one_queue(novisad):
    ten_calls()
    ten_calls(queue="vodovod")

    [row] = statistics.by_interval(START, START + timedelta(hours=1), "hour", queue=novisad)

    assert (row.figures.queue, row.figures.offered, row.figures.answered) == ("novisad", 10, 8)


def test_an_unknown_interval_is_refused(db):
    with pytest.raises(ValueError, match="hour, day, week"):
        statistics.by_interval(START, START + timedelta(hours=1), "month")
