"""The staffing planner: Sonja plans tomorrow's operators from the calls she expects."""

import csv
import io
import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from civicline import clock
from civicline.telephony.models import Queue, QueueLogEntry

URL = "/dashboard/planner/"
# The textbook half hour: 100 calls of 3 minutes, 80 % to be answered within 20 s.
TEXTBOOK = {
    "interval": "30",
    "calls": "100",
    "aht": "180",
    "service_level": "80",
    "answer_time": "20",
    "shrinkage": "0",
    "occupancy": "100",
}
NOVI_SAD = ZoneInfo("Europe/Belgrade")


def table(page: str) -> list[list[str]]:
    """The plan's rows, each a list of its cells' text."""
    body = re.search(r"<tbody>(.*?)</tbody>", page, re.S).group(1)
    return [
        [
            re.sub(r"\s+", " ", cell).strip()
            for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        ]
        for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)
    ]


@pytest.fixture
def planner(city, login):
    client = login(city.supervisor)

    def _planner(**params):
        return client.get(URL, {**TEXTBOOK, **params})

    return _planner


def test_it_staffs_the_textbook_half_hour(planner):
    # when
    response = planner()

    # then: 14 agents answer 88.8 % within 20 s, after 7.8 s on average
    assert response.status_code == 200
    page = response.content.decode()
    assert table(page) == [["07:30", "100", "10.00", "14", "14", "88.8 %", "7.8 s", "71.4 %"]]
    assert "Plan by Erlang C" in page and "Abandoned" not in page


def test_it_adds_shrinkage_to_the_roster(planner):
    page = planner(shrinkage="30").content.decode()

    [row] = table(page)
    assert row[3:5] == ["14", "20"]
    assert re.search(r'id="peak-scheduled">20<', page)


def test_it_plans_several_intervals_with_totals(planner):
    # given: Novi Sad's morning, half an hour at a time
    page = planner(calls="40\n100, 60", start="07:30", shrinkage="30").content.decode()

    # then
    rows = table(page)
    assert [row[0] for row in rows] == ["07:30", "08:00", "08:30"]
    assert [row[1] for row in rows] == ["40", "100", "60"]
    assert re.search(r'id="peak-agents">14<', page)
    scheduled = sum(int(row[4]) for row in rows)
    assert re.search(rf'id="agent-hours">{scheduled / 2:g}<', page)
    assert page.count('class="agents"') == 3  # a bar each in the chart


def test_it_reads_times_and_fills_the_intervals_left_out(planner):
    page = planner(calls="08:00 10\n09:00\t20", start="07:30").content.decode()

    rows = table(page)
    assert [(row[0], row[1], row[3]) for row in rows] == [
        ("08:00", "10", "3"),
        ("08:30", "0", "0"),
        ("09:00", "20", "4"),
    ]


def test_callers_who_hang_up_make_it_erlang_a(planner):
    # given: callers wait two minutes on average before they give up
    page = planner(patience="120").content.decode()

    # then: the abandonment column appears; those who hang up leave the queue shorter,
    # so 12 agents reach the target that takes 14 when nobody hangs up
    assert "Plan by Erlang A" in page and "Abandoned" in page
    [row] = table(page)
    assert row == ["07:30", "100", "10.00", "12", "12", "82.6 %", "6.3 s", "6.2 %", "78.2 %"]


def test_it_averages_a_queues_past_mondays(city, login):
    # given: Monday 30 November 2026, 10:00 in Novi Sad; calls on the four Mondays before
    Queue.objects.create(name="novisad", label="Novi Sad")
    now = datetime(2026, 11, 30, 10, 0, tzinfo=NOVI_SAD)

    def enter(day, hour, minute, count, *, queue="novisad", event="ENTERQUEUE"):
        at = datetime(2026, day[0], day[1], hour, minute, tzinfo=NOVI_SAD)
        for i in range(count):
            QueueLogEntry.objects.create(
                time=(at + timedelta(seconds=i)).astimezone(UTC),
                call_id=f"{queue}-{at:%m%d%H%M}-{i}-{event}",
                queue=queue,
                agent="NONE",
                event=event,
            )

    for day, count in [((11, 23), 4), ((11, 16), 6), ((11, 9), 8), ((11, 2), 2)]:
        enter(day, 7, 40, count)  # 20 calls at 7:30-8:00 over four Mondays: 5 a Monday
    enter((11, 23), 8, 10, 3)  # 8:00-8:30: 3 calls in four weeks, 0.75 a Monday
    enter((11, 23), 7, 29, 9)  # before the first interval
    enter((11, 23), 8, 30, 9)  # after the last
    enter((10, 26), 7, 40, 9)  # five Mondays back
    enter((11, 24), 7, 40, 9)  # a Tuesday
    enter((11, 30), 7, 40, 9)  # today, not over yet
    enter((11, 23), 7, 40, 9, queue="other")
    enter((11, 23), 7, 40, 9, event="CONNECT")
    client = login(city.supervisor)
    params = {**TEXTBOOK, "calls": "", "source": "history", "queue": "novisad",
              "weekday": "0", "weeks": "4", "start": "07:30", "until": "08:30"}  # fmt: skip

    # when
    with clock.frozen_at(now):
        response = client.get(URL, params)
        exported = client.get(URL, {**params, "format": "csv"})

    # then
    assert response.status_code == 200
    page = response.content.decode()
    assert [row[:2] for row in table(page)] == [["07:30", "5"], ["08:00", "0.75"]]
    assert "Mon 23.11.2026, Mon 16.11.2026, Mon 09.11.2026, Mon 02.11.2026" in page
    lines = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert [line[:2] for line in lines[1:]] == [["07:30", "5"], ["08:00", "0.75"]]


