"""The JSON API under /api/v1/. Programs authenticate with `Authorization: Bearer <token>`;
the browser uses its session (with CSRF for writes). Both reach the same services and the
same permission functions as the pages."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.middleware.csrf import CsrfViewMiddleware
from ninja import NinjaAPI
from ninja.errors import AuthenticationError
from ninja.errors import ValidationError as NinjaValidationError

from tahaluf.accounts.services import token_authenticate

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


class RequestUser:
    """Authenticate by bearer token if one is given, else by session, else anonymous.
    Anonymous requests are allowed through: each endpoint decides what they may see."""

    def __call__(self, request: HttpRequest) -> Any:
        header = request.headers.get("Authorization", "")
        if header:
            scheme, _space, key = header.partition(" ")
            user = token_authenticate(key.strip()) if scheme.lower() == "bearer" else None
            if user is None:
                raise AuthenticationError(401, "The bearer token is not valid.")
            request.user = user
            return user
        user = getattr(request, "user", None) or AnonymousUser()
        if request.method not in SAFE_METHODS and user.is_authenticated:
            reason = CsrfViewMiddleware(lambda r: HttpResponse()).process_view(
                request, lambda r: HttpResponse(), (), {}
            )
            if reason is not None:
                raise PermissionDenied("CSRF check failed.")
        return user


api = NinjaAPI(
    title="Tahaluf API",
    version="1",
    description=(
        "Organizations, people, posts and union memberships of Tahaluf. Lists take `limit` and "
        "`offset`; writes need a bearer token (`tahaluf token create USERNAME`) or a signed-in "
        "session with its CSRF token."
    ),
    auth=RequestUser(),
    urls_namespace="api-1",
    docs_url=None,
)


def _field_errors(error: ValidationError) -> list[dict[str, Any]]:
    if hasattr(error, "error_dict"):
        return [
            {"loc": ["body", name], "msg": message, "type": "value_error"}
            for name, errors in error.message_dict.items()
            for message in errors
        ]
    return [{"loc": ["body"], "msg": message, "type": "value_error"} for message in error.messages]


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return api.create_response(request, {"detail": _field_errors(exc)}, status=422)


@api.exception_handler(PermissionDenied)
def on_permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    message = str(exc) or "You may not do this."
    return api.create_response(request, {"detail": message}, status=403)


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, {"detail": "Not found."}, status=404)


@api.exception_handler(NinjaValidationError)
def on_schema_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    return api.create_response(request, {"detail": exc.errors}, status=422)


from tahaluf.organizations.api import router as organizations_router  # noqa: E402

api.add_router("/", organizations_router)
