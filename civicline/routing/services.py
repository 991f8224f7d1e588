from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from civicline.cases import services as case_services
from civicline.cases.models import Case
from civicline.directory.models import Organisation


@transaction.atomic
def case_transfer(
    *, case: Case, to: Organisation, actor: AbstractBaseUser | None, reason: str
) -> Case:
    """Transfer an open case to another organisation, with the reason on its timeline."""
    reason = (reason or "").strip()
    errors = {}
    if not case.is_open:
        errors["organisation"] = _("Only an open case can be transferred.")
    elif not to.is_active:
        errors["organisation"] = _("This organisation no longer takes cases.")
    elif to.pk == case.organisation_id:
        errors["organisation"] = _("The case is already with this organisation.")
    if not reason:
        errors["reason"] = _("Write why the case is transferred.")
    elif len(reason) > 4000:
        errors["reason"] = _("Keep it under %(max)d characters.") % {"max": 4000}
    if errors:
        raise ValidationError(errors)
    return case_services.case_set_organisation(
        case=case, organisation=to, actor=actor, reason=reason
    )
