"""Sonja's call reports: the week's queue figures by hour, day or week, on a page with
charts and as CSV or XLSX, with the figures telephony.statistics reads from queue_log."""

import csv
import io
import json
import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import openpyxl
import pytest

from civicline import clock
from civicline.telephony.models import Agent, Queue
from tests.telephony import queue_logs
from tests.telephony.queue_logs import log_line

BELGRADE = ZoneInfo("Europe/Belgrade")
# Wednesday of the week 16-22 November 2026, 9 o'clock in the city.
WEDNESDAY_9 = datetime(2026, 11, 18, 9, 0, tzinfo=BELGRADE)
WEEK = {"date_from": "2026-11-16", "date_to": "2026-11-22"}


_log = log_line


def ten_calls(queue="novisad", at=WEDNESDAY_9, agents=("PJSIP/101", "PJSIP/102")):
    queue_logs.ten_calls(queue, at, agents)


@pytest.fixture
def novisad(db):
    return Queue.objects.create(name="novisad", label="Novi Sad", service_level_s=20)


@pytest.fixture
def sonja(city, login):
    return login(city.supervisor)


def _text(html: str, element_id: str) -> str:
    found = re.search(rf'id="{element_id}"[^>]*>([^<]*)<', html)
    assert found, element_id
    return found.group(1).strip()


def _sections(content: bytes) -> dict[str, list[list[str]]]:
    """The CSV's sections by title: each a header and rows."""
    assert content.startswith(b"\xef\xbb\xbf")  # Excel reads the Cyrillic right
    sections, current = {}, None
    for row in csv.reader(io.StringIO(content.decode("utf-8-sig"))):
        if not row:
            current = None
        elif current is None:
            current = sections[row[0]] = []
        else:
            current.append(row)
    return sections


# The page ------------------------------------------------------------------------------


def test_it_shows_the_weeks_figures_as_asterisk_defines_them(novisad, sonja):
    # given: ten calls on Wednesday, one of them a callback chosen, one ringing unanswered
    ten_calls()
    _log(WEDNESDAY_9, "cb", "ENTERQUEUE", "", "+381641111111")
    _log(WEDNESDAY_9 + timedelta(seconds=70), "cb", "EXITWITHKEY", "5", 1, 1, 70)

    # when
    response = sonja.get("/dashboard/calls/", {**WEEK, "interval": "day"})

    # then
    assert response.status_code == 200
    page = response.content.decode()
    assert _text(page, "figure-offered") == "11"
    assert _text(page, "figure-answered") == "8"
    assert _text(page, "figure-abandoned") == "2"
    assert _text(page, "figure-service-level") == "75.0 %"  # 6 of 8 answered
    assert _text(page, "figure-service-level-with-abandoned") == "60.0 %"  # 6 of 8 + 2
    assert _text(page, "figure-asa") == "0:16"  # 125 s / 8
    assert _text(page, "figure-talk") == "1:35"  # (60 + ... + 130) / 8
    assert _text(page, "figure-abandonment-rate") == "18.2 %"  # 2 of 11
    assert _text(page, "figure-longest-wait") == "1:10"
    assert _text(page, "figure-callbacks") == "1"
    assert _text(page, "figure-transferred") == "1"
    assert "within 20 s (the queue's threshold)" in page


def test_it_lists_every_day_of_the_week_the_quiet_ones_too(novisad, sonja):
    ten_calls()

    response = sonja.get("/dashboard/calls/", {**WEEK, "interval": "day"})

    rows = response.context["tables"]["intervals"].rows
    assert [row.label for row in rows] == [f"11/{day}/2026" for day in range(16, 23)]
    offered = [row.cells[2].value for row in rows]
    assert offered == [0, 0, 10, 0, 0, 0, 0]
    chart = json.loads(_json_script(response.content.decode(), "call-report-chart"))
    assert chart["offered"] == offered and chart["answered"][2] == 8
    assert chart["service_level"][2] == 75.0 and chart["service_level"][0] is None
    assert chart["service_level_with_abandoned"][2] == 60.0


