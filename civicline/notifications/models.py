"""Messages to citizens and staff: templates per language, the outbox, per-body SMS options."""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.template import Template, TemplateSyntaxError
from django.utils.translation import gettext_lazy as _

from civicline.cases.models import Case, CaseEvent
from civicline.directory.models import Organisation
from civicline.notifications.masks import mask_address


class Channel(models.TextChoices):
    SMS = "sms", _("SMS")
    EMAIL = "email", _("E-mail")


class Notice(models.TextChoices):
    """What a citizen is told about; each has its own templates."""

    REGISTERED = "registered", _("Case registered")
    WORK_STARTED = "work_started", _("Work started")
    RESOLVED = "resolved", _("Case resolved")
    CANCELLED = "cancelled", _("Case cancelled")
    REOPENED = "reopened", _("Case reopened")
    DELAYED = "delayed", _("Case delayed")
    CALLBACK = "callback", _("Callback outcome")


TEMPLATE_VARIABLES = _(
    "Django template syntax. Variables: {{ reference }}, {{ status }}, {{ note }} (the public "
    "note, if any), {{ category }}, {{ organisation }}."
)


class NotificationTemplate(models.Model):
    """The text of one notice on one channel in one language, edited in the admin."""

    notice = models.CharField(_("notice"), max_length=20, choices=Notice.choices)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    subject = models.CharField(
        _("subject"), max_length=200, blank=True, help_text=_("E-mail only.")
    )
    body = models.TextField(_("text"), help_text=TEMPLATE_VARIABLES)

    class Meta:
        ordering = ["notice", "channel", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["notice", "channel", "language"], name="notificationtemplate_unique"
            )
        ]
        verbose_name = _("notification template")
        verbose_name_plural = _("notification templates")

    def __str__(self) -> str:
        return f"{self.get_notice_display()} · {self.get_channel_display()} · {self.language}"

    def clean(self) -> None:
        errors = {}
        for field in ("subject", "body"):
            try:
                Template(getattr(self, field))
            except TemplateSyntaxError as exc:
                errors[field] = _("This template has an error: %(error)s") % {"error": exc}
        if errors:
            raise ValidationError(errors)


class Recipient(models.TextChoices):
    REPORTER = "reporter", _("Reporter")
    STAFF = "staff", _("Staff member")


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


def new_key() -> str:
    return uuid.uuid4().hex


class Notification(models.Model):
    """One message in the outbox. Written in the transaction of the change that causes it;
    the worker sends it and records what the gateway answered."""

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="notifications"
    )
    # The event that caused it; empty for messages to staff.
    event = models.ForeignKey(
        CaseEvent, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    notice = models.CharField(_("notice"), max_length=20, choices=Notice.choices, blank=True)
    recipient = models.CharField(_("recipient"), max_length=10, choices=Recipient.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    to = models.CharField(_("number or address"), max_length=254)
    language = models.CharField(_("language"), max_length=10)
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    body = models.TextField(_("text"))
    segments = models.PositiveSmallIntegerField(_("SMS segments"), default=0)
    status = models.CharField(
        _("status"), max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"))
    # While sending, the row belongs to one worker until this time; after it, another
    # worker takes it over (the first one died).
    lease_until = models.DateTimeField(null=True, blank=True)
    # Given to the gateway with every attempt, so a resend after a crash is recognised there.
    idempotency_key = models.CharField(max_length=32, unique=True, default=new_key, editable=False)
    gateway_response = models.TextField(_("gateway's answer"), blank=True)
    created_at = models.DateTimeField(_("created"))
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(fields=["event", "channel"], name="notification_once_per_event")
        ]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="notification_due"),
            models.Index(fields=["status", "-id"], name="notification_status_id"),
            models.Index(fields=["channel", "-id"], name="notification_channel_id"),
        ]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")

    def __str__(self) -> str:
        return f"{self.get_channel_display()} → {self.masked_to} ({self.get_status_display()})"

    @property
    def masked_to(self) -> str:
        return mask_address(self.channel, self.to)


class SmsPreference(models.Model):
    """How a body's SMS are written. Cyrillic needs UCS-2, 70 characters a segment; Latin
    without diacritics fits GSM-7, 160 characters."""

    organisation = models.OneToOneField(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="sms_preference",
    )
    latin_ascii = models.BooleanField(
        _("Serbian SMS in Latin without diacritics"),
        default=False,
        help_text=_(
            "Cheaper: a Cyrillic SMS holds 70 characters, one without č, ć, š, ž, đ holds 160. "
            "Departments follow their parent unless they have their own setting."
        ),
    )

    class Meta:
        ordering = ["organisation_id"]
        verbose_name = _("SMS preference")
        verbose_name_plural = _("SMS preferences")

    def __str__(self) -> str:
        return str(self.organisation)
