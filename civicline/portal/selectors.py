"""What the public may read about a case: never the reporter, never an internal note."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from civicline.cases.models import Case, CaseEvent, EventKind, Photo, Status

# The words a citizen reads for each status.
PUBLIC_STATUS = {
    Status.REGISTERED: _("Received"),
    Status.ASSIGNED: _("Accepted by the competent service"),
    Status.IN_PROGRESS: _("Being worked on"),
    Status.RESOLVED: _("Resolved"),
    Status.CLOSED: _("Closed"),
    Status.CANCELLED: _("Cancelled"),
}


def tracked_case(reference: str, code: str) -> Case | None:
    """The case with this reference, if the tracking code is its own."""
    return (
        Case.objects.select_related("category", "organisation", "area", "deadline")
        .filter(reference=reference.strip(), tracking_code=code.strip().upper())
        .exclude(tracking_code="")
        .first()
    )


@dataclass(frozen=True)
class PublicStep:
    at: datetime
    title: str
    note: str


def public_history(case: Case) -> list[PublicStep]:
    """Registration, status changes and what the city chose to tell, oldest first."""
    events = case.events.filter(
        Q(kind__in=[EventKind.REGISTERED, EventKind.STATUS_CHANGED])
        | Q(is_public=True, kind__in=[EventKind.NOTE, EventKind.DELAYED, EventKind.CALLBACK])
        | Q(kind=EventKind.FOLLOWED)
    ).order_by("at", "id")
    return [PublicStep(e.at, _title(e), e.note if e.is_public else "") for e in events]


def _title(event: CaseEvent) -> str:
    if event.kind == EventKind.REGISTERED:
        return str(_("Report received"))
    if event.kind == EventKind.STATUS_CHANGED:
        return str(PUBLIC_STATUS[event.new_value])
    if event.kind == EventKind.FOLLOWED:
        return str(_("Another citizen reported the same problem"))
    if event.kind == EventKind.DELAYED:
        return str(_("The answer is late"))
    return str(_("Message from the city"))


def public_photos(case: Case) -> list[Photo]:
    return list(case.photos.filter(is_public=True))


def promised_by(case: Case) -> datetime | None:
    """When the competent body is due to resolve it, while it is open."""
    deadline = getattr(case, "deadline", None)
    return deadline.resolution_due if deadline and case.is_open else None


def public_facts(case: Case) -> dict:
    """What every public page of a case shows: its status in citizens' words, its public
    history and its public photos."""
    return {
        "status_label": PUBLIC_STATUS[case.status],
        "history": public_history(case),
        "photos": public_photos(case),
    }