def test_it_downloads_the_table_as_csv(planner):
    response = planner(shrinkage="30", format="csv")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="staffing-plan.csv"' in response["Content-Disposition"]
    lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert lines[0] == ["Start", "Calls", "Traffic (Erlangs)", "Agents needed",
                        "Scheduled with shrinkage", "Service level (%)", "ASA (s)",
                        "Occupancy (%)"]  # fmt: skip
    assert lines[1] == ["07:30", "100", "10.000", "14", "20", "88.84", "7.84", "71.43"]


def test_the_csv_of_an_erlang_a_plan_has_the_abandonment(planner):
    response = planner(patience="120", format="csv")

    lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert "Abandoned (%)" in lines[0] and len(lines[1]) == len(lines[0]) == 9


def test_the_first_visit_shows_the_defaults_and_no_plan(city, login):
    response = login(city.supervisor).get(URL)

    assert response.status_code == 200
    page = response.content.decode()
    assert 'value="07:30"' in page and 'id="staffing-plan"' not in page


def test_a_short_link_takes_the_defaults_for_the_rest(city, login):
    response = login(city.supervisor).get(URL, {"calls": "100"})

    # 80 % in 20 s, 180 s, at most 85 % busy, 30 % shrinkage
    assert response.status_code == 200
    [row] = table(response.content.decode())
    assert row[3:5] == ["14", "20"]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"calls": "100\n-5"}, "Line 2: the number of calls cannot be negative (-5)."),
        ({"calls": "100\nabc"}, "Line 2: “abc” is not a number of calls."),
        ({"calls": "nan"}, "Line 1: “nan” is not a number of calls."),
        ({"calls": ""}, "Enter the expected calls, one interval a line."),
        ({"calls": "100001"}, "more than the planner takes (100000)"),
        ({"calls": "08:00 5\n07:30 5"}, "does not come after the line before it"),
        ({"calls": "08:00 5\n08:15 5"}, "08:15 is not a whole number of 30-minute intervals"),
        ({"calls": "08:00 5\n9"}, "Line 2 has no time"),
        ({"calls": "25:00 5"}, "25:00 is not a time of day"),
        ({"calls": "1\n" * 500}, "one day at most: 48 intervals of 30 minutes, not 500"),
        ({"aht": "0"}, "Enter a number from 1 to 14400."),
        ({"aht": "three minutes"}, "Enter a number."),
        ({"service_level": "120"}, "Enter a number above 0 and below 100."),
        ({"service_level": "100"}, "Enter a number above 0 and below 100."),
        ({"answer_time": "-1"}, "Enter a number from 0 to 3600."),
        ({"shrinkage": "95"}, "Enter a number from 0 to 90."),
        ({"occupancy": "0"}, "Enter a number from 10 to 100."),
        ({"patience": "0"}, "Enter a number from 1 to 600."),
        ({"patience": "inf"}, "Enter a number."),
        ({"interval": "20"}, "Select a valid choice."),
        ({"start": "31:00"}, "Enter a valid time."),
        ({"calls": "100000", "aht": "3600"}, "the planner goes up to 1000 Erlangs an interval"),
        ({"calls": "2500", "patience": "60"}, "with a patience (Erlang A) the planner goes up to"),
        ({"calls": "1500", "occupancy": "10", "aht": "1000"}, "more than 2000 agents"),
        ({"source": "history"}, "Queue: Needed for a plan from history."),
        ({"source": "history", "queue": "nowhere"}, "Select a valid choice."),
        ({"source": "elsewhere"}, "Select a valid choice."),
    ],
)
def test_bad_input_is_refused_with_a_reason(planner, params, message):
    response = planner(**params)

    assert response.status_code == 400
    page = response.content.decode()
    assert message in page.replace("&quot;", '"').replace("&#x27;", "'")
    assert 'id="staffing-plan"' not in page


def test_a_refused_csv_shows_the_form_instead(planner):
    response = planner(aht="0", format="csv")

    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")


def test_the_history_plan_needs_its_last_interval_after_its_first(city, login):
    Queue.objects.create(name="novisad", label="Novi Sad")
    response = login(city.supervisor).get(
        URL, {"source": "history", "queue": "novisad", "start": "15:30", "until": "07:30"}
    )

    assert response.status_code == 400
    assert "The last interval must end after the first one starts." in response.content.decode()


@pytest.mark.parametrize("language", ["sr", "sr-latn", "bg", "uk"])
def test_it_renders_in_every_language(city, login, language):
    client = login(city.supervisor)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = language

    assert client.get(URL, {**TEXTBOOK, "patience": "120"}).status_code == 200
    assert client.get(URL, {**TEXTBOOK, "aht": "x"}).status_code == 400


@pytest.mark.parametrize("persona", ["operator", "lighting_officer", "field_worker"])
def test_it_refuses_staff_who_are_not_supervisors(city, login, persona):
    assert login(getattr(city, persona)).get(URL, TEXTBOOK).status_code == 403


def test_it_sends_the_signed_out_to_sign_in(client, city):
    response = client.get(URL, TEXTBOOK)

    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_supervisor_finds_the_planner_in_the_navigation(city, login):
    assert (
        'href="/dashboard/planner/"' in login(city.supervisor).get("/supervisor/").content.decode()
    )
    assert 'href="/dashboard/planner/"' not in login(city.operator).get("/desk/").content.decode()
