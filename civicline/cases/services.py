"""The operations on cases. Each runs in one transaction and writes its CaseEvent with it."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from civicline import clock
from civicline.cases import workflow
from civicline.cases.models import (
    DESCRIPTION_MAX,
    Answer,
    Case,
    CaseEvent,
    Channel,
    EventKind,
    Follower,
    Photo,
    PhotoStage,
    ReferenceCounter,
    Reporter,
    Status,
)
from civicline.cases.photos import CheckedPhoto, is_web_address
from civicline.deadlines import services as deadline_services
from civicline.directory.models import Area, CaseKind, Category, Organisation
from civicline.directory.phones import PhoneError, phone_to_e164
from civicline.directory.questions import answers_clean
from civicline.directory.selectors import area_at
from civicline.notifications.services import notify_reporter
from civicline.routing.selectors import competent_organisation


def _event(
    case: Case,
    *,
    actor: AbstractBaseUser | None,
    kind: str,
    old: str = "",
    new: str = "",
    note: str = "",
    is_public: bool = False,
) -> CaseEvent:
    """Write the event, and let the parts that follow every case (deadlines, the citizen's
    notifications) react to it in the same transaction."""
    event = CaseEvent.objects.create(
        case=case,
        at=case.updated_at,
        actor=actor,
        kind=kind,
        old_value=old,
        new_value=new,
        note=note,
        is_public=is_public,
        status=case.status,
        organisation_id=case.organisation_id,
    )
    deadline_services.deadline_on_event(event=event)
    notify_reporter(event=event)
    return event


def _next_reference(year: int) -> str:
    # The UPDATE locks the year's row until commit, so two registrations never share a number.
    if not ReferenceCounter.objects.filter(year=year).update(last=F("last") + 1):
        ReferenceCounter.objects.get_or_create(year=year)
        ReferenceCounter.objects.filter(year=year).update(last=F("last") + 1)
    number = ReferenceCounter.objects.values_list("last", flat=True).get(year=year)
    return f"{year}-{number:06d}"


def _locked(case: Case) -> Case:
    return Case.objects.select_for_update().get(pk=case.pk)


def _clean_note(note: str, *, field: str = "note") -> str:
    note = (note or "").strip()
    if len(note) > DESCRIPTION_MAX:
        raise ValidationError(
            {field: _("Keep it under %(max)d characters.") % {"max": DESCRIPTION_MAX}}
        )
    return note


@dataclass(frozen=True)
class ReporterDetails:
    """What the citizen told about themselves; all empty means an anonymous case."""

    name: str = ""
    phone: str = ""
    email: str = ""
    language: str = "sr"
    consent_to_contact: bool = False


def email_clean(email: str) -> str:
    """The address folded to lower case, or a ValidationError for one mail cannot reach."""
    email = email.strip().lower()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise ValidationError(_("Enter a valid e-mail address.")) from None
        if len(email) > Reporter._meta.get_field("email").max_length:
            raise ValidationError(_("This e-mail address is too long."))
    return email


@transaction.atomic
def reporter_find_or_create(*, details: ReporterDetails) -> Reporter | None:
    """The citizen with this phone (or, without a phone, this e-mail); None when anonymous.

    A known citizen's name and consent are updated with what they say now.
    """
    name, phone = details.name.strip()[:200], details.phone
    try:
        email = email_clean(details.email)
    except ValidationError as error:
        raise ValidationError({"email": error.messages}) from None
    language, consent_to_contact = details.language, details.consent_to_contact
    if language not in dict(settings.LANGUAGES):
        raise ValidationError({"language": _("Choose a language from the list.")})
    if phone:
        try:
            phone = phone_to_e164(phone)
        except PhoneError as exc:
            raise ValidationError({"phone": str(exc)}) from None
    if not (name or phone or email):
        return None
    reporter = None
    if phone:
        reporter = Reporter.objects.filter(phone=phone).order_by("id").first()
    elif email:
        reporter = Reporter.objects.filter(email=email).order_by("id").first()
    if reporter is None:
        return Reporter.objects.create(
            name=name,
            phone=phone,
            email=email,
            language=language,
            consent_to_contact=consent_to_contact,
        )
    reporter.name = name or reporter.name
    reporter.email = email or reporter.email
    reporter.language = language
    reporter.consent_to_contact = consent_to_contact
    reporter.save(update_fields=["name", "email", "language", "consent_to_contact"])
    return reporter


@transaction.atomic
def case_register(
    *,
    kind: str,
    channel: str,
    category: Category,
    description: str,
    actor: AbstractBaseUser | None,
    address: str = "",
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
    area: Area | None = None,
    reporter: Reporter | None = None,
    answer: str = "",
    answers: dict[str, list[str]] | None = None,
    photos: Sequence[CheckedPhoto] = (),
    media_url: str = "",
) -> Case:
    """Register a case and route it to the competent organisation, with the reporter's
    photos (checked by `photos.photo_check`) or the address of a photo an app keeps.

    With `answer`, an information request answered on the spot is registered and resolved
    in the same transaction: the contact center itself was competent to answer.
    """
    description = _clean_note(description, field="description")
    errors: dict[str, str] = {}
    if not description:
        errors["description"] = _("Describe what the citizen reports or asks.")
    if kind not in CaseKind.values:
        errors["kind"] = _("Choose a kind of case.")
    elif kind not in category.allowed_kinds:
        errors["kind"] = _("“%(kind)s” is not allowed for the category “%(category)s”.") % {
            "kind": CaseKind(kind).label,
            "category": category.name,
        }
    if channel not in Channel.values:
        errors["channel"] = _("Choose a channel.")
    if not category.is_active:
        errors["category"] = _("This category is no longer in use.")
    if (latitude is None) != (longitude is None):
        errors["latitude"] = _("Give both latitude and longitude, or neither.")
    if answer and kind != CaseKind.INFORMATION:
        errors["answer"] = _("Only an information request can be answered on the spot.")
    if len(photos) + bool(media_url) > settings.PHOTOS_PER_CASE:
        errors["photos"] = _("Send at most %(n)d photos.") % {"n": settings.PHOTOS_PER_CASE}
    if media_url and not is_web_address(media_url):
        errors["media_url"] = _("The photo's address must be an http or https address.")
    if errors:
        raise ValidationError(errors)
    answer = _clean_note(answer, field="answer")
    checked = answers_clean(category, answers or {})
    if area is None and latitude is not None:
        # The point places the case in its area; an area the operator chose is kept.
        area = area_at(latitude, longitude)

    now = clock.now()
    case = Case.objects.create(
        reference=_next_reference(timezone.localtime(now).year),
        kind=kind,
        channel=channel,
        category=category,
        description=description,
        address=address.strip()[:300],
        latitude=latitude,
        longitude=longitude,
        area=area,
        organisation=competent_organisation(category=category, area=area),
        reporter=reporter,
        registered_by=actor,
        created_at=now,
        updated_at=now,
    )
    Answer.objects.bulk_create(
        Answer(case=case, question=question, value=value) for question, value in checked.items()
    )
    for photo in photos:
        _photo_store(case, photo, stage=PhotoStage.REPORT, actor=actor)
    if media_url:
        Photo.objects.create(
            case=case, stage=PhotoStage.REPORT, external_url=media_url, created_at=now
        )
    _event(case, actor=actor, kind=EventKind.REGISTERED, new=case.reference)
    if answer:
        case.status = Status.RESOLVED
        case.save(update_fields=["status"])
        _event(
            case,
            actor=actor,
            kind=EventKind.STATUS_CHANGED,
            old=Status.REGISTERED,
            new=Status.RESOLVED,
            note=answer,
            is_public=True,
        )
    return case


def _photo_store(
    case: Case,
    photo: CheckedPhoto,
    *,
    stage: str,
    actor: AbstractBaseUser | None,
    **where_and_when,
) -> Photo:
    stored = Photo(
        case=case,
        stage=stage,
        width=photo.width,
        height=photo.height,
        uploaded_by=actor,
        created_at=case.updated_at,
        **where_and_when,
    )
    # Files written before a rollback stay behind unreferenced; they hold nothing public.
    stored.original.save(f"{stored.key}.{photo.extension}", ContentFile(photo.original), save=False)
    stored.published.save(f"{stored.key}.jpg", ContentFile(photo.published), save=False)
    stored.save()
    return stored


@transaction.atomic
def case_add_photo(
    *,
    case: Case,
    photo: CheckedPhoto,
    stage: str,
    actor: AbstractBaseUser | None,
    is_public: bool = True,
    taken_at: datetime | None = None,
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
) -> Photo:
    """A photo of the problem, before or after the work, on the case's timeline."""
    if stage not in PhotoStage.values:
        raise ValidationError({"stage": _("Choose before or after.")})
    case = _touched(case)
    if case.photos.count() >= settings.PHOTOS_PER_CASE * 4:
        raise ValidationError({"photo": _("This case has as many photos as it can take.")})
    case.save(update_fields=["updated_at"])
    stored = _photo_store(
        case,
        photo,
        stage=stage,
        actor=actor,
        is_public=is_public,
        taken_at=taken_at,
        latitude=latitude,
        longitude=longitude,
    )
    _event(case, actor=actor, kind=EventKind.PHOTO, new=stage, is_public=is_public)
    return stored


