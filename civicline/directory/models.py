"""Who is who in the city: organisations, areas, the service catalogue and staff roles."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    CITY_ADMINISTRATION = "city_administration", _("City administration")
    PUBLIC_UTILITY = "public_utility", _("Public utility")
    PUBLIC_COMPANY = "public_company", _("Other public company")
    STATE_BODY = "state_body", _("State body")


class Organisation(models.Model):
    """A body that can be competent for a case; departments point to their parent."""

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=32, choices=OrganisationKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="departments",
    )
    phone = models.CharField(
        _("phone"), max_length=20, blank=True, help_text=_("Calls are transferred here (E.164).")
    )
    email = models.EmailField(_("e-mail"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        from civicline.directory.phones import PhoneError, phone_to_e164

        if self.phone:
            try:
                self.phone = phone_to_e164(self.phone)
            except PhoneError as exc:
                raise ValidationError({"phone": str(exc)}) from None
        ancestor = self.parent
        while ancestor is not None:
            if ancestor.pk == self.pk:
                raise ValidationError({"parent": _("An organisation cannot be part of itself.")})
            ancestor = ancestor.parent


class Area(models.Model):
    """A city district or municipality, optionally with its boundary as GeoJSON."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    code = models.SlugField(_("code"), max_length=40, unique=True)
    boundary = models.JSONField(
        _("boundary"),
        null=True,
        blank=True,
        help_text=_("A GeoJSON Polygon or MultiPolygon geometry (longitude, latitude)."),
    )

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("area")
        verbose_name_plural = _("areas")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        from civicline.directory.geojson import GeometryError, validate_boundary

        if self.boundary is not None:
            try:
                validate_boundary(self.boundary)
            except GeometryError as exc:
                raise ValidationError({"boundary": str(exc)}) from None


class CaseKind(models.TextChoices):
    COMPLAINT = "complaint", _("Complaint")
    REQUEST = "request", _("Request")
    SUGGESTION = "suggestion", _("Suggestion")
    INFORMATION = "information", _("Information")


class Category(models.Model):
    """An entry of the service catalogue: what the citizen's case is about."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_sr = models.CharField(_("name (Serbian, Cyrillic)"), max_length=200)
    name_sr_latn = models.CharField(
        _("name (Serbian, Latin)"),
        max_length=200,
        blank=True,
        help_text=_("Left empty, it is transliterated from the Cyrillic name."),
    )
    name_bg = models.CharField(_("name (Bulgarian)"), max_length=200, blank=True)
    name_uk = models.CharField(_("name (Ukrainian)"), max_length=200, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    default_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("default competent organisation"),
        on_delete=models.PROTECT,
        related_name="default_categories",
    )
    allowed_kinds = models.JSONField(
        _("allowed case kinds"), default=list, help_text=_("Case kinds that may use it.")
    )
    deadline_hours = models.PositiveIntegerField(_("deadline (hours)"), default=48)
    is_active = models.BooleanField(_("active"), default=True)
    moderated = models.BooleanField(
        _("reports from apps are checked first"),
        default=False,
        help_text=_("An operator approves each report from an app before it becomes a case."),
    )
    photo_proof = models.BooleanField(
        _('an "after" photo proves the fix'),
        default=False,
        help_text=_("A case cannot be resolved until a photo of the problem fixed is added."),
    )
    # All names folded by civicline.searchtext, so one query matches any alphabet.
    search_text = models.TextField(editable=False, default="")

    class Meta:
        ordering = ["name_sr_latn", "id"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        language = (get_language() or "sr").lower()
        field = {"sr-latn": "name_sr_latn", "bg": "name_bg", "uk": "name_uk", "en": "name_en"}
        return getattr(self, field.get(language, "name_sr")) or self.name_sr

    @property
    def citizen_kind(self) -> str | None:
        """The kind a citizen's own report becomes (from an app or the portal); None for
        categories that only take information requests, which are asked by phone."""
        for kind in (CaseKind.COMPLAINT, CaseKind.REQUEST, CaseKind.SUGGESTION):
            if kind in self.allowed_kinds:
                return kind
        return None

    def clean(self) -> None:
        unknown = set(self.allowed_kinds or []) - set(CaseKind.values)
        if unknown or not self.allowed_kinds:
            raise ValidationError({"allowed_kinds": _("Choose at least one known case kind.")})


class Role(models.TextChoices):
    OPERATOR = "operator", _("Operator")
    SUPERVISOR = "supervisor", _("Supervisor")
    SYSTEM_ENGINEER = "system_engineer", _("System engineer")
    OFFICER = "officer", _("Officer")
    HEAD = "head", _("Head of the organisation")
    FIELD_WORKER = "field_worker", _("Field worker")


# Contact-center roles see reporters and every case; the others see their bodies' cases only.
CONTACT_CENTER_ROLES = frozenset({Role.OPERATOR, Role.SUPERVISOR, Role.SYSTEM_ENGINEER})


class Membership(models.Model):
    """A user's role in an organisation. One user may hold several."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)

    class Meta:
        ordering = ["user_id", "organisation_id", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "role"], name="membership_unique_role"
            )
        ]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.organisation}"


class ApiToken(models.Model):
    """A bearer token for the JSON API. Only its SHA-256 is stored, so checking a request
    costs one indexed look-up, never the password hasher."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=100)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "id"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.user})"


class Question(models.Model):
    """An extra question of a category (an Open311 attribute): the pole number of a street
    light, whether water floods a cellar. Reporting apps and the portal ask it."""

    class Datatype(models.TextChoices):
        STRING = "string", _("short text")
        NUMBER = "number", _("number")
        DATETIME = "datetime", _("date and time")
        TEXT = "text", _("long text")
        SINGLE = "singlevaluelist", _("one of a list")
        MULTI = "multivaluelist", _("several of a list")

    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="questions")
    code = models.SlugField(_("code"), max_length=40)
    description = models.CharField(_("question"), max_length=300)
    datatype = models.CharField(_("answer type"), max_length=20, choices=Datatype.choices)
    datatype_description = models.CharField(_("answer hint"), max_length=200, blank=True)
    required = models.BooleanField(_("required"), default=False)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["category", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["category", "code"], name="question_unique_code")
        ]
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self) -> str:
        return f"{self.category.code}: {self.code}"


class Choice(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    key = models.SlugField(_("key"), max_length=40)
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        ordering = ["question", "id"]
        constraints = [models.UniqueConstraint(fields=["question", "key"], name="choice_unique")]
        verbose_name = _("choice")
        verbose_name_plural = _("choices")

    def __str__(self) -> str:
        return self.name
