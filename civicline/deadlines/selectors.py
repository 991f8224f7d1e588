"""Read side of deadlines: what the contact center must chase and call back."""

from django.db.models import QuerySet

from civicline.cases.models import OPEN_STATUSES, Case
from civicline.deadlines.models import CallbackTask


def chase_list(*, limit: int = 200) -> QuerySet[Case]:
    """Open cases past their deadline, longest overdue first (the operator calls the body)."""
    return (
        Case.objects.filter(deadline__overdue_since__isnull=False, status__in=OPEN_STATUSES)
        .select_related("category", "organisation", "deadline")
        .order_by("deadline__resolution_due", "id")[:limit]
    )


def callbacks_due(*, limit: int = 20) -> QuerySet[CallbackTask]:
    """Citizens to call back, the most urgent first."""
    return (
        CallbackTask.objects.filter(state=CallbackTask.State.OPEN)
        .select_related("case__category", "case__reporter", "case__organisation")
        .order_by("due_at", "id")[:limit]
    )
