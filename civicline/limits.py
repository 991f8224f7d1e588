"""What any request may carry. A body larger than any form could need is refused before
it is read, so an upload of gigabytes never reaches the disk (photos are checked one by
one later); text with a NUL character, which PostgreSQL cannot store or compare, is
refused before a view reads it."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _


def max_request_bytes() -> int:
    # Every photo at its largest, plus room for the form's text fields.
    return settings.PHOTO_MAX_BYTES * settings.PHOTOS_PER_CASE + 2 * 2**20


class RequestSizeLimit:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > max_request_bytes():
            text = _("The upload is too large: at most %(mb)d MB in all.") % {
                "mb": max_request_bytes() // 2**20
            }
            return HttpResponse(text, status=413, content_type="text/plain; charset=utf-8")
        return self.get_response(request)


def has_nul(request: HttpRequest) -> bool:
    fields = [*request.GET.lists(), *request.POST.lists()]
    if "\x00" in request.path or any(
        "\x00" in name or any("\x00" in value for value in values) for name, values in fields
    ):
        return True
    # JSON writes the character escaped.
    return request.content_type == "application/json" and b"\\u0000" in request.body


class RejectNul:
    """Views marked `answers_bad_input` (Open311's) check it themselves, in their format."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if getattr(view_func, "answers_bad_input", False) or not has_nul(request):
            return None
        text = _("The request contains a NUL character.")
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": text}, status=400)
        return HttpResponse(text, status=400, content_type="text/plain; charset=utf-8")
