"""Who may open a staff page: decorators every app's views share."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

from civicline.directory.selectors import StaffProfile, staff_profile


def request_profile(request) -> StaffProfile:
    """The user's roles, computed once per request."""
    if not hasattr(request, "_staff_profile"):
        request._staff_profile = staff_profile(request.user) if hasattr(request, "user") else None
    return request._staff_profile or StaffProfile()


def staff_page(check):
    """Login required, then `check(profile)` must hold, else 403."""

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            profile = request_profile(request)
            if not check(profile):
                raise PermissionDenied
            request.profile = profile
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


any_staff = staff_page(lambda p: p.is_staff_member)
contact_center = staff_page(lambda p: p.is_contact_center)
supervisors = staff_page(lambda p: p.is_supervisor)
