"""Open311 writes: API keys for applications, and service requests turned into cases."""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from civicline import clock
from civicline.cases import services as case_services
from civicline.cases.models import DESCRIPTION_MAX, Case
from civicline.cases.photos import CheckedPhoto, is_web_address, photo_check
from civicline.cases.services import email_clean
from civicline.directory.models import Category
from civicline.directory.phones import PhoneError, phone_to_e164
from civicline.directory.questions import answers_clean, answers_from_form
from civicline.open311.models import Application, PendingRequest, RateWindow, Submission


class Open311Error(Exception):
    """What went wrong, as Open311 reports it: a status and one (code, text) per problem."""

    def __init__(self, status: int, problems: list[tuple[int, str]]):
        super().__init__(problems)
        self.status, self.problems = status, problems


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def application_create(*, name: str, channel: str = "mobile_app") -> tuple[Application, str]:
    """A new application and its key; the key is returned once and never stored."""
    raw = secrets.token_urlsafe(24)
    return Application.objects.create(name=name, channel=channel, digest=_digest(raw)), raw


def application_for_key(raw: str | None) -> Application:
    found = None
    if raw:
        found = Application.objects.filter(digest=_digest(raw), revoked_at__isnull=True).first()
    if found is None:
        raise Open311Error(403, [(403, _("api_key is missing, unknown or revoked."))])
    return found


@dataclass(frozen=True)
class Location:
    latitude: Decimal | None
    longitude: Decimal | None
    address: str


def _location(data) -> tuple[Location | None, list[tuple[int, str]]]:
    lat, long = data.get("lat", "").strip(), data.get("long", "").strip()
    address = (data.get("address_string") or data.get("address_id") or "").strip()[:300]
    if lat or long:
        try:
            latitude, longitude = Decimal(lat), Decimal(long)
        except InvalidOperation:
            latitude = longitude = Decimal("NaN")
        if not (latitude.is_finite() and longitude.is_finite()):
            return None, [(400, _("lat and long must both be decimal degrees."))]
        if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
            return None, [(400, _("lat or long is out of range."))]
        return Location(round(latitude, 6), round(longitude, 6), address), []
    if address:
        return Location(None, None, address), []
    return None, [(400, _("A location is required: lat and long, address_string or address_id."))]


def _media(files) -> tuple[CheckedPhoto | None, list[tuple[int, str]]]:
    upload = files.get("media") if files else None
    if upload is None:
        return None, []
    try:
        return photo_check(upload), []
    except ValidationError as error:
        return None, [(400, f"media: {m}") for m in error.messages]


def request_submit(*, application: Application, data, files=None) -> Case | PendingRequest:
    """Register the service request as a case, routed like any other, or, for a moderated
    category, keep it for an operator and hand out a token. All problems with the request
    are reported together and nothing is stored."""
    photo, problems = _media(files)
    code = (data.get("service_code") or "").strip()
    category = Category.objects.filter(code=code, is_active=True).first() if code else None
    if category is None or not category.citizen_kind:  # information-only: not a service
        problems.append((400, _("service_code is missing or unknown.")))
    location, location_problems = _location(data)
    problems += location_problems
    description = (data.get("description") or "").strip()
    if len(description) > DESCRIPTION_MAX:
        problems.append((400, _("description is longer than 4000 characters.")))
    if problems:
        raise Open311Error(400, problems)
    if category.moderated:
        _check_before_moderation(category, data)
        pending = PendingRequest(
            token=secrets.token_hex(16),
            application=application,
            data={name: data.getlist(name) for name in data if name != "api_key"},
        )
        if photo:
            pending.media.save(f"{pending.token}.{photo.extension}", ContentFile(photo.original),
                               save=False)  # fmt: skip
        pending.save()
        return pending
    return _register(application, category, location, description, data, photo)


