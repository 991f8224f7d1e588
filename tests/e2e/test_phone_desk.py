"""A call rings at Olga's seat: her desk shows who is calling and their earlier case, she
registers the new case on the call and transfers the caller to the water utility; the
supervisor's wallboard follows it all."""

import re
import time

import pytest
from playwright.sync_api import expect

from civicline.telephony.models import Agent, Call, Command, Queue, QueueMember
from civicline.telephony.services import cti_token_create
from civicline.telephony.simulator import HttpBridge
from tests.conftest import CITIZEN_PHONE
from tests.e2e.test_case_flow import log_in

pytestmark = pytest.mark.e2e


def test_a_call_pops_the_history_is_registered_and_transferred(city, server, browser, register):
    earlier = register(city.street_light, description="Светиљка не ради већ недељу дана.")
    queue = Queue.objects.create(name="novisad", label="Нови Сад", number="+381800100200",
                                 wrapup_s=5)  # fmt: skip
    seat = Agent.objects.create(user=city.operator, extension="201")
    QueueMember.objects.create(queue=queue, agent=seat)
    pbx = HttpBridge(server, cti_token_create(name="FreePBX")[1], simulated_time=False)

    # given Olga at her desk, logged in to the queue, and Sonja watching the wallboard
    olga = log_in(browser, server, city.operator)
    olga.goto(f"{server}/desk/")
    olga.click("text=Log in to the queues")
    expect(olga.locator("#agent-state")).to_have_text("Available")
    sonja = log_in(browser, server, city.supervisor)
    sonja.goto(f"{server}/dashboard/wallboard/")
    expect(sonja.locator('tr[data-agent="201"]')).to_contain_text("Available")

    # when the citizen calls the line
    status, body = pbx.post("", {"event": "newCall", "from": CITIZEN_PHONE[1:],
                                 "to": "381800100200", "direction": "in", "callId": "pbx-1"},
                            at=None)  # fmt: skip
    rang = time.monotonic()
    assert status == 200 and body["commands"][0] == {
        "action": "dial", "callId": "pbx-1", "to": "201", "queue": "novisad",
        "from": CITIZEN_PHONE[1:],
    }  # fmt: skip

    # then within a second Olga's desk shows the call and the caller's earlier case
    expect(olga.locator("#caller")).to_contain_text(earlier.reference, timeout=1000)
    popped = time.monotonic() - rang
    expect(olga.locator("#current-call")).to_contain_text("+381 64 1234567")
    assert olga.input_value("[name=phone]") == CITIZEN_PHONE
    print(f"caller's history on the desk {popped * 1000:.0f} ms after the call rang")
    # and the wallboard shows her phone ringing
    expect(sonja.locator('tr[data-agent="201"]')).to_contain_text("Ringing", timeout=2000)

    # when she picks up and registers what the caller says
    assert pbx.post("", {"event": "answer", "callId": "pbx-1", "answeringNumber": "201"},
                    at=None)[0] == 200  # fmt: skip
    expect(olga.locator("#agent-state")).to_have_text("On a call", timeout=2000)
    olga.select_option("[name=kind]", "complaint")
    olga.select_option("#id_category", str(city.water_pipe.pk))
    olga.fill("[name=description]", "Цев пукла у подруму зграде, вода надире.")
    olga.fill("[name=address]", "Футошка 12")
    olga.click("button.primary")
    expect(olga).to_have_url(re.compile(r"/cases/\d{4}-\d{6}/$"))
    reference = olga.url.rstrip("/").rsplit("/", 1)[1]

    # and transfers the caller to the water utility from her desk
    olga.goto(f"{server}/desk/")
    olga.select_option("#current-call select[name=organisation]", str(city.water.pk))
    olga.click("#current-call button:has-text('Transfer')")
    expect(olga.locator("#agent-state")).to_contain_text("Wrap-up", timeout=2000)

    # then the PBX is told to transfer, the call carries the case, the case the transfer
    transfer = Command.objects.get(action="transfer")
    assert transfer.call_id == "pbx-1" and transfer.payload["to"] == "+381214888888"
    call = Call.objects.get(call_id="pbx-1")
    assert [c.reference for c in call.cases.all()] == [reference]
    olga.goto(f"{server}/cases/{reference}/")
    expect(olga.locator("#timeline")).to_contain_text("Call transferred (blind) to +381214888888")
    # and the wallboard counts the call as answered today, with Olga in wrap-up
    expect(sonja.locator("#today")).to_contain_text("Answered", timeout=2000)
    expect(sonja.locator('tr[data-agent="201"] td').nth(5)).to_have_text("1", timeout=3000)
    assert popped < 1.0