@transaction.atomic
def case_follow(*, case: Case, reporter: ReporterDetails, channel: str) -> Follower | None:
    """A citizen says an open case is their problem too: they are counted, and told what
    happens if they left a contact and agreed to it. None if they already follow it."""
    person = reporter_find_or_create(details=reporter)
    case = _touched(case)
    if not case.is_open:
        raise ValidationError(_("This case is already closed; report the problem anew."))
    if person and (
        case.reporter_id == person.pk or case.followers.filter(reporter=person).exists()
    ):
        return None
    case.save(update_fields=["updated_at"])
    follower = Follower.objects.create(
        case=case, reporter=person, channel=channel, created_at=case.updated_at
    )
    _event(case, actor=None, kind=EventKind.FOLLOWED)
    return follower


@transaction.atomic
def case_intake(*, reporter: ReporterDetails, **case_fields) -> Case:
    """Find or create the reporter and register their case, as one transaction: a rejected
    case leaves no reporter behind. `case_fields` are case_register's arguments."""
    return case_register(reporter=reporter_find_or_create(details=reporter), **case_fields)


@transaction.atomic
def case_change_status(
    *, case: Case, to: str, actor: AbstractBaseUser | None, note: str = ""
) -> Case:
    """Move a case along the state machine; an illegal move changes nothing."""
    case = _locked(case)
    note = _clean_note(note)
    if to not in Status.values:
        raise ValidationError({"status": _("“%(value)s” is not a status.") % {"value": to[:40]}})
    if not workflow.is_allowed(case.status, to):
        raise ValidationError(
            {
                "status": _("A case that is “%(current)s” cannot become “%(target)s”.")
                % {"current": Status(case.status).label, "target": Status(to).label}
            }
        )
    if workflow.note_required(case.status, to) and not note:
        raise ValidationError({"note": _("Write why: this change needs a note.")})
    if to == Status.RESOLVED and case.category.photo_proof and not _has_after_photo(case):
        raise ValidationError(
            {"status": _("Add a photo of the problem fixed first: this category needs proof.")}
        )
    is_public = workflow.note_is_public(case.status, to)
    old = case.status
    case.status = to
    case.updated_at = clock.now()
    fields = ["status", "updated_at"]
    if to == Status.ASSIGNED:
        case.assignee = actor
        fields.append("assignee")
    case.save(update_fields=fields)
    _event(
        case,
        actor=actor,
        kind=EventKind.STATUS_CHANGED,
        old=old,
        new=to,
        note=note,
        is_public=is_public,
    )
    return case


