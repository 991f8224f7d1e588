"""Read-side queries of notifications."""

from django.db.models import QuerySet

from civicline.notifications.models import Notification


def delivery_log(*, status: str = "", channel: str = "") -> QuerySet[Notification]:
    """Messages newest first, with their cases, for the supervisors' delivery log."""
    notifications = Notification.objects.select_related("case")
    if status:
        notifications = notifications.filter(status=status)
    if channel:
        notifications = notifications.filter(channel=channel)
    return notifications.order_by("-id")
