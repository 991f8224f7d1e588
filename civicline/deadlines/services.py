"""Due times, the escalation ladder and callback duty. Reacts to case events; the sweep
acts on what has come due."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from civicline import clock
from civicline.cases import services as case_services
from civicline.cases.models import Case, CaseEvent, EventKind, Status
from civicline.deadlines.calendar import (
    Calendar,
    add_business_time,
    add_calendar_time,
    business_time_between,
)
from civicline.deadlines.calendars import calendar_for
from civicline.deadlines.models import (
    Action,
    CallbackTask,
    CaseDeadline,
    Counting,
    DeadlinePolicy,
    Escalation,
)
from civicline.directory.models import CaseKind, Membership, Role

# Without a ladder of its own, a category escalates like this.
DEFAULT_LADDER = [
    (75, Action.REMIND),
    (100, Action.OVERDUE),
    (100, Action.NOTIFY_HEAD),
    (100, Action.NOTIFY_SUPERVISORS),
]
FINAL = (Status.RESOLVED, Status.CLOSED, Status.CANCELLED)


@dataclass(frozen=True)
class Clock:
    """How one case's time counts: its category's policy on its body's calendar."""

    counting: str
    calendar: Calendar

    def add(self, start: datetime, hours: float) -> datetime:
        amount = timedelta(hours=hours)
        if self.counting == Counting.BUSINESS:
            return add_business_time(start, amount, self.calendar)
        return add_calendar_time(start, amount)

    def between(self, start: datetime, end: datetime) -> timedelta:
        if self.counting == Counting.BUSINESS:
            return business_time_between(start, end, self.calendar)
        return max(end - start, timedelta(0))


def _policy(case: Case) -> DeadlinePolicy | None:
    return DeadlinePolicy.objects.filter(category_id=case.category_id).first()


def _clock(case: Case, policy: DeadlinePolicy | None) -> Clock:
    counting = policy.counting if policy else Counting.CALENDAR
    return Clock(counting=counting, calendar=calendar_for(case.organisation))


def _ladder(policy: DeadlinePolicy | None) -> list[tuple[int, str]]:
    if policy is not None:
        steps = list(policy.steps.values_list("percent", "action"))
        if steps:
            return steps
    return DEFAULT_LADDER


def _plan(case: Case, start: datetime, hours: float, clock_: Clock, policy) -> None:
    """Lay out a fresh run of the deadline and the whole ladder from `start`: a transferred
    or reopened case starts over (its earlier escalations stay on its timeline as events)."""
    resolution_due = clock_.add(start, hours)
    first = policy.first_response_hours if policy else None
    CaseDeadline.objects.update_or_create(
        case=case,
        defaults={
            "resolution_due": resolution_due,
            "first_response_due": clock_.add(start, first) if first else None,
            "overdue_since": None,
            "waiting_since": None,
            "remaining_seconds": None,
        },
    )
    Escalation.objects.filter(case=case).delete()
    _lay_ladder(case, policy, lambda percent: clock_.add(start, hours * percent / 100))


def _lay_ladder(case: Case, policy, moment, done: frozenset = frozenset()) -> None:
    """Place the rungs not in `done`; `moment(percent)` says when each comes due."""
    Escalation.objects.bulk_create(
        Escalation(case=case, percent=percent, action=action, due_at=moment(percent))
        for percent, action in _ladder(policy)
        if (percent, action) not in done
    )


def deadline_start(*, case: Case, at: datetime) -> None:
    """Give the case its due times from `at` on its competent body's calendar."""
    policy = _policy(case)
    _plan(case, at, case.category.deadline_hours, _clock(case, policy), policy)


def deadline_stop(*, case: Case) -> None:
    Escalation.objects.filter(case=case, done_at__isnull=True).delete()


