"""Olga's phone on the desk: her seat, the call ringing at it, the case she registers
during the call, the transfer to a department, click-to-call and missed calls."""

from datetime import timedelta

import pytest

from civicline.cases.models import EventKind
from civicline.telephony import services
from civicline.telephony.models import (
    Agent,
    AgentState,
    Call,
    Callback,
    Command,
    Queue,
    QueueLogEntry,
    QueueMember,
)
from tests.conftest import CITIZEN_PHONE

HX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def seat(city):
    queue = Queue.objects.create(name="novisad", label="Нови Сад", number="+381800100200")
    agent = Agent.objects.create(user=city.operator, extension="201")
    QueueMember.objects.create(queue=queue, agent=agent)
    return agent


def _ring(call_id="c1", number=CITIZEN_PHONE):
    services.call_new(
        call_id=call_id, from_number=number, to_number="+381800100200", direction="in"
    )


def test_without_a_seat_the_desk_says_how_to_get_one(city, login):
    page = login(city.operator).get("/desk/").content.decode()
    assert "You have no phone seat" in page


def test_log_in_pause_with_a_reason_and_come_back(city, seat, login):
    olga = login(city.operator)
    assert "Log in to the queues" in olga.get("/desk/").content.decode()

    olga.post("/desk/phone/login/", **HX)
    seat.refresh_from_db()
    assert seat.state == AgentState.AVAILABLE

    panel = olga.post("/desk/phone/pause/", {"reason": "training"}, **HX).content.decode()
    seat.refresh_from_db()
    assert seat.state == AgentState.PAUSED and "Paused: Training" in panel
    assert QueueLogEntry.objects.filter(event="PAUSE", data1="training").exists()

    olga.post("/desk/phone/unpause/", **HX)
    seat.refresh_from_db()
    assert seat.state == AgentState.AVAILABLE


def test_time_in_state_counts_only_while_logged_in(city, seat, login):
    olga = login(city.operator)
    assert "data-since-seconds" not in olga.get("/desk/phone/").content.decode()

    olga.post("/desk/phone/login/", **HX)
    assert "data-since-seconds" in olga.get("/desk/phone/").content.decode()


def test_a_pause_needs_a_reason(city, seat, login):
    olga = login(city.operator)
    olga.post("/desk/phone/login/", **HX)
    response = olga.post("/desk/phone/pause/", {"reason": "nap"}, **HX)
    assert response.status_code == 400 and "Choose why you pause." in response.content.decode()
    seat.refresh_from_db()
    assert seat.state == AgentState.AVAILABLE


def test_the_ringing_call_shows_and_the_case_registered_on_it_is_linked(city, seat, login):
    olga = login(city.operator)
    services.agent_login(agent=seat)
    _ring()
    panel = olga.get("/desk/phone/").content.decode()
    assert "Incoming call" in panel and "+381 64 1234567" in panel

    services.call_answer(call_id="c1", answering="201")
    response = olga.post(
        "/desk/",
        {
            "phone": CITIZEN_PHONE, "name": "Петар Петровић", "kind": "complaint",
            "channel": "phone", "category": city.street_light.pk, "language": "sr",
            "description": "Не ради светиљка испред зграде.", "address": "Змај Јовина 3",
        },
    )  # fmt: skip

    assert response.status_code == 302
    call = Call.objects.get(call_id="c1")
    [case] = call.cases.all()
    log = olga.get("/calls/").content.decode()
    assert case.reference in log and "+381 64 1234567" in log


def test_a_desk_that_connects_while_the_phone_rings_still_pops_the_caller(city, seat, settings):
    """The stream reconnects every minute; a ring in that gap must not go unseen."""
    from tests.desk.test_live import read_events

    settings.LIVE_STREAM_SECONDS = 0.2
    services.agent_login(agent=seat)
    _ring()

    [ring] = [e for e in read_events(city.operator, after=0) if "state" in e]
    assert (ring["state"], ring["citizen"], ring["call"]) == ("ringing", CITIZEN_PHONE, "c1")
    assert not [e for e in read_events(city.supervisor, after=0) if "state" in e]

    # On a call, a reconnecting desk is not redrawn under the operator's hands.
    services.call_answer(call_id="c1", answering="201")
    assert not [e for e in read_events(city.operator, after=0) if "state" in e]


def test_a_transfer_to_a_department_keeps_the_caller_and_is_written_on_the_case(
    city, seat, login, register
):
    olga = login(city.operator)
    services.agent_login(agent=seat)
    _ring()
    services.call_answer(call_id="c1", answering="201")
    case = register()
    services.link_case(call=Call.objects.get(call_id="c1"), case=case)

    olga.post("/desk/phone-transfer/", {"organisation": city.water.pk}, **HX)

    transfer = Command.objects.get(action="transfer")
    assert transfer.payload == {"to": "+381214888888", "kind": "blind"}
    assert QueueLogEntry.objects.get(event="BLINDTRANSFER").data1 == "+381214888888"
    note = case.events.filter(kind=EventKind.NOTE).last()
    assert "+381214888888" in note.note and not note.is_public
    assert Call.objects.get(call_id="c1").outcome == "transferred"


def test_a_transfer_without_a_call_or_a_number_is_refused(city, seat, login):
    olga = login(city.operator)
    services.agent_login(agent=seat)
    response = olga.post("/desk/phone-transfer/", {"organisation": city.water.pk}, **HX)
    assert response.status_code == 400 and "no call to transfer" in response.content.decode()
    # the sewer department has no number to transfer to
    response = olga.post("/desk/phone-transfer/", {"organisation": city.sewer.pk}, **HX)
    assert response.status_code == 400 and "with a number" in response.content.decode()
    assert not Command.objects.filter(action="transfer").exists()


def test_click_to_call(city, seat, login):
    olga = login(city.operator)
    response = olga.post("/desk/phone-dial/", {"number": "064 123 4567"}, **HX)
    assert response.status_code == 200
    command = Command.objects.get(action="originate")
    assert command.payload == {"from": "201", "to": "+381641234567"}

    response = olga.post("/desk/phone-dial/", {"number": "not a number"}, **HX)
    assert response.status_code == 400 and "is not a phone number" in response.content.decode()
    assert Command.objects.filter(action="originate").count() == 1


def test_a_caller_who_gave_up_waiting_is_on_the_missed_calls_list(city, seat, login):
    olga = login(city.operator)
    _ring()  # nobody logged in
    services.call_hangup(call_id="c1", cause="cancel")
    page = olga.get("/desk/").content.decode()
    assert "Missed calls to call back" in page and "+381 64 1234567" in page

    callback = Callback.objects.get()
    olga.post(f"/desk/missed/{callback.pk}/")
    callback.refresh_from_db()
    assert callback.done_by == city.operator
    assert "Missed calls to call back" not in olga.get("/desk/").content.decode()


def test_officers_have_no_phone_panel_or_call_log(city, login):
    officer = login(city.water_officer)
    assert officer.get("/desk/phone/").status_code == 403
    assert officer.get("/calls/").status_code == 403
    assert officer.post("/desk/phone/login/").status_code == 403


def test_wrap_up_counts_down_on_the_panel(city, seat, login, settings):
    Queue.objects.update(wrapup_s=30)
    olga = login(city.operator)
    services.agent_login(agent=seat)
    _ring()
    services.call_answer(call_id="c1", answering="201")
    services.call_hangup(call_id="c1")
    panel = olga.get("/desk/phone/").content.decode()
    assert "Wrap-up" in panel and 'data-countdown="' in panel
    seat.refresh_from_db()
    assert seat.wrapup_until - seat.state_since == timedelta(seconds=30)
