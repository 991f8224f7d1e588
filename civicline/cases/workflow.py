"""The case's state machine: the one place that says which status may follow which."""

from django.utils.translation import gettext_lazy as _

from civicline.cases.models import Status

TRANSITIONS: dict[str, frozenset[str]] = {
    Status.REGISTERED: frozenset({Status.ASSIGNED, Status.CANCELLED}),
    Status.ASSIGNED: frozenset({Status.IN_PROGRESS, Status.CANCELLED}),
    Status.IN_PROGRESS: frozenset({Status.RESOLVED, Status.CANCELLED}),
    # Back to in progress is the reopen: the citizen says the problem is still there.
    Status.RESOLVED: frozenset({Status.CLOSED, Status.IN_PROGRESS}),
    Status.CLOSED: frozenset(),
    Status.CANCELLED: frozenset(),
}

# Transitions that need a written note; the value says whether the citizen is shown it
# (what was done, why it was cancelled) or it stays internal (why it was reopened).
REQUIRED_NOTE: dict[tuple[str, str], bool] = {
    (Status.IN_PROGRESS, Status.RESOLVED): True,
    (Status.RESOLVED, Status.IN_PROGRESS): False,
    (Status.REGISTERED, Status.CANCELLED): True,
    (Status.ASSIGNED, Status.CANCELLED): True,
    (Status.IN_PROGRESS, Status.CANCELLED): True,
}

# The verb on the button for each transition.
ACTION_LABELS: dict[tuple[str, str], str] = {
    (Status.REGISTERED, Status.ASSIGNED): _("Accept"),
    (Status.ASSIGNED, Status.IN_PROGRESS): _("Start work"),
    (Status.IN_PROGRESS, Status.RESOLVED): _("Resolve"),
    (Status.RESOLVED, Status.CLOSED): _("Close"),
    (Status.RESOLVED, Status.IN_PROGRESS): _("Reopen"),
    (Status.REGISTERED, Status.CANCELLED): _("Cancel"),
    (Status.ASSIGNED, Status.CANCELLED): _("Cancel"),
    (Status.IN_PROGRESS, Status.CANCELLED): _("Cancel"),
}


def is_allowed(current: str, target: str) -> bool:
    return target in TRANSITIONS.get(current, frozenset())


def note_required(current: str, target: str) -> bool:
    return (current, target) in REQUIRED_NOTE


def note_is_public(current: str, target: str) -> bool:
    return REQUIRED_NOTE.get((current, target), False)
