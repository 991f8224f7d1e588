"""Applications that report to the city through Open311 GeoReport v2."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from civicline.cases.models import Channel


class Application(models.Model):
    """A reporting app with its API key. Only the key's SHA-256 is kept; revoking it stops
    the app's reports at once."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    channel = models.CharField(
        _("channel"), max_length=20, choices=Channel.choices, default=Channel.MOBILE_APP
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("Open311 application")
        verbose_name_plural = _("Open311 applications")

    def __str__(self) -> str:
        return self.name


class RateWindow(models.Model):
    """How many requests a key or an address sent in one minute (for the POST limits)."""

    bucket = models.CharField(max_length=100)
    window = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["window", "bucket"]
        constraints = [
            models.UniqueConstraint(fields=["bucket", "window"], name="ratewindow_unique")
        ]
        indexes = [models.Index(fields=["window"], name="ratewindow_window")]

    def __str__(self) -> str:
        return f"{self.bucket} {self.window:%H:%M} {self.count}"


class PendingRequest(models.Model):
    """A report for a moderated category, waiting for an operator. The app gets a token and
    learns the case's reference from `tokens/{token}` once it is approved."""

    token = models.CharField(_("token"), max_length=40, unique=True)
    application = models.ForeignKey(Application, on_delete=models.PROTECT)
    data = models.JSONField(_("report"))
    # The photo as the app sent it (already checked); published when the case is made.
    media = models.FileField(_("photo"), upload_to="photos/pending/", blank=True)
    received_at = models.DateTimeField(_("received"), auto_now_add=True)
    case = models.OneToOneField(
        "cases.Case", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    rejected_at = models.DateTimeField(_("rejected"), null=True, blank=True)

    class Meta:
        ordering = ["received_at", "id"]
        verbose_name = _("report waiting for approval")
        verbose_name_plural = _("reports waiting for approval")

    def __str__(self) -> str:
        return self.token


class Submission(models.Model):
    """Which app sent a case, with the ids the app gave for its user and device: private,
    like the reporter, and never in a GET."""

    case = models.OneToOneField(
        "cases.Case", on_delete=models.CASCADE, related_name="open311_submission"
    )
    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="+")
    device_id = models.CharField(_("device id"), max_length=200, blank=True)
    account_id = models.CharField(_("account id"), max_length=200, blank=True)

    class Meta:
        ordering = ["-case_id"]
        verbose_name = _("report from an app")
        verbose_name_plural = _("reports from apps")

    def __str__(self) -> str:
        return f"{self.case_id} {self.application_id}"
