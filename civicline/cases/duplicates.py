"""Duplicates: the same problem reported twice (two neighbours call about the same dark
street lamp). The desk suggests the cases of the same category close in place and time;
merging keeps the oldest case as the one the competent body works (the master) and makes
the other's citizens its followers, so the public map shows one pin and everybody who
reported the problem is told when it is solved."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from civicline import clock
from civicline.cases.models import Case, EventKind, Follower, Status
from civicline.cases.selectors import cases_near
from civicline.cases.services import _event

# A closed or cancelled case is finished: it is neither suggested nor merged.
FINISHED = (Status.CLOSED, Status.CANCELLED)
SUGGESTIONS = 10


def duplicate_candidates(case: Case, *, limit: int = SUGGESTIONS) -> list[tuple[Case, int]]:
    """The cases that may report the same problem as `case`, nearest first, with their
    distance in metres: the same category, within `DUPLICATE_DISTANCE_M` of its point,
    registered within `DUPLICATE_WINDOW_DAYS` before or after it, not finished (closed,
    cancelled) and not merged already. None for a case without a point, or one that is
    itself merged or finished."""
    if case.latitude is None or case.longitude is None:
        return []
    if case.duplicate_of_id or case.status in FINISHED:
        return []
    window = timedelta(days=settings.DUPLICATE_WINDOW_DAYS)
    cases = (
        Case.objects.filter(
            category_id=case.category_id,
            created_at__range=(case.created_at - window, case.created_at + window),
            duplicate_of__isnull=True,
        )
        .exclude(status__in=FINISHED)
        .exclude(pk=case.pk)
    )
    near = cases_near(
        cases,
        latitude=case.latitude,
        longitude=case.longitude,
        radius_m=settings.DUPLICATE_DISTANCE_M,
    )
    return [(other, round(metres)) for other, metres in near[:limit]]


def master_of(first: Case, second: Case) -> tuple[Case, Case]:
    """(master, duplicate): the case registered first is the master."""
    if (second.created_at, second.pk) < (first.created_at, first.pk):
        return second, first
    return first, second


def _refusal(master: Case, duplicate: Case) -> str | None:
    if master.pk == duplicate.pk:
        return _("A case cannot be merged with itself.")
    if master.category_id != duplicate.category_id:
        return _(
            "Only cases of the same category can be merged: %(a)s is “%(x)s”, %(b)s “%(y)s”."
        ) % {
            "a": master.reference,
            "x": master.category.name,
            "b": duplicate.reference,
            "y": duplicate.category.name,
        }
    for case in (master, duplicate):
        if case.duplicate_of_id:
            return _("Case %(ref)s is already merged into %(master)s.") % {
                "ref": case.reference,
                "master": case.duplicate_of.reference,
            }
        if case.status in FINISHED:
            return _("Case %(ref)s is already %(status)s; it cannot be merged.") % {
                "ref": case.reference,
                "status": Status(case.status).label.lower(),
            }
    return None


@transaction.atomic
def case_merge(*, duplicate: Case, master: Case, actor: AbstractBaseUser | None) -> Case:
    """Merge two cases that report the same problem; returns the master.

    Whatever the order of the arguments, the case registered first (the oldest) stays the
    master: the competent body may have started on it and its reporter waits longest. The
    other one is closed (not cancelled: the citizen is not turned down, the problem is
    handled elsewhere) with the public note “Merged with <master>”, its `duplicate_of` points
    at the master, and its reporter and followers follow the master from now on, each
    citizen once, so they are told what happens there (if they agreed to be contacted: the
    notifications check that, as for any follower). Cases merged into the duplicate earlier
    now point at the master. Both timelines get a MERGED event (old value: the merged case,
    new value: the master).

    Refused, changing nothing: the same case twice, cases of different categories, a case
    already merged, a case already closed or cancelled.
    """
    if master.pk == duplicate.pk:
        raise ValidationError(_("A case cannot be merged with itself."))
    # Locked in the order of their ids, so two merges of the same pair cannot deadlock.
    # of=self: PostgreSQL locks no row on the nullable side of the join (duplicate_of).
    locked = Case.objects.select_for_update(of=("self",)).select_related("category", "duplicate_of")
    first, second = sorted((master.pk, duplicate.pk))
    first, second = locked.get(pk=first), locked.get(pk=second)
    master, duplicate = master_of(first, second)
    refusal = _refusal(master, duplicate)
    if refusal:
        raise ValidationError(refusal)

    now = clock.now()
    old_status = duplicate.status
    duplicate.duplicate_of = master
    duplicate.status = Status.CLOSED
    duplicate.updated_at = now
    duplicate.save(update_fields=["duplicate_of", "status", "updated_at"])
    Case.objects.filter(duplicate_of=duplicate).update(duplicate_of=master)

    _move_citizens(duplicate=duplicate, master=master, at=now)
    master.updated_at = now
    master.save(update_fields=["updated_at"])

    # The status change is what the citizen's tracking page and Open311 show; as a closing
    # it stops the duplicate's deadline and sends the citizen no "cancelled" message.
    _event(
        duplicate,
        actor=actor,
        kind=EventKind.STATUS_CHANGED,
        old=old_status,
        new=Status.CLOSED,
        note=_("Merged with %(ref)s: the same problem is handled there.")
        % {"ref": master.reference},
        is_public=True,
    )
    _event(
        duplicate,
        actor=actor,
        kind=EventKind.MERGED,
        old=duplicate.reference,
        new=master.reference,
        note=_("Merged into %(ref)s.") % {"ref": master.reference},
    )
    _event(
        master,
        actor=actor,
        kind=EventKind.MERGED,
        old=duplicate.reference,
        new=master.reference,
        note=_("Merged from %(ref)s.") % {"ref": duplicate.reference},
    )
    return master


def _move_citizens(*, duplicate: Case, master: Case, at) -> None:
    """The duplicate's reporter and followers follow the master, each citizen once.
    Anonymous followers are moved as they are: they are only counted."""
    known = set(master.followers.exclude(reporter=None).values_list("reporter_id", flat=True))
    if master.reporter_id:
        known.add(master.reporter_id)
    if duplicate.reporter_id and duplicate.reporter_id not in known:
        Follower.objects.create(
            case=master, reporter_id=duplicate.reporter_id, channel=duplicate.channel, created_at=at
        )
        known.add(duplicate.reporter_id)
    for follower in duplicate.followers.all():
        if follower.reporter_id in known:
            follower.delete()
            continue
        follower.case = master
        follower.save(update_fields=["case"])
        if follower.reporter_id:
            known.add(follower.reporter_id)