def _json_script(html: str, element_id: str) -> str:
    found = re.search(rf'<script id="{element_id}" type="application/json">(.*?)</script>', html)
    assert found, element_id
    return found.group(1)


def test_hours_are_the_citys_hours_and_a_call_counts_in_the_hour_it_happened(novisad, sonja):
    ten_calls()

    response = sonja.get(
        "/dashboard/calls/",
        {"date_from": "2026-11-18", "date_to": "2026-11-18", "interval": "hour"},
    )

    rows = response.context["tables"]["intervals"].rows
    assert len(rows) == 24
    assert rows[9].label == "11/18/2026 09:00"
    assert [row.cells[2].value for row in rows if row.cells[2].value] == [10]


def test_the_autumn_clock_change_gives_a_day_of_25_hours(novisad, sonja):
    response = sonja.get(
        "/dashboard/calls/",
        {"date_from": "2026-10-25", "date_to": "2026-10-25", "interval": "hour"},
    )

    labels = [row.label for row in response.context["tables"]["intervals"].rows]
    assert len(labels) == 25
    assert labels[2:4] == ["10/25/2026 02:00 CEST", "10/25/2026 02:00 CET"]


def test_weeks_start_on_monday_and_count_only_the_days_asked_for(novisad, sonja):
    # given: calls on Wednesday the 18th and on Monday the 30th
    ten_calls()
    ten_calls(at=datetime(2026, 11, 30, 10, 0, tzinfo=BELGRADE))

    # when: from Thursday the 19th
    response = sonja.get(
        "/dashboard/calls/",
        {"date_from": "2026-11-19", "date_to": "2026-11-30", "interval": "week"},
    )

    # then
    rows = response.context["tables"]["intervals"].rows
    assert [row.label for row in rows] == [
        "11/19/2026 – 11/22/2026",
        "11/23/2026 – 11/29/2026",
        "11/30/2026",
    ]
    assert [row.cells[2].value for row in rows] == [0, 0, 10]


def test_each_queue_and_each_agent_has_a_row_agents_by_their_names(city, novisad, sonja):
    # given: Olga takes calls on extension 101; 102 is a seat civicline doesn't know
    Agent.objects.create(user=city.operator, extension="101")
    Queue.objects.create(name="water", label="Water line", service_level_s=30)
    ten_calls()
    ten_calls(queue="water", at=WEDNESDAY_9 + timedelta(hours=2))
    ten_calls(queue="pbx-only", at=WEDNESDAY_9 + timedelta(hours=4))
    _log(WEDNESDAY_9, "x", "RINGNOANSWER", 15000, agent="PJSIP/101")

    # when
    response = sonja.get("/dashboard/calls/", WEEK)

    # then
    tables = response.context["tables"]
    queues = {row.cells[0].value: row.cells for row in tables["queues"].rows}
    assert list(queues) == ["novisad", "pbx-only", "water", ""]  # the last: all together
    assert queues["water"][1].value == "Water line" and queues["water"][2].value == 30
    assert queues["water"][5].value == 7  # within 30 s: holds up to 25
    assert queues["pbx-only"][2].value == 20  # the default threshold
    assert queues[""][1].value == "All queues" and queues[""][3].value == 30  # offered
    agents = {row.cells[0].value: row.cells for row in tables["agents"].rows}
    assert list(agents) == ["Olga", "PJSIP/102"]
    olga = [cell.value for cell in agents["Olga"]]
    # 12 calls handled (4 per queue), talk 60+80+100+120 per queue, one unanswered ring
    assert olga == ["Olga", "PJSIP/101", 12, 3 * 360, 90.0, 1]
    page = response.content.decode()
    assert "Olga" in page and "Water line" in page
    assert "answered within their queue's threshold" in page


def test_one_queue_is_reported_alone(novisad, sonja):
    Queue.objects.create(name="water", label="Water line", service_level_s=30)
    ten_calls()
    ten_calls(queue="water")

    response = sonja.get("/dashboard/calls/", {**WEEK, "queue": "water"})

    page = response.content.decode()
    assert _text(page, "figure-offered") == "10"
    assert _text(page, "figure-service-level") == "87.5 %"  # 7 of 8 within 30 s
    assert [row.cells[0].value for row in response.context["tables"]["queues"].rows] == ["water"]
    assert "within 30 s" in page


