"""The one gate for who may see and do what with a case.

Every page and API call reaches cases through `cases_visible_to` and `case_for_user`; a
case the user may not see is "not found", the same answer as a case that does not exist.
"""

from django.db.models import QuerySet
from django.http import Http404

from civicline.cases import workflow
from civicline.cases.models import Case, Status
from civicline.directory.selectors import StaffProfile


def cases_visible_to(profile: StaffProfile) -> QuerySet[Case]:
    if profile.is_contact_center:
        return Case.objects.all()
    if profile.organisation_ids:
        return Case.objects.filter(organisation_id__in=profile.organisation_ids)
    return Case.objects.none()


def may_see_organisation_cases(profile: StaffProfile, organisation_id: int) -> bool:
    return profile.is_contact_center or organisation_id in profile.organisation_ids


def case_for_user(profile: StaffProfile, reference: str) -> Case:
    try:
        return (
            cases_visible_to(profile)
            .select_related("category", "organisation", "area", "assignee")
            .get(reference=reference)
        )
    except Case.DoesNotExist:
        raise Http404("No such case") from None


def can_see_reporter(profile: StaffProfile) -> bool:
    """Reporters are the contact center's to know: the bodies that fix things never learn who
    reported (seed 003: reports reach the services anonymously)."""
    return profile.is_contact_center


# Who may move a case: the body that works it moves it forward; the contact center, which
# talks to the citizen, closes, reopens and cancels. Supervisors may do both.
_BODY_MOVES = {
    (Status.REGISTERED, Status.ASSIGNED),
    (Status.ASSIGNED, Status.IN_PROGRESS),
    (Status.IN_PROGRESS, Status.RESOLVED),
}


def allowed_targets(profile: StaffProfile, case: Case) -> list[str]:
    targets = []
    for target in workflow.TRANSITIONS[case.status]:
        move = (case.status, target)
        if profile.is_supervisor:
            allowed = True
        elif move in _BODY_MOVES:
            allowed = profile.is_officer and case.organisation_id in profile.organisation_ids
        else:
            allowed = profile.is_contact_center
        if allowed:
            targets.append(target)
    return sorted(targets, key=Status.values.index)


def can_write(profile: StaffProfile, case: Case) -> bool:
    """Notes and transfers: the contact center, and officers of the competent body."""
    if profile.is_contact_center:
        return True
    return profile.is_officer and case.organisation_id in profile.organisation_ids


def move_forbidden(profile: StaffProfile, case: Case, target: str) -> bool:
    """A move the state machine allows, but that is another role's to make."""
    return workflow.is_allowed(case.status, target) and target not in allowed_targets(profile, case)
