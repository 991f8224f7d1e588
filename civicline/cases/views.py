"""The public copy of a case's photo. Its address is a random key, so the URL is the
permission; originals are served to staff by the desk."""

from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from civicline.cases.models import Photo


@require_GET
def photo(request: HttpRequest, key) -> HttpResponse:
    found = Photo.objects.filter(key=key, is_public=True).exclude(published="").first()
    if found is None:
        raise Http404("No such photo")
    # Published copies are small (at most 1600 px): read whole, not streamed, under ASGI.
    with found.published.open("rb") as file:
        response = HttpResponse(file.read(), content_type="image/jpeg")
    response["Cache-Control"] = "public, max-age=86400"
    return response
