"""Background work of notifications: send one message at once, and sweep what is due."""

from django_tasks import task

from civicline.notifications import outbox


@task()
def send_notification(notification_id: int) -> bool:
    """Queued when the transaction that wrote the message commits."""
    return outbox.send_one(notification_id=notification_id)


def send_due() -> int:
    """Run every two seconds by the worker's scheduler: retries after their backoff,
    messages a killed worker left behind, and any whose task was never queued."""
    return outbox.send_due()
