from django.db.models import Q

from civicline.directory.models import Area, Category, Organisation
from civicline.routing.models import RoutingRule


def competent_organisation(*, category: Category, area: Area | None) -> Organisation:
    """The organisation a new case of this category and area goes to."""
    scope = Q(category=category, area__isnull=True)
    if area is not None:
        scope |= Q(category=category, area=area) | Q(category__isnull=True, area=area)
    rules = RoutingRule.objects.filter(scope, is_active=True, organisation__is_active=True)
    best = None
    for rule in rules.select_related("organisation"):
        specificity = (rule.category_id is not None) * 2 + (rule.area_id is not None)
        if best is None or specificity > best[0]:
            best = (specificity, rule.organisation)
    return best[1] if best else category.default_organisation
