from civicline.cases.selectors import latest_event_id
from civicline.directory.pages import request_profile


def staff_roles(request) -> dict:
    """The user's roles for the navigation, and where the page's live stream starts (the
    latest event when the page was made; read only if used)."""
    return {"staff": request_profile(request), "live_after": latest_event_id}
