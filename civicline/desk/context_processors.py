from civicline.cases.selectors import latest_event_id
from civicline.directory.selectors import StaffProfile, staff_profile


def staff_roles(request) -> dict:
    """The user's roles for the navigation, computed once per request, and where the page's
    live stream starts (the latest event when the page was made; read only if used)."""
    if not hasattr(request, "_staff_profile"):
        request._staff_profile = staff_profile(request.user) if hasattr(request, "user") else None
    return {"staff": request._staff_profile or StaffProfile(), "live_after": latest_event_id}