def _has_after_photo(case: Case) -> bool:
    return case.photos.filter(stage=PhotoStage.AFTER).exclude(published="").exists()


@transaction.atomic
def case_add_note(
    *, case: Case, actor: AbstractBaseUser | None, note: str, is_public: bool
) -> CaseEvent:
    """A note on the timeline; a public one is what the citizen may be told."""
    note = _clean_note(note)
    if not note:
        raise ValidationError({"note": _("Write the note first.")})
    case = _locked(case)
    case.updated_at = clock.now()
    case.save(update_fields=["updated_at"])
    return _event(case, actor=actor, kind=EventKind.NOTE, note=note, is_public=is_public)


@transaction.atomic
def case_set_organisation(
    *, case: Case, organisation: Organisation, actor: AbstractBaseUser | None, reason: str
) -> Case:
    """Hand an open case to another body; it waits there to be accepted again.

    Called by routing's case_transfer, which decides whether the transfer may happen.
    """
    case = _locked(case)
    old_name = case.organisation.name
    case.organisation = organisation
    case.assignee = None
    if case.status in (Status.ASSIGNED, Status.IN_PROGRESS):
        case.status = Status.REGISTERED
    case.updated_at = clock.now()
    case.save(update_fields=["organisation", "assignee", "status", "updated_at"])
    _event(
        case,
        actor=actor,
        kind=EventKind.TRANSFERRED,
        old=old_name[:200],
        new=organisation.name[:200],
        note=reason,
    )
    return case


