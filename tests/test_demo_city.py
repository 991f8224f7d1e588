"""The demo city is believable: every kind of body, every role, cases in every status."""

from django.core.management import call_command
from django.utils import timezone

from civicline.cases.models import Case, CaseEvent, Status
from civicline.demo import city
from civicline.directory.models import Category, Membership, Organisation, OrganisationKind, Role


def test_the_demo_city_loads_once_with_everything_a_user_meets(db, capsys):
    call_command("demo_city")
    cases = Case.objects.count()
    call_command("demo_city")

    assert Case.objects.count() == cases >= 300
    out = capsys.readouterr().out
    assert "already here" in out and city.DEMO_PASSWORD in out
    assert set(Case.objects.values_list("status", flat=True)) == set(Status.values)
    kinds = set(Organisation.objects.values_list("kind", flat=True))
    assert kinds == set(OrganisationKind.values)
    assert set(Membership.objects.values_list("role", flat=True)) == set(Role.values)
    assert Category.objects.filter(code__in=["rasveta", "vodovod", "kanalizacija", "saht",
                                             "zauzece"]).count() == 5  # fmt: skip
    # Serbian Latin names come from the Cyrillic ones
    assert Category.objects.get(code="rasveta").name_sr_latn == "Kvar na javnoj rasveti"
    # The water utility's field worker has work orders to go to
    from civicline.workorders.models import WorkOrder

    assert WorkOrder.objects.filter(team__members__username="teren").count() >= 3
    # and the lighting company has electronic orders from the traffic administration
    assert WorkOrder.objects.filter(team=None, organisation__name__contains="расвета").exists()
    # The phone line has queues, seats and the last working days' calls, all ended
    from civicline.telephony.models import Agent, Call, QueueLogEntry

    assert Agent.objects.filter(user__username="operater1").exists()
    assert Call.objects.count() > 100 and not Call.objects.exclude(state="ended").exists()
    assert QueueLogEntry.objects.filter(event="CONNECT").count() > 100
    assert not QueueLogEntry.objects.filter(time__gt=timezone.now()).exists()
    # Nothing happened in the future
    assert not CaseEvent.objects.filter(at__gt=timezone.now()).exists()
    # Reported problems have a place on the public map; questions asked by phone have none
    reported = Case.objects.exclude(kind="information")
    assert not reported.filter(latitude__isnull=True).exists()
    assert not Case.objects.filter(kind="information", latitude__isnull=False).exists()
    # and the point places the problem in its area (one street lies outside the demo's areas)
    assert reported.filter(area__isnull=True).count() < reported.count() / 5


def test_the_demo_shows_overdue_cases_and_callbacks(db, client):
    from civicline.deadlines.models import CallbackTask
    from civicline.directory.models import Membership

    call_command("demo_city")
    supervisor = Membership.objects.get(role=Role.SUPERVISOR).user
    operator = Membership.objects.filter(role=Role.OPERATOR).first().user

    client.force_login(supervisor)
    overdue = client.get("/supervisor/", {"overdue": "on"}, HTTP_ACCEPT_LANGUAGE="en")
    assert overdue.content.decode().count('class="due overdue"') >= 3
    client.force_login(operator)
    chase = client.get("/chase/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert chase.count("<tr>") >= 4  # the header and at least three overdue cases
    desk = client.get("/desk/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    task = CallbackTask.objects.filter(state=CallbackTask.State.OPEN).first()
    assert task is not None and task.case.reference in desk
