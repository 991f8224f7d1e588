"""Field teams and the work orders sent to them about a case."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from civicline.cases.models import DESCRIPTION_MAX, Case
from civicline.directory.models import Area, Organisation


class FieldTeam(models.Model):
    """People of one organisation who go out to the problem: inspect it, or fix it."""

    name = models.CharField(_("name"), max_length=200)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="field_teams",
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("members"),
        blank=True,
        related_name="field_teams",
    )
    area = models.ForeignKey(
        Area,
        verbose_name=_("area covered"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    phone = models.CharField(
        _("phone"), max_length=20, blank=True, help_text=_("For the radio or phone dispatch.")
    )

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("field team")
        verbose_name_plural = _("field teams")

    def __str__(self) -> str:
        return f"{self.name} ({self.organisation})"


class WorkOrderKind(models.TextChoices):
    INSPECT = "inspect", _("Inspect")
    FIX = "fix", _("Fix")


class WorkOrderState(models.TextChoices):
    SENT = "sent", _("Sent")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    CANNOT_DO = "cannot_do", _("Cannot be done")


OPEN_STATES = (WorkOrderState.SENT, WorkOrderState.IN_PROGRESS)


class WorkOrder(models.Model):
    """One errand of a team about a case; a case may have several over time. Changed only
    by `workorders.services`, each change also written on the case's timeline."""

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="work_orders"
    )
    # The service that does the work: a team's organisation, or another body's service
    # (a utility, a public company) that gets the order in its workstation.
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("service"),
        on_delete=models.PROTECT,
        related_name="work_orders",
    )
    team = models.ForeignKey(
        FieldTeam,
        verbose_name=_("team"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="work_orders",
    )
    kind = models.CharField(_("kind"), max_length=10, choices=WorkOrderKind.choices)
    instructions = models.TextField(_("instructions"), max_length=DESCRIPTION_MAX, blank=True)
    state = models.CharField(
        _("state"), max_length=20, choices=WorkOrderState.choices, default=WorkOrderState.SENT
    )
    note = models.TextField(_("note"), max_length=DESCRIPTION_MAX, blank=True)
    reason = models.TextField(_("why it cannot be done"), max_length=DESCRIPTION_MAX, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("sent"))
    updated_at = models.DateTimeField(_("updated"))
    done_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["team", "state"], name="workorder_team_state"),
            models.Index(fields=["organisation", "state"], name="workorder_service_state"),
        ]
        verbose_name = _("work order")
        verbose_name_plural = _("work orders")

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind} {self.state}"

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    @property
    def assignee(self) -> str:
        """Who does the work, as the pages and the timeline name them."""
        return self.team.name if self.team_id else self.organisation.name