def _pause(case: Case, at: datetime) -> None:
    deadline = CaseDeadline.objects.filter(case=case).first()
    if deadline is None:
        return
    left = _clock(case, _policy(case)).between(at, deadline.resolution_due)
    deadline.waiting_since = at
    deadline.remaining_seconds = int(left.total_seconds())
    deadline.save(update_fields=["waiting_since", "remaining_seconds"])
    deadline_stop(case=case)


def _resume(case: Case, at: datetime) -> None:
    """The open time left when the case began to wait counts on from now."""
    deadline = CaseDeadline.objects.filter(case=case).first()
    if deadline is None or deadline.remaining_seconds is None:
        return
    policy = _policy(case)
    clock_ = _clock(case, policy)
    hours = case.category.deadline_hours
    left = deadline.remaining_seconds / 3600
    deadline.resolution_due = clock_.add(at, left)
    deadline.waiting_since = None
    deadline.remaining_seconds = None
    deadline.save(update_fields=["resolution_due", "waiting_since", "remaining_seconds"])
    # A rung at p% comes (100 - p)% of the full time before the deadline.
    # The rungs still pending were dropped when the case began to wait.
    done = frozenset(Escalation.objects.filter(case=case).values_list("percent", "action"))
    _lay_ladder(
        case,
        policy,
        lambda percent: clock_.add(at, max(left - hours * (1 - percent / 100), 0)),
        done,
    )


def _callback_due(case: Case, at: datetime) -> None:
    policy = _policy(case)
    hours = policy.callback_hours if policy else 48
    CallbackTask.objects.get_or_create(
        case=case, defaults={"due_at": _clock(case, policy).add(at, hours)}
    )


def deadline_on_event(*, event: CaseEvent) -> None:
    """Called by cases for every event, in its transaction."""
    case, kind = event.case, event.kind
    if kind == EventKind.REGISTERED:
        deadline_start(case=case, at=event.at)
        if case.kind == CaseKind.INFORMATION:
            _callback_due(case, event.at)
    elif kind == EventKind.TRANSFERRED:
        deadline_start(case=case, at=event.at)
    elif kind == EventKind.STATUS_CHANGED:
        if event.new_value in FINAL:
            deadline_stop(case=case)
        answered_on_the_spot = (event.old_value, event.new_value) == (
            Status.REGISTERED,
            Status.RESOLVED,
        )
        if answered_on_the_spot or event.new_value == Status.CANCELLED:
            # Nobody needs a call back: answered already, or the request was withdrawn.
            CallbackTask.objects.filter(case=case, state=CallbackTask.State.OPEN).delete()
        if (event.old_value, event.new_value) == (Status.RESOLVED, Status.IN_PROGRESS):
            deadline_start(case=case, at=event.at)
    elif kind == EventKind.WAITING:
        _pause(case, event.at)
    elif kind == EventKind.RESUMED:
        _resume(case, event.at)


def _staff_of(organisation, role: str) -> list:
    """Users holding `role` in the body or in a body above it."""
    ids, current = [], organisation
    while current is not None and current.pk not in ids:
        ids.append(current.pk)
        current = current.parent
    memberships = Membership.objects.filter(organisation_id__in=ids, role=role)
    return [m.user for m in memberships.select_related("user") if m.user.is_active]


def _supervisors() -> list:
    memberships = Membership.objects.filter(role=Role.SUPERVISOR).select_related("user")
    return list({m.user for m in memberships if m.user.is_active})


def _tell_staff(users, case: Case, due: datetime, *, overdue: bool) -> None:
    from civicline.notifications.services import notify_staff

    with override(settings.LANGUAGE_CODE):
        params = {
            "reference": case.reference,
            "category": case.category.name,
            "organisation": case.organisation.name,
            "due": timezone.localtime(due).strftime("%d.%m.%Y %H:%M"),
        }
        if overdue:
            subject = _("Case %(reference)s is overdue") % params
            body = _("Case %(reference)s (%(category)s, %(organisation)s) was due %(due)s.")
        else:
            subject = _("Case %(reference)s is due %(due)s") % params
            body = _("Case %(reference)s (%(category)s, %(organisation)s) is due %(due)s.")
        for user in users:
            notify_staff(user=user, case=case, subject=subject, body=body % params)


