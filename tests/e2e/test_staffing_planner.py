"""Sonja plans the operators for Novi Sad's line, 7:30 to 15:30, in a real browser."""

from playwright.sync_api import expect

from tests.e2e.test_case_flow import log_in

MORNING = "\n".join(["40", "65", "80", "95", "100", "90", "85", "70",
                     "75", "80", "70", "60", "55", "45", "35", "25"])  # fmt: skip


def test_a_supervisor_plans_a_day_of_operators(city, server, browser):
    # given
    page = log_in(browser, server, city.supervisor)

    # when she opens the planner from the navigation and types the calls she expects
    page.goto(f"{server}/supervisor/")
    page.get_by_role("link", name="Staffing planner").click()
    page.fill("[name=calls]", MORNING)
    page.fill("[name=patience]", "120")
    page.get_by_role("button", name="Plan").click()

    # then a row and a bar for each half hour, with the abandonment of Erlang A
    expect(page.locator("#staffing-plan h2")).to_contain_text("Erlang A")
    expect(page.locator("#staffing-plan tbody tr")).to_have_count(16)
    expect(page.locator(".planner-chart rect.agents")).to_have_count(16)
    expect(page.locator("#staffing-plan tbody tr").last).to_contain_text("15:00")
    assert "calls=" in page.url  # the plan is a link she can keep

    # and choosing the history shows its fields instead of the text area
    expect(page.locator("[name=queue]")).to_be_hidden()
    page.get_by_label("from a queue's history").check()
    expect(page.locator("[name=queue]")).to_be_visible()
    expect(page.locator("[name=calls]")).to_be_hidden()