def _check_before_moderation(category: Category, data) -> None:
    """What registration would refuse is refused now, not when the operator approves."""
    problems = []
    media_url = (data.get("media_url") or "").strip()
    if media_url and not is_web_address(media_url):
        problems.append((400, _("The photo's address must be an http or https address.")))
    phone = (data.get("phone") or "").strip()
    if phone:
        try:
            phone_to_e164(phone)
        except PhoneError as exc:
            problems.append((400, f"phone: {exc}"))
    try:
        email_clean(data.get("email") or "")
    except ValidationError as error:
        problems += [(400, f"email: {m}") for m in error.messages]
    try:
        answers_clean(category, answers_from_form(data))
    except ValidationError as error:
        problems += [(400, f"{f}: {m}") for f, ms in error.message_dict.items() for m in ms]
    if problems:
        raise Open311Error(400, problems)


def _register(application, category, location, description, data, photo=None) -> Case:
    name = " ".join(p for p in (data.get("first_name", ""), data.get("last_name", "")) if p)
    contact = case_services.ReporterDetails(
        name=name.strip()[:200],
        phone=(data.get("phone") or "").strip(),
        email=(data.get("email") or "").strip(),
        # Giving a contact to a reporting app is asking to be told what happens.
        consent_to_contact=bool((data.get("phone") or data.get("email") or "").strip()),
    )
    try:
        with transaction.atomic():
            case = case_services.case_intake(
                reporter=contact,
                actor=None,
                kind=category.citizen_kind,
                channel=application.channel,
                category=category,
                description=description or category.name,
                address=location.address,
                latitude=location.latitude,
                longitude=location.longitude,
                answers=answers_from_form(data),
                photos=[photo] if photo else [],
                media_url=(data.get("media_url") or "").strip(),
            )
            Submission.objects.create(
                case=case,
                application=application,
                device_id=(data.get("device_id") or "").strip()[:200],
                account_id=(data.get("account_id") or "").strip()[:200],
            )
            return case
    except ValidationError as error:
        messages = error.messages if not hasattr(error, "error_dict") else [
            m if field in ("__all__",) else f"{field}: {m}"
            for field, ms in error.message_dict.items() for m in ms
        ]  # fmt: skip
        raise Open311Error(400, [(400, m) for m in messages]) from None


def _count(bucket: str, window) -> int:
    updated = RateWindow.objects.filter(bucket=bucket, window=window).update(count=F("count") + 1)
    if not updated:
        try:
            with transaction.atomic():
                RateWindow.objects.create(bucket=bucket, window=window, count=1)
        except IntegrityError:  # another request opened this minute first
            RateWindow.objects.filter(bucket=bucket, window=window).update(count=F("count") + 1)
        # A new minute: forget the ones that can no longer matter.
        RateWindow.objects.filter(window__lt=window - timedelta(minutes=10)).delete()
    return RateWindow.objects.values_list("count", flat=True).get(bucket=bucket, window=window)


@transaction.atomic
def rate_limit(*, bucket: str, limit: int) -> None:
    """Count one POST in this minute's window of `bucket` (a key or an address); over the
    limit, a 429 explains it. The count stays even when the request is refused later."""
    window = clock.now().replace(second=0, microsecond=0)
    if _count(bucket, window) > limit:
        raise Open311Error(
            429, [(429, _("Too many requests from this application or address: wait a minute."))]
        )


@transaction.atomic
def pending_approve(*, pending: PendingRequest) -> Case:
    """An operator let the report in: it becomes a case like any other."""
    from django.http import QueryDict

    pending = PendingRequest.objects.select_for_update().get(pk=pending.pk)
    if pending.case_id or pending.rejected_at:
        raise ValidationError(_("This report was already handled."))
    data = QueryDict(mutable=True)
    for name, values in pending.data.items():
        data.setlist(name, values)
    category = Category.objects.get(code=data.get("service_code"))
    location, _unused = _location(data)
    description = (data.get("description") or "").strip()
    photo = None
    if pending.media:
        with pending.media.open("rb") as media:
            photo = photo_check(media)
    try:
        case = _register(pending.application, category, location, description, data, photo)
    except Open311Error as error:
        raise ValidationError([text for _code, text in error.problems]) from None
    pending.case = case
    pending.save(update_fields=["case"])
    return case


@transaction.atomic
def pending_reject(*, pending: PendingRequest) -> None:
    PendingRequest.objects.filter(
        pk=pending.pk, case__isnull=True, rejected_at__isnull=True
    ).update(rejected_at=clock.now())
