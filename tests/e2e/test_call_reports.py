"""Sonja reads last week's calls in a real browser: the charts draw from civicline's own
copy of Chart.js, and nothing is fetched from elsewhere."""

from datetime import timedelta
from urllib.parse import urlsplit

from playwright.sync_api import expect

from civicline.telephony.models import Queue
from tests.dashboard.test_call_reports import WEDNESDAY_9, ten_calls
from tests.e2e.test_case_flow import log_in


def test_a_supervisor_reads_the_weeks_calls_with_charts(city, server, browser):
    # given: a busy Wednesday morning and quieter days around it
    Queue.objects.create(name="novisad", label="Novi Sad", service_level_s=20)
    for day, hour in [(-2, 8), (-1, 10), (0, 0), (0, 3), (1, 9), (2, 13), (3, 11)]:
        ten_calls(at=WEDNESDAY_9 + timedelta(days=day, hours=hour))
    page = log_in(browser, server, city.supervisor)
    hosts = set()
    page.on("request", lambda request: hosts.add(urlsplit(request.url).hostname))

    # when she opens the reports from the navigation and asks for that week by day
    page.goto(f"{server}/supervisor/")
    page.get_by_role("link", name="Call reports").click()
    page.fill("[name=date_from]", "2026-11-16")
    page.fill("[name=date_to]", "2026-11-22")
    page.select_option("[name=interval]", "day")
    page.get_by_role("button", name="Show").click()

    # then the figures, a row per day and both charts drawn
    expect(page.locator("#figure-offered")).to_have_text("70")
    expect(page.locator("#call-report-intervals tbody tr")).to_have_count(7)
    for canvas in ("#call-report-volume", "#call-report-service"):
        drawn = page.locator(canvas).evaluate(
            "c => Chart.getChart(c) !== undefined && c.toDataURL().length > 5000"
        )
        assert drawn, canvas
    expect(page.locator("#call-report-chart-status")).to_be_empty()
    assert hosts == {"127.0.0.1"}

    # and the export is a download of the same week
    with page.expect_download() as download:
        page.get_by_role("link", name="Excel (XLSX)").click()
    assert download.value.suggested_filename == "calls-2026-11-16-2026-11-22.xlsx"
