"""The case (a citizen's appeal), its reporter, its photos and its append-only history."""

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from civicline.directory.models import Area, CaseKind, Category, Organisation, Question

DESCRIPTION_MAX = 4000


class Channel(models.TextChoices):
    PHONE = "phone", _("Phone")
    WALK_IN = "walk_in", _("Walk-in")
    EMAIL = "email", _("E-mail")
    WEB = "web", _("Web")
    MOBILE_APP = "mobile_app", _("Mobile app")
    SMS = "sms", _("SMS")
    CHAT = "chat", _("Chat")


class Status(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    ASSIGNED = "assigned", _("Assigned")
    IN_PROGRESS = "in_progress", _("In progress")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", _("Closed")
    CANCELLED = "cancelled", _("Cancelled")


OPEN_STATUSES = (Status.REGISTERED, Status.ASSIGNED, Status.IN_PROGRESS)


class Reporter(models.Model):
    """The citizen behind one or more cases. Kept apart from the case: only the contact
    center ever reads it."""

    name = models.CharField(_("name"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True, db_index=True)
    email = models.EmailField(_("e-mail"), blank=True, db_index=True)
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default="sr"
    )
    consent_to_contact = models.BooleanField(_("consents to be contacted"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("reporter")
        verbose_name_plural = _("reporters")

    def __str__(self) -> str:
        return self.name or self.phone or self.email or str(_("anonymous"))


class ReferenceCounter(models.Model):
    """Hands out case references per year; the row is locked while a number is taken."""

    year = models.PositiveIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["year"]

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


def new_tracking_code() -> str:
    """What the citizen's tracking link carries besides the reference: ten letters and
    digits that cannot be confused when read out (no 0/O, 1/I/L)."""
    return "".join(secrets.choice(TRACKING_ALPHABET) for _i in range(10))


TRACKING_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


class Case(models.Model):
    reference = models.CharField(_("reference"), max_length=20, unique=True)
    # With the reference, opens the citizen's tracking page; handed to the reporter only.
    tracking_code = models.CharField(max_length=10, default=new_tracking_code, editable=False)
    kind = models.CharField(_("kind"), max_length=20, choices=CaseKind.choices)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    category = models.ForeignKey(
        Category, verbose_name=_("category"), on_delete=models.PROTECT, related_name="cases"
    )
    description = models.TextField(_("description"), max_length=DESCRIPTION_MAX)
    address = models.CharField(_("address"), max_length=300, blank=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    area = models.ForeignKey(
        Area, verbose_name=_("area"), null=True, blank=True, on_delete=models.PROTECT
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("competent organisation"),
        on_delete=models.PROTECT,
        related_name="cases",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.REGISTERED
    )
    reporter = models.ForeignKey(
        Reporter,
        verbose_name=_("reporter"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="registered_cases",
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned to"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_cases",
    )
    created_at = models.DateTimeField(_("registered"), db_index=True)
    updated_at = models.DateTimeField(_("updated"), db_index=True)
    # Set while the body waits for the citizen (a document, access): deadlines stop meanwhile.
    waiting_since = models.DateTimeField(_("waiting on the citizen since"), null=True, blank=True)
    # Set on a case merged into an older one reporting the same problem (the master); the
    # merged case is closed and its citizens follow the master.
    duplicate_of = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="duplicates",
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        indexes = [
            models.Index(fields=["status", "-created_at"], name="case_status_created"),
            models.Index(
                fields=["organisation", "status", "-created_at"], name="case_org_status_created"
            ),
            models.Index(fields=["organisation", "-created_at"], name="case_org_created"),
            models.Index(fields=["category", "-created_at"], name="case_category_created"),
            models.Index(fields=["kind", "-created_at"], name="case_kind_created"),
            models.Index(fields=["channel", "-created_at"], name="case_channel_created"),
            models.Index(fields=["registered_by", "-created_at"], name="case_registrar_created"),
            models.Index(fields=["reporter", "-created_at"], name="case_reporter_created"),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class EventKind(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    STATUS_CHANGED = "status_changed", _("Status changed")
    NOTE = "note", _("Note")
    TRANSFERRED = "transferred", _("Transferred")
    WAITING = "waiting", _("Waiting on the citizen")
    RESUMED = "resumed", _("Citizen answered")
    OVERDUE = "overdue", _("Overdue")
    CHASED = "chased", _("Chased")
    DELAYED = "delayed", _("Citizen told of a delay")
    CALLBACK = "callback", _("Called back")
    PHOTO = "photo", _("Photo added")
    FOLLOWED = "followed", _("Another citizen reported it too")
    MERGED = "merged", _("Merged with another case")


class CaseEvent(models.Model):
    """One change to a case, written in the same transaction as the change. Never edited."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(_("when"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    kind = models.CharField(_("what"), max_length=20, choices=EventKind.choices)
    old_value = models.CharField(_("old value"), max_length=200, blank=True)
    new_value = models.CharField(_("new value"), max_length=200, blank=True)
    note = models.TextField(_("note"), blank=True, max_length=DESCRIPTION_MAX)
    is_public = models.BooleanField(_("public"), default=False)
    # The case's status and competent body right after this event: the live view and
    # the reports read them without joining back to the case.
    status = models.CharField(max_length=20, choices=Status.choices)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", db_index=False
    )

    class Meta:
        ordering = ["at", "id"]
        indexes = [
            models.Index(fields=["case", "at"], name="caseevent_case_at"),
            models.Index(fields=["organisation", "id"], name="caseevent_org_id"),
            # Open311's updates since a date read events by time across all cases.
            models.Index(fields=["at", "id"], name="caseevent_at_id"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind} {self.at:%Y-%m-%d %H:%M}"


class Answer(models.Model):
    """The reporter's answer to one of the category's extra questions."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    value = models.TextField(_("answer"))

    class Meta:
        ordering = ["case", "question__order", "id"]
        constraints = [models.UniqueConstraint(fields=["case", "question"], name="answer_unique")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.question_id}: {self.value[:40]}"


class Follower(models.Model):
    """A citizen who found their problem already reported and joined the case instead of
    reporting it again; told what happens like the reporter (anonymous: only counted)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="followers")
    reporter = models.ForeignKey(
        Reporter, null=True, blank=True, on_delete=models.PROTECT, related_name="followed"
    )
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    created_at = models.DateTimeField(_("joined"))

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("follower")
        verbose_name_plural = _("followers")

    def __str__(self) -> str:
        return f"{self.case_id} {self.reporter_id or '-'}"


class PhotoStage(models.TextChoices):
    REPORT = "report", _("With the report")
    BEFORE = "before", _("Before")
    AFTER = "after", _("After")


class Photo(models.Model):
    """A photo of the problem. The published copy (resized, without metadata) is what the
    public sees, at an unguessable address; the original stays with staff. A photo that
    a reporting app only links to has an external address and no files."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="photos")
    stage = models.CharField(_("stage"), max_length=10, choices=PhotoStage.choices)
    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    original = models.FileField(_("original"), upload_to="photos/originals/%Y/%m/", blank=True)
    published = models.FileField(_("published copy"), upload_to="photos/public/%Y/%m/", blank=True)
    external_url = models.URLField(_("address of the photo"), max_length=500, blank=True)
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    is_public = models.BooleanField(_("public"), default=True)
    # When and where the phone took it, when the browser said so: for staff only.
    taken_at = models.DateTimeField(_("taken"), null=True, blank=True)
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("added"))

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("photo")
        verbose_name_plural = _("photos")

    def __str__(self) -> str:
        return f"{self.case_id} {self.stage} {self.key}"

    @property
    def public_path(self) -> str:
        """Where the public copy is served (site-relative), or the app's own address."""
        if self.external_url:
            return self.external_url
        return reverse("photo", kwargs={"key": self.key})