def _perform(escalation: Escalation, now: datetime) -> None:
    case = escalation.case
    deadline = CaseDeadline.objects.get(case=case)
    due = deadline.resolution_due
    if escalation.action == Action.REMIND:
        officers = [case.assignee] if case.assignee else _staff_of(case.organisation, Role.OFFICER)
        _tell_staff(officers, case, due, overdue=False)
    elif escalation.action == Action.OVERDUE:
        CaseDeadline.objects.filter(case=case, overdue_since__isnull=True).update(overdue_since=now)
        case_services.case_mark_overdue(case=case, due=due)
    elif escalation.action == Action.NOTIFY_HEAD:
        _tell_staff(_staff_of(case.organisation, Role.HEAD), case, due, overdue=True)
    elif escalation.action == Action.NOTIFY_SUPERVISORS:
        _tell_staff(_supervisors(), case, due, overdue=True)


@transaction.atomic
def _escalate(escalation_id: int, now: datetime) -> bool:
    # The conditional UPDATE is the claim: with several workers, one of them does it.
    if not Escalation.objects.filter(pk=escalation_id, done_at__isnull=True).update(done_at=now):
        return False
    escalation = Escalation.objects.select_related(
        "case__organisation", "case__category", "case__assignee"
    ).get(pk=escalation_id)
    if escalation.case.is_open and not escalation.case.waiting_since:
        _perform(escalation, now)
    return True


@transaction.atomic
def _tell_delayed(callback_id: int, now: datetime) -> bool:
    if not CallbackTask.objects.filter(
        pk=callback_id, state=CallbackTask.State.OPEN, delayed_at__isnull=True
    ).update(delayed_at=now):
        return False
    case = CallbackTask.objects.select_related("case").get(pk=callback_id).case
    # The notification's own text tells the citizen, in their language, that it is late.
    case_services.case_tell_delayed(case=case, note="")
    return True


@dataclass(frozen=True)
class SweepResult:
    escalations: int
    delayed_callbacks: int


def deadline_sweep(*, batch: int = 500) -> SweepResult:
    """Do every rung and callback that has come due. Reads only rows due by now through
    their due-time indexes, so it costs what is due, not what is open."""
    now = clock.now()
    escalated = delayed = 0
    while ids := list(
        Escalation.objects.filter(done_at__isnull=True, due_at__lte=now)
        .order_by("due_at")
        .values_list("id", flat=True)[:batch]
    ):
        escalated += sum(_escalate(pk, now) for pk in ids)
        if len(ids) < batch:
            break
    while ids := list(
        CallbackTask.objects.filter(
            state=CallbackTask.State.OPEN, delayed_at__isnull=True, due_at__lte=now
        )
        .order_by("due_at")
        .values_list("id", flat=True)[:batch]
    ):
        delayed += sum(_tell_delayed(pk, now) for pk in ids)
        if len(ids) < batch:
            break
    return SweepResult(escalations=escalated, delayed_callbacks=delayed)


@transaction.atomic
def callback_complete(*, task: CallbackTask, actor, outcome: str) -> CallbackTask:
    """The operator called the citizen back and says what they were told."""
    task = CallbackTask.objects.select_for_update().get(pk=task.pk)
    if task.state == CallbackTask.State.DONE:
        raise ValidationError({"outcome": _("This callback is already done.")})
    case_services.case_record_callback(case=task.case, actor=actor, outcome=outcome)
    task.state = CallbackTask.State.DONE
    task.done_at = clock.now()
    task.done_by = actor
    task.outcome = outcome.strip()
    task.save(update_fields=["state", "done_at", "done_by", "outcome"])
    return task