def test_without_filters_it_shows_the_last_seven_days_by_day(novisad, sonja):
    ten_calls()

    with clock.frozen_at(datetime(2026, 11, 22, 18, 0, tzinfo=BELGRADE)):
        response = sonja.get("/dashboard/calls/")

    query = response.context["report"].query
    assert (query.first_day.isoformat(), query.last_day.isoformat()) == tuple(WEEK.values())
    assert query.interval == "day" and query.queue is None
    assert len(response.context["tables"]["intervals"].rows) == 7
    assert (
        'href="?date_from=2026-11-16&amp;date_to=2026-11-22&amp;interval=day&amp;queue=&amp;format=csv"'
        in response.content.decode()
    )


def test_a_week_without_calls_shows_dashes_not_zeros_per_cent(novisad, sonja):
    page = sonja.get("/dashboard/calls/", WEEK).content.decode()

    assert _text(page, "figure-offered") == "0"
    assert _text(page, "figure-service-level") == "—"
    assert "No calls in this period." in page


def test_the_page_loads_chart_js_from_civicline_itself(novisad, sonja):
    page = sonja.get("/dashboard/calls/", WEEK).content.decode()

    assert '<script src="/static/vendor/chartjs-4.6.1/chart.umd.js" defer>' in page
    assert '<script src="/static/dashboard/call_reports.js" defer>' in page
    assert "https://" not in page.split("<body")[0]


# Exports ------------------------------------------------------------------------------


def test_the_csv_has_the_intervals_then_the_queues_then_the_agents(novisad, sonja):
    ten_calls()

    response = sonja.get("/dashboard/calls/", {**WEEK, "format": "csv"})

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert (
        response["Content-Disposition"] == 'attachment; filename="calls-2026-11-16-2026-11-22.csv"'
    )
    sections = _sections(response.content)
    assert list(sections) == ["Calls by day", "Calls by queue", "Calls by agent"]
    header, *days = sections["Calls by day"]
    assert header[:4] == ["From", "To", "Offered", "Answered"]
    assert "Average speed of answer (s)" in header and "Service level" in header
    assert len(days) == 7
    wednesday = dict(zip(header, days[2], strict=True))
    assert wednesday["From"] == "2026-11-18T00:00+01:00"
    assert wednesday["To"] == "2026-11-19T00:00+01:00"
    assert (wednesday["Offered"], wednesday["Answered"], wednesday["Abandoned"]) == ("10", "8", "2")
    assert wednesday["Service level"] == "0.75"
    assert wednesday["Service level with abandoned"] == "0.6"
    assert wednesday["Average speed of answer (s)"] == "15.6"
    assert wednesday["Abandonment rate"] == "0.2"
    assert dict(zip(header, days[0], strict=True))["Service level"] == ""  # no calls
    header, novisad_row = sections["Calls by queue"]
    assert dict(zip(header, novisad_row, strict=True))["Threshold (s)"] == "20"
    header, *agents = sections["Calls by agent"]
    assert header == ["Agent", "Queue member", "Calls handled", "Talk time in all (s)",
                      "Average talk time (s)", "Rang unanswered"]  # fmt: skip
    assert agents[0] == ["PJSIP/101", "PJSIP/101", "4", "360", "90.0", "0"]


