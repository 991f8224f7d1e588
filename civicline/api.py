"""The JSON API, served with its OpenAPI schema at /api/v1/docs."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from ninja import NinjaAPI
from ninja.security import HttpBearer, django_auth

from civicline.cases.api import router as cases_router
from civicline.directory.models import ApiToken
from civicline.directory.services import token_digest


class TokenAuth(HttpBearer):
    """`Authorization: Bearer <token>`: one indexed look-up of the token's SHA-256."""

    def authenticate(self, request, token):
        found = (
            ApiToken.objects.select_related("user")
            .filter(digest=token_digest(token), revoked_at__isnull=True)
            .first()
        )
        if found is None or not found.user.is_active:
            return None
        request.user = found.user
        return found.user


api = NinjaAPI(
    title="civicline",
    version="1",
    auth=[TokenAuth(), django_auth],
    urls_namespace="api",
    docs_decorator=login_required,
)
api.add_router("/cases", cases_router)


@api.exception_handler(ValidationError)
def validation_error(request, exc: ValidationError):
    errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    return api.create_response(
        request,
        {"detail": " ".join(m for ms in errors.values() for m in ms), "errors": errors},
        status=400,
    )
