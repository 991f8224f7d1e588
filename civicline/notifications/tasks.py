"""Background work of notifications: send a change's messages at once, sweep what is due."""

from django_tasks import task

from civicline.notifications import outbox


@task()
def send_notifications(notification_ids: list[int]) -> int:
    """Queued when the transaction that wrote the messages commits, one task per change;
    returns how many the gateways accepted."""
    return sum(outbox.send_one(notification_id=pk) for pk in notification_ids)


def send_due() -> int:
    """Run every two seconds by the worker's scheduler: retries after their backoff,
    messages a killed worker left behind, and any whose task was never queued."""
    return outbox.send_due()