def test_the_xlsx_opens_and_holds_numbers_with_rates_as_percentages(novisad, sonja):
    ten_calls()

    response = sonja.get("/dashboard/calls/", {**WEEK, "queue": "novisad", "format": "xlsx"})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert (
        response["Content-Disposition"]
        == 'attachment; filename="calls-novisad-2026-11-16-2026-11-22.xlsx"'
    )
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Calls by day", "Calls by queue", "Calls by agent"]
    sheet = book["Calls by day"]
    header = [cell.value for cell in sheet[1]]
    wednesday = {name: cell for name, cell in zip(header, sheet[4], strict=True)}
    assert sheet.max_row == 8
    assert wednesday["From"].value == datetime(2026, 11, 18, 0, 0)
    assert wednesday["Offered"].value == 10 and isinstance(wednesday["Offered"].value, int)
    assert wednesday["Service level"].value == 0.75
    assert wednesday["Service level"].number_format == "0.0%"
    assert wednesday["Service level with abandoned"].value == 0.6
    assert wednesday["Average speed of answer (s)"].value == 15.625
    assert wednesday["Longest wait (s)"].value == 50
    assert {name: cell.value for name, cell in zip(header, sheet[2], strict=True)}[
        "Service level"
    ] is None
    agents = book["Calls by agent"]
    assert [cell.value for cell in agents[2]] == ["PJSIP/101", "PJSIP/101", 4, 360, 90, 0]


def test_a_name_that_looks_like_a_formula_stays_text(novisad, sonja):
    formula = '=HYPERLINK("http://example.org","x")'
    _log(WEDNESDAY_9, "f", "CONNECT", 5, "f", 1, agent=formula)

    sheet = openpyxl.load_workbook(
        io.BytesIO(sonja.get("/dashboard/calls/", {**WEEK, "format": "xlsx"}).content)
    )["Calls by agent"]
    sections = _sections(sonja.get("/dashboard/calls/", {**WEEK, "format": "csv"}).content)

    assert sheet["A2"].value == formula and sheet["A2"].data_type == "s"
    assert sections["Calls by agent"][1][0] == "'" + formula


# Who may see it, and what it refuses ------------------------------------------------------


@pytest.mark.parametrize("persona", ["operator", "lighting_officer", "field_worker"])
def test_it_refuses_staff_who_are_not_supervisors(city, login, persona):
    client = login(getattr(city, persona))

    for query in ("", "?format=csv", "?format=xlsx"):
        assert client.get(f"/dashboard/calls/{query}").status_code == 403, query


def test_it_sends_the_signed_out_to_sign_in(client, city):
    for query in ("", "?format=xlsx"):
        response = client.get(f"/dashboard/calls/{query}")
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_supervisor_finds_the_reports_in_the_navigation(city, login):
    assert 'href="/dashboard/calls/"' in login(city.supervisor).get("/supervisor/").content.decode()
    assert 'href="/dashboard/calls/"' not in login(city.operator).get("/desk/").content.decode()


@pytest.mark.parametrize(
    "params, message",
    [
        ({"date_from": "2026-13-45"}, "Enter a valid date."),
        ({"date_from": "2026-11-22", "date_to": "2026-11-16"}, "The period ends before it starts."),
        ({"date_from": "0001-01-01"}, "Choose a date between 01.01.2000 and 31.12.2099."),
        ({"date_to": "9999-12-31"}, "Choose a date between 01.01.2000 and 31.12.2099."),
        (
            {"date_from": "2026-01-01", "date_to": "2026-02-01", "interval": "hour"},
            "A report by hour covers at most 31 days",
        ),
        (
            {"date_from": "2025-01-01", "date_to": "2026-11-22", "interval": "day"},
            "A report by day covers at most 366 days",
        ),
        ({"interval": "minute"}, "Select a valid choice."),
        ({"queue": "nowhere"}, "There is no such queue."),
        ({"date_from": ""}, "This field is required."),
        ({"format": "pdf"}, "A report is exported as CSV or XLSX."),
    ],
)
def test_it_refuses_bad_filters_with_a_message(novisad, sonja, params, message):
    for export in ("", "csv", "xlsx"):
        query = {**WEEK, "format": export, **params}
        response = sonja.get("/dashboard/calls/", query)
        assert response.status_code == 400, query
        assert response["Content-Type"].startswith("text/html")
        assert message in response.content.decode(), query


def test_a_year_by_hour_is_refused_before_it_is_read(novisad, sonja, django_assert_max_num_queries):
    with django_assert_max_num_queries(10):
        response = sonja.get(
            "/dashboard/calls/",
            {"date_from": "2025-01-01", "date_to": "2025-12-31", "interval": "hour"},
        )
    assert response.status_code == 400
