from django.db import models
from django.utils.translation import gettext_lazy as _


class PeriodicJob(models.Model):
    """When a periodic job runs next. Workers claim a run with a conditional UPDATE, so with
    several workers each run happens once."""

    name = models.CharField(_("name"), max_length=100, primary_key=True)
    next_run_at = models.DateTimeField(_("next run"))
    last_started_at = models.DateTimeField(_("last started"), null=True, blank=True)
    last_finished_at = models.DateTimeField(_("last finished"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("periodic job")
        verbose_name_plural = _("periodic jobs")

    def __str__(self) -> str:
        return self.name
