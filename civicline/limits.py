"""A request body larger than any form could need is refused before it is read, so an
upload of gigabytes never reaches the disk. Photos are checked one by one later."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
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
