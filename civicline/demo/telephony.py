"""The demo city's phone line: Novi Sad's toll-free number open on working days 7:30-15:30,
a second number for communal problems that overflows into it, the operators' seats, and
the last working days' calls played through the ACD by the simulator."""

from datetime import datetime, time, timedelta

from django.utils import timezone

from civicline import clock
from civicline.deadlines.models import BusinessCalendar
from civicline.telephony.models import Agent, ClosedAction, Queue, QueueMember
from civicline.telephony.simulator import Scenario, ServiceBridge, simulate

SEATS = [("operater1", "201", 0), ("operater2", "202", 0), ("volonter", "203", 1)]
DAYS = 2  # working days of history
CALLS_PER_HOUR = 14
HOURS = 7.5


def load(users: dict, *, seed: int) -> None:
    office_hours = BusinessCalendar.objects.filter(name__startswith="Градске управе").first()
    main = Queue.objects.create(
        name="novisad", label="Контакт центар 0800 100 200", number="+381800100200",
        strategy="leastrecent", calendar=office_hours, closed_action=ClosedAction.CALLBACK,
        closed_message="Позвали сте Контакт центар Града Новог Сада. Радимо радним данима "
        "од 7.30 до 15.30; позваћемо вас чим почнемо.",
        callback_after_s=120, max_wait_s=900, wrapup_s=15,
    )  # fmt: skip
    communal = Queue.objects.create(
        name="komunalno", label="Комунални проблеми", number="+381214807901",
        strategy="rrmemory", overflow_to=main, overflow_after_s=60, wrapup_s=15,
    )  # fmt: skip
    extensions = []
    for username, extension, penalty in SEATS:
        agent = Agent.objects.create(user=users[username], extension=extension)
        QueueMember.objects.create(queue=main, agent=agent, penalty=penalty)
        QueueMember.objects.create(queue=communal, agent=agent)
        extensions.append(extension)
    _history(extensions, seed)


def _working_days(today, count: int) -> list:
    days, day = [], today
    while len(days) < count:
        day -= timedelta(days=1)
        if day.weekday() < 5:
            days.append(day)
    return sorted(days)


def _history(extensions: list[str], seed: int) -> None:
    """Each past working day from 7:30: Poisson callers, patient for about four minutes,
    talking about three."""
    tz = timezone.get_current_timezone()
    today = timezone.localtime(clock.now()).date()
    for number, day in enumerate(_working_days(today, DAYS)):
        start = datetime.combine(day, time(7, 30), tzinfo=tz)
        scenario = Scenario(
            agents=extensions, calls_per_hour=CALLS_PER_HOUR, aht_s=170, patience_s=240,
            duration_s=HOURS * 3600, answer_delay_s=4, seed=seed + number,
        )  # fmt: skip
        simulate(scenario, ServiceBridge(), start=start)
