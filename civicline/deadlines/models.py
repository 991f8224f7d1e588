"""Business calendars, deadline policies per category, and each case's due times."""

from datetime import time

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from civicline.cases.models import Case
from civicline.directory.models import Category, Organisation


class BusinessCalendar(models.Model):
    class Country(models.TextChoices):
        NONE = "", _("no public holidays")
        SERBIA = "RS", _("Serbia")
        BULGARIA = "BG", _("Bulgaria")
        UKRAINE = "UA", _("Ukraine")

    name = models.CharField(_("name"), max_length=100, unique=True)
    always_open = models.BooleanField(
        _("open 24/7"), default=False, help_text=_("Every hour of every day, holidays too.")
    )
    country = models.CharField(
        _("public holidays of"), max_length=2, choices=Country.choices, blank=True
    )
    is_default = models.BooleanField(
        _("default"), default=False, help_text=_("For organisations without a calendar.")
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("business calendar")
        verbose_name_plural = _("business calendars")

    def __str__(self) -> str:
        return self.name


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class OpeningHours(models.Model):
    calendar = models.ForeignKey(BusinessCalendar, on_delete=models.CASCADE, related_name="hours")
    weekday = models.PositiveSmallIntegerField(_("day"), choices=Weekday.choices)
    opens = models.TimeField(_("opens"))
    closes = models.TimeField(_("closes"), help_text=_("00:00 means midnight at the day's end."))

    class Meta:
        ordering = ["calendar", "weekday", "opens"]
        verbose_name = _("opening hours")
        verbose_name_plural = _("opening hours")

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens:%H:%M}-{self.closes:%H:%M}"

    def clean(self) -> None:
        closes_at_midnight = self.closes == time(0)
        if not closes_at_midnight and self.closes <= self.opens:
            raise ValidationError({"closes": _("It must close after it opens.")})


class ClosedDay(models.Model):
    """A day closed beyond the public holidays (a local holiday, a move)."""

    calendar = models.ForeignKey(
        BusinessCalendar, on_delete=models.CASCADE, related_name="closed_days"
    )
    date = models.DateField(_("date"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta:
        ordering = ["calendar", "date"]
        constraints = [
            models.UniqueConstraint(fields=["calendar", "date"], name="closedday_unique")
        ]
        verbose_name = _("closed day")
        verbose_name_plural = _("closed days")

    def __str__(self) -> str:
        return f"{self.date:%d.%m.%Y} {self.reason}"


class OrganisationCalendar(models.Model):
    """Which calendar a body works by; its departments inherit it unless they have their own."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="business_calendar"
    )
    calendar = models.ForeignKey(BusinessCalendar, on_delete=models.PROTECT)

    class Meta:
        ordering = ["organisation"]
        verbose_name = _("organisation's calendar")
        verbose_name_plural = _("organisations' calendars")

    def __str__(self) -> str:
        return f"{self.organisation} · {self.calendar}"


class Counting(models.TextChoices):
    CALENDAR = "calendar", _("calendar hours")
    BUSINESS = "business", _("business hours of the competent body")


class DeadlinePolicy(models.Model):
    """How the deadlines of a category count. Without one, the category's deadline counts in
    calendar hours with the default escalation ladder."""

    category = models.OneToOneField(
        Category, on_delete=models.CASCADE, related_name="deadline_policy"
    )
    counting = models.CharField(
        _("count in"), max_length=10, choices=Counting.choices, default=Counting.CALENDAR
    )
    first_response_hours = models.PositiveIntegerField(
        _("first response within (hours)"), null=True, blank=True
    )
    callback_hours = models.PositiveIntegerField(
        _("call back within (hours)"),
        default=48,
        help_text=_("For information requests not answered on the spot."),
    )

    class Meta:
        ordering = ["category"]
        verbose_name = _("deadline policy")
        verbose_name_plural = _("deadline policies")

    def __str__(self) -> str:
        return str(self.category)


class Action(models.TextChoices):
    REMIND = "remind", _("remind the officer")
    OVERDUE = "overdue", _("mark overdue and put on the chase list")
    NOTIFY_HEAD = "notify_head", _("notify the head of the organisation")
    NOTIFY_SUPERVISORS = "notify_supervisors", _("notify the supervisors")


class EscalationStep(models.Model):
    """One rung of a category's ladder: at this share of the resolution time, do this."""

    policy = models.ForeignKey(DeadlinePolicy, on_delete=models.CASCADE, related_name="steps")
    # xgettext:no-python-format
    percent = models.PositiveSmallIntegerField(_("at % of the time"))
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)

    class Meta:
        ordering = ["policy", "percent", "action"]
        constraints = [
            models.UniqueConstraint(fields=["policy", "percent", "action"], name="step_unique")
        ]
        verbose_name = _("escalation step")
        verbose_name_plural = _("escalation steps")

    def __str__(self) -> str:
        return f"{self.percent}% · {self.get_action_display()}"


class CaseDeadline(models.Model):
    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="deadline")
    first_response_due = models.DateTimeField(_("first response due"), null=True, blank=True)
    resolution_due = models.DateTimeField(_("resolution due"), db_index=True)
    overdue_since = models.DateTimeField(_("overdue since"), null=True, blank=True)
    # While the case waits on the citizen the clock stops: the open time left is kept here.
    waiting_since = models.DateTimeField(_("waiting on the citizen since"), null=True, blank=True)
    remaining_seconds = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["resolution_due"]
        indexes = [models.Index(fields=["overdue_since"], name="deadline_overdue")]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.resolution_due:%Y-%m-%d %H:%M}"


class Escalation(models.Model):
    """A rung of the ladder waiting for its moment. The sweep reads these by due time only,
    so it costs what is due, not what is open."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="escalations")
    percent = models.PositiveSmallIntegerField()
    action = models.CharField(max_length=20, choices=Action.choices)
    due_at = models.DateTimeField()
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_at", "id"]
        indexes = [
            models.Index(
                fields=["due_at"],
                condition=models.Q(done_at__isnull=True),
                name="escalation_pending_due",
            )
        ]
        constraints = [
            models.UniqueConstraint(fields=["case", "percent", "action"], name="escalation_unique")
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.action} @ {self.due_at:%Y-%m-%d %H:%M}"


class CallbackTask(models.Model):
    """An information request the operator could not answer on the spot: call back in time."""

    class State(models.TextChoices):
        OPEN = "open", _("to call back")
        DONE = "done", _("called back")

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="callback")
    due_at = models.DateTimeField(_("call back by"))
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default="open")
    delayed_at = models.DateTimeField(_("citizen told of the delay"), null=True, blank=True)
    done_at = models.DateTimeField(_("called back"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    outcome = models.TextField(_("outcome"), blank=True)

    class Meta:
        ordering = ["due_at", "id"]
        indexes = [
            models.Index(
                fields=["due_at"],
                condition=models.Q(state="open", delayed_at__isnull=True),
                name="callback_open_due",
            ),
            models.Index(fields=["state", "due_at"], name="callback_state_due"),
        ]
        verbose_name = _("callback")
        verbose_name_plural = _("callbacks")

    def __str__(self) -> str:
        return f"{self.case_id} {self.state} by {self.due_at:%Y-%m-%d %H:%M}"
