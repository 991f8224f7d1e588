from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from civicline.directory.models import Area, Category, Organisation


class RoutingRule(models.Model):
    """Sends cases of a category, an area, or both, to an organisation.

    The most specific rule wins: category and area, then category, then area; with no rule
    the category's default competent organisation takes the case.
    """

    category = models.ForeignKey(
        Category, verbose_name=_("category"), null=True, blank=True, on_delete=models.CASCADE
    )
    area = models.ForeignKey(
        Area, verbose_name=_("area"), null=True, blank=True, on_delete=models.CASCADE
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("competent organisation"), on_delete=models.PROTECT
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["category_id", "area_id", "id"]
        verbose_name = _("routing rule")
        verbose_name_plural = _("routing rules")
        constraints = [
            models.UniqueConstraint(fields=["category", "area"], name="routingrule_unique_scope"),
            # NULLs are distinct in unique indexes, so the one-sided scopes need their own.
            models.UniqueConstraint(
                fields=["category"],
                condition=models.Q(area__isnull=True),
                name="routingrule_unique_category",
            ),
            models.UniqueConstraint(
                fields=["area"],
                condition=models.Q(category__isnull=True),
                name="routingrule_unique_area",
            ),
            models.CheckConstraint(
                condition=models.Q(category__isnull=False) | models.Q(area__isnull=False),
                name="routingrule_has_scope",
            ),
        ]

    def __str__(self) -> str:
        scope = " · ".join(str(x) for x in (self.category, self.area) if x)
        return f"{scope} → {self.organisation}"

    def clean(self) -> None:
        if self.category_id is None and self.area_id is None:
            raise ValidationError(_("A rule needs a category, an area, or both."))
