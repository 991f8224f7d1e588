"""Who is told what: the outbox rows for a case's events and for staff messages.

Rows are written in the transaction of the change that causes them, so a rolled-back change
tells nobody and a committed one is never forgotten. Sending starts once the transaction
commits (a queued task); the worker's periodic sweep sends whatever that task missed.
"""

from datetime import timedelta
from functools import partial

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from civicline import clock
from civicline.cases.models import Case, CaseEvent, EventKind, Reporter, Status
from civicline.directory.models import Organisation
from civicline.notifications import tasks
from civicline.notifications.models import (
    Channel,
    Notice,
    Notification,
    Recipient,
    SmsPreference,
)
from civicline.notifications.texts import render_notice

# An event older than this by the wall clock (not clock.now(), which the demo loader winds
# back) is history, not news: the demo city's past months tell nobody anything.
NEWS_WINDOW = timedelta(days=1)

_STATUS_NOTICES = {
    Status.IN_PROGRESS: Notice.WORK_STARTED,
    Status.RESOLVED: Notice.RESOLVED,
    Status.CANCELLED: Notice.CANCELLED,
}


def notice_for(event: CaseEvent) -> str | None:
    """The notice a citizen gets for this event, or None for changes that are internal
    (accepted by an officer, transferred, closed after being resolved, notes)."""
    if event.kind == EventKind.REGISTERED:
        return Notice.REGISTERED
    if event.kind == EventKind.STATUS_CHANGED:
        if event.old_value == Status.RESOLVED and event.new_value == Status.IN_PROGRESS:
            return Notice.REOPENED
        return _STATUS_NOTICES.get(event.new_value)
    if event.kind == EventKind.DELAYED:
        return Notice.DELAYED
    if event.kind == EventKind.CALLBACK:
        return Notice.CALLBACK
    return None


def _latin_ascii(organisation: Organisation) -> bool:
    """The body's SMS option; a department without its own follows its parent."""
    preferences = dict(SmsPreference.objects.values_list("organisation_id", "latin_ascii"))
    while preferences and organisation is not None:
        if organisation.pk in preferences:
            return preferences[organisation.pk]
        organisation = organisation.parent
    return False


def _send_after_commit(notifications: list[Notification]) -> None:
    if notifications:
        # robust: the change is committed whatever happens here; the sweep sends later.
        enqueue = partial(tasks.send_notifications.enqueue, [n.pk for n in notifications])
        transaction.on_commit(enqueue, robust=True)


@transaction.atomic(savepoint=False)
def _citizens_to_tell(case: Case) -> list[Reporter]:
    """The reporter and the citizens who joined the case, if they agreed to be contacted."""
    people = [case.reporter] if case.reporter_id else []
    people += [f.reporter for f in case.followers.select_related("reporter") if f.reporter_id]
    unique = {person.pk: person for person in people if person.consent_to_contact}
    return list(unique.values())


def notify_reporter(*, event: CaseEvent) -> list[Notification]:
    """Queue what the case's reporter (and whoever joined the case) is told about `event`:
    an SMS to a phone, an e-mail to an address, in their language, at most one per address
    per event.

    Nothing for anonymous citizens, citizens who did not consent to be contacted, events
    citizens are not told about, or events that are no longer news.
    """
    notice = notice_for(event)
    if notice is None or event.at < timezone.now() - NEWS_WINDOW:
        return []
    case = event.case
    already = set(Notification.objects.filter(event=event).values_list("channel", "to"))
    created = []
    for reporter in _citizens_to_tell(case):
        addresses = {Channel.SMS: reporter.phone, Channel.EMAIL: reporter.email}
        wanted = {ch: to for ch, to in addresses.items() if to and (ch, to) not in already}
        if not wanted:
            continue
        already |= set(wanted.items())
        texts = render_notice(
            notice=notice,
            event=event,
            language=reporter.language,
            latin_ascii=Channel.SMS in wanted and _latin_ascii(case.organisation),
        )
        now = clock.now()
        created += [
            Notification.objects.create(
                case=case,
                event=event,
                notice=notice,
                recipient=Recipient.REPORTER,
                channel=channel,
                to=to,
                language=texts[channel].language,
                subject=texts[channel].subject,
                body=texts[channel].body,
                segments=texts[channel].segments,
                next_attempt_at=now,
                created_at=now,
            )
            for channel, to in wanted.items()
            if channel in texts
        ]
    _send_after_commit(created)
    return created


@transaction.atomic(savepoint=False)
def notify_staff(
    *, user: AbstractBaseUser, case: Case, subject: str, body: str
) -> Notification | None:
    """Queue an e-mail to a staff member about a case (an escalation, say); None when the
    user has no e-mail address. The caller words it, in the city's language."""
    if not getattr(user, "email", ""):
        return None
    now = clock.now()
    notification = Notification.objects.create(
        case=case,
        recipient=Recipient.STAFF,
        user=user,
        channel=Channel.EMAIL,
        to=user.email,
        language=settings.LANGUAGE_CODE,
        subject=" ".join(subject.split())[:200],
        body=body,
        next_attempt_at=now,
        created_at=now,
    )
    _send_after_commit([notification])
    return notification