def _touched(case: Case) -> Case:
    case = _locked(case)
    case.updated_at = clock.now()
    return case


def _required(note: str, message: str) -> str:
    note = _clean_note(note)
    if not note:
        raise ValidationError({"note": message})
    return note


@transaction.atomic
def case_wait_on_citizen(*, case: Case, actor: AbstractBaseUser | None, note: str) -> Case:
    """The body needs something from the citizen; its deadlines stop until they answer."""
    note = _required(note, _("Write what the citizen is asked for."))
    case = _touched(case)
    if not case.is_open or case.waiting_since:
        raise ValidationError({"note": _("Only an open case that is not waiting can wait.")})
    case.waiting_since = case.updated_at
    case.save(update_fields=["waiting_since", "updated_at"])
    _event(case, actor=actor, kind=EventKind.WAITING, note=note)
    return case


@transaction.atomic
def case_resume(*, case: Case, actor: AbstractBaseUser | None, note: str = "") -> Case:
    """The citizen answered: the deadlines run again with the time that was left."""
    note = _clean_note(note)
    case = _touched(case)
    if not case.waiting_since:
        raise ValidationError({"note": _("This case is not waiting on the citizen.")})
    case.waiting_since = None
    case.save(update_fields=["waiting_since", "updated_at"])
    _event(case, actor=actor, kind=EventKind.RESUMED, note=note)
    return case


@transaction.atomic
def case_mark_overdue(*, case: Case, due: datetime) -> CaseEvent:
    """The resolution deadline passed with the case still open (written by the sweep)."""
    case = _touched(case)
    case.save(update_fields=["updated_at"])
    return _event(case, actor=None, kind=EventKind.OVERDUE, new=due.isoformat())


@transaction.atomic
def case_record_chase(*, case: Case, actor: AbstractBaseUser | None, note: str) -> CaseEvent:
    """The operator called the competent body about an overdue case; what they said."""
    note = _required(note, _("Write what the competent body said."))
    case = _touched(case)
    case.save(update_fields=["updated_at"])
    return _event(case, actor=actor, kind=EventKind.CHASED, note=note)


@transaction.atomic
def case_tell_delayed(*, case: Case, note: str) -> CaseEvent:
    """The promised answer is late: the citizen is told so (seed 004)."""
    case = _touched(case)
    case.save(update_fields=["updated_at"])
    return _event(case, actor=None, kind=EventKind.DELAYED, note=note, is_public=True)


@transaction.atomic
def case_record_callback(*, case: Case, actor: AbstractBaseUser | None, outcome: str) -> CaseEvent:
    """The operator called the citizen back; the outcome is what the citizen was told."""
    outcome = _required(outcome, _("Write what the citizen was told."))
    case = _touched(case)
    case.save(update_fields=["updated_at"])
    return _event(case, actor=actor, kind=EventKind.CALLBACK, note=outcome, is_public=True)
