"""The operations on work orders. Each runs in one transaction and writes the change on
the case's timeline (an internal note) in it."""

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from civicline import clock
from civicline.cases.models import DESCRIPTION_MAX, Case, PhotoStage
from civicline.cases.photos import CheckedPhoto
from civicline.cases.services import case_add_note, case_add_photo
from civicline.directory.models import Organisation
from civicline.workorders.models import (
    OPEN_STATES,
    FieldTeam,
    WorkOrder,
    WorkOrderKind,
    WorkOrderState,
)
from civicline.workorders.selectors import bodies_serving, may_work, services_for_case


def _text(value: str, *, field: str) -> str:
    value = (value or "").strip()
    if len(value) > DESCRIPTION_MAX:
        raise ValidationError(
            {field: _("Keep it under %(max)d characters.") % {"max": DESCRIPTION_MAX}}
        )
    return value


def _on_timeline(case: Case, by: AbstractBaseUser | None, text: str) -> None:
    # Internal: the citizen hears of the work through the case's own status changes.
    case_add_note(case=case, actor=by, note=text.strip()[:DESCRIPTION_MAX], is_public=False)


def _locked(order: WorkOrder) -> WorkOrder:
    return (
        WorkOrder.objects.select_for_update(of=("self",))
        .select_related("team", "organisation", "case")
        .get(pk=order.pk)
    )


def _worker_only(order: WorkOrder, by: AbstractBaseUser) -> None:
    if not may_work(order, by):
        raise ValidationError(
            _(
                "Only the members of the team (or, for an order sent to a service, its "
                "officers) may work this order."
            )
        )


def _still_open(order: WorkOrder) -> None:
    if order.state not in OPEN_STATES:
        raise ValidationError(
            _("This work order is already “%(state)s”.")
            % {"state": WorkOrderState(order.state).label}
        )


def _recipient(
    case: Case, team: FieldTeam | None, service: Organisation | None
) -> tuple[Organisation, FieldTeam | None]:
    """A team of the body that works the case, or another body's service: one of them."""
    if (team is None) == (service is None):
        raise ValidationError({"to": _("Choose a team or a service.")})
    if team is not None:
        if team.organisation_id not in bodies_serving(case.organisation_id):
            raise ValidationError(
                {
                    "to": _("“%(team)s” is not a team of %(organisation)s, which works this case.")
                    % {"team": team.name, "organisation": case.organisation.name}
                }
            )
        return team.organisation, team
    if not services_for_case(case).filter(pk=service.pk).exists():
        raise ValidationError(
            {"to": _("“%(service)s” does not take work orders.") % {"service": service.name}}
        )
    return service, None


@transaction.atomic
def workorder_dispatch(
    *,
    case: Case,
    kind: str,
    instructions: str,
    by: AbstractBaseUser | None,
    team: FieldTeam | None = None,
    service: Organisation | None = None,
) -> WorkOrder:
    """Send an open case to a team of its competent body (or one of its departments), or
    as an electronic work order to another body's service (a utility, a public company)."""
    instructions = _text(instructions, field="instructions")
    if kind not in WorkOrderKind.values:
        raise ValidationError({"kind": _("Choose inspect or fix.")})
    organisation, team = _recipient(case, team, service)
    if not case.is_open:
        raise ValidationError(_("This case is closed; reopen it before sending a team."))
    now = clock.now()
    order = WorkOrder.objects.create(
        case=case,
        organisation=organisation,
        team=team,
        kind=kind,
        instructions=instructions,
        created_by=by,
        created_at=now,
        updated_at=now,
    )
    note = _("Work order sent to %(team)s: %(kind)s.") % {
        "team": order.assignee,
        "kind": WorkOrderKind(kind).label,
    }
    _on_timeline(case, by, f"{note} {instructions}")
    return order


@transaction.atomic
def workorder_start(*, order: WorkOrder, by: AbstractBaseUser) -> WorkOrder:
    """A member of the team (or an officer of the service) takes the order on."""
    order = _locked(order)
    _worker_only(order, by)
    if order.state != WorkOrderState.SENT:
        _still_open(order)
        raise ValidationError(_("This work order is already in progress."))
    order.state = WorkOrderState.IN_PROGRESS
    order.updated_at = clock.now()
    order.save(update_fields=["state", "updated_at"])
    _on_timeline(order.case, by, _("Work order started by %(team)s.") % {"team": order.assignee})
    return order


@transaction.atomic
def workorder_done(
    *,
    order: WorkOrder,
    by: AbstractBaseUser,
    note: str = "",
    photos: Sequence[CheckedPhoto] = (),
    taken_at: datetime | None = None,
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
) -> WorkOrder:
    """The team finished: its photos go on the case ("after" a fix, "before" for an
    inspection), with the phone's time and place when given. A rejected photo leaves the
    order and the case as they were."""
    order = _locked(order)
    _worker_only(order, by)
    _still_open(order)
    note = _text(note, field="note")
    stage = PhotoStage.AFTER if order.kind == WorkOrderKind.FIX else PhotoStage.BEFORE
    for photo in photos:
        case_add_photo(
            case=order.case,
            photo=photo,
            stage=stage,
            actor=by,
            taken_at=taken_at,
            latitude=latitude,
            longitude=longitude,
        )
    now = clock.now()
    order.state = WorkOrderState.DONE
    order.note = note
    order.updated_at = order.done_at = now
    order.save(update_fields=["state", "note", "updated_at", "done_at"])
    done = _("Work order done by %(team)s.") % {"team": order.assignee}
    _on_timeline(order.case, by, f"{done} {note}")
    return order


@transaction.atomic
def workorder_cannot_do(*, order: WorkOrder, by: AbstractBaseUser, reason: str) -> WorkOrder:
    """The team cannot do it; the reason goes to whoever sent it, on the case's timeline."""
    order = _locked(order)
    _worker_only(order, by)
    _still_open(order)
    reason = _text(reason, field="reason")
    if not reason:
        raise ValidationError({"reason": _("Write why it cannot be done.")})
    now = clock.now()
    order.state = WorkOrderState.CANNOT_DO
    order.reason = reason
    order.updated_at = order.done_at = now
    order.save(update_fields=["state", "reason", "updated_at", "done_at"])
    cannot = _("%(team)s cannot do the work order:") % {"team": order.assignee}
    _on_timeline(order.case, by, f"{cannot} {reason}")
    return order
