"""The whole flow as people do it: the operator registers a phone case, the officer of the
routed body resolves it, and the operator's open page shows it without a reload."""

import re

import pytest
from playwright.sync_api import expect

from civicline.cases.models import Case, Status
from tests.conftest import PASSWORD

pytestmark = pytest.mark.e2e


def log_in(browser, server, user):
    page = browser.new_context(locale="en-US").new_page()
    page.goto(f"{server}/accounts/login/")
    page.fill("[name=username]", user.username)
    page.fill("[name=password]", PASSWORD)
    page.click("button[type=submit]")
    return page


def test_a_phone_case_from_registration_to_resolution(city, server, browser):
    # given the operator takes a call
    operator = log_in(browser, server, city.operator)
    operator.goto(f"{server}/desk/")
    operator.fill("[name=phone]", "064 765 4321")
    operator.fill("[name=name]", "Милица Јанковић")
    operator.check("[name=consent_to_contact]")
    operator.select_option("[name=kind]", "complaint")
    operator.fill("[name=q]", "ulicna rasv")
    expect(operator.locator("#id_category option")).to_have_count(1)
    operator.select_option("#id_category", str(city.street_light.pk))
    operator.fill("[name=description]", "Не ради светиљка код улаза у школу.")
    operator.fill("[name=address]", "Змај Јовина 3")
    operator.click("button.primary")

    # then the case is registered and routed to the lighting company
    expect(operator).to_have_url(re.compile(r"/cases/\d{4}-\d{6}/$"))
    reference = operator.url.rstrip("/").rsplit("/", 1)[1]
    case = Case.objects.get(reference=reference)
    assert case.organisation == city.lighting
    badge = operator.locator(f'[data-live-status="{reference}"]').first
    expect(badge).to_have_text("Registered")
    operator.evaluate("window.notReloaded = true")

    # when the lighting officer opens the workstation, the case is there, without the caller
    officer = log_in(browser, server, city.lighting_officer)
    officer.goto(f"{server}/work/")
    officer.click(f"text={reference}")
    html = officer.content()
    for phone in ["+381647654321", "+381 64 7654321", "064 765 4321", "647654321"]:
        assert phone not in html
    assert "Милица Јанковић" not in html

    # and accepts it, starts work and resolves it
    officer.click("button[value=assigned]")
    officer.click("button[value=in_progress]")
    officer.fill("textarea[name=note]", "Замењена светиљка.")
    officer.click("button[value=resolved]")
    expect(officer.locator(".message")).to_contain_text("Resolved")

    # then the operator's open page says "Resolved" without a reload
    expect(badge).to_have_text("Resolved", timeout=5000)
    expect(operator.locator("#timeline")).to_contain_text("Замењена светиљка.", timeout=5000)
    assert operator.evaluate("window.notReloaded") is True
    case.refresh_from_db()
    assert case.status == Status.RESOLVED


def test_the_supervisor_sees_changes_live_on_the_list(city, server, browser, register):
    case = register()
    supervisor = log_in(browser, server, city.supervisor)
    supervisor.goto(f"{server}/supervisor/")
    badge = supervisor.locator(f'[data-live-status="{case.reference}"]')
    expect(badge).to_have_text("Registered")

    from civicline.cases.services import case_change_status

    case_change_status(case=case, to=Status.ASSIGNED, actor=city.lighting_officer)

    expect(badge).to_have_text("Assigned", timeout=3000)


def test_a_known_caller_is_recognised_by_number(city, server, browser, register):
    earlier = register(phone="+381641234567")
    operator = log_in(browser, server, city.operator)
    operator.goto(f"{server}/desk/")

    operator.fill("[name=phone]", "064 123 45 67")

    expect(operator.locator("#caller")).to_contain_text(earlier.reference)
    expect(operator.locator("[name=name]")).to_have_value("Петар Петровић")
