"""The supervisor's live wallboard: the page, and the board it reloads every second and
whenever an agent's phone changes."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from civicline.directory.pages import supervisors
from civicline.telephony import wallboard
from civicline.telephony.models import AgentState


def _context() -> dict:
    return wallboard.board() | {"states": AgentState}


@supervisors
@require_GET
def page(request: HttpRequest) -> HttpResponse:
    return render(request, "dashboard/wallboard.html", _context())


@supervisors
@require_GET
def board(request: HttpRequest) -> HttpResponse:
    return render(request, "dashboard/_board.html", _context())
