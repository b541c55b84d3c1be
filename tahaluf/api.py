"""The JSON API under /api/v1/. Programs authenticate with `Authorization: Bearer <token>`;
the browser uses its session (with CSRF for writes). Both reach the same services and the
same permission functions as the pages."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, RequestDataTooBig, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError
from ninja.errors import ValidationError as NinjaValidationError

from tahaluf.accounts.models import User
from tahaluf.accounts.services import token_authenticate

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


class RequestUser:
    """Authenticate by bearer token if one is given, else by session, else anonymous.
    Anonymous requests are allowed through: each endpoint decides what they may see."""

    def __call__(self, request: HttpRequest) -> User | AnonymousUser:
        header = request.headers.get("Authorization", "")
        if header:
            scheme, _space, key = header.partition(" ")
            token_user = token_authenticate(key.strip()) if scheme.lower() == "bearer" else None
            if token_user is None:
                raise AuthenticationError(401, _("The bearer token is not valid."))
            request.user = token_user
            return token_user
        user: User | AnonymousUser = getattr(request, "user", None) or AnonymousUser()
        if request.method not in SAFE_METHODS and user.is_authenticated:
            reason = CsrfViewMiddleware(lambda r: HttpResponse()).process_view(
                request, lambda r: HttpResponse(), (), {}
            )
            if reason is not None:
                raise PermissionDenied(_("The CSRF check failed: send the X-CSRFToken header."))
        return user


ERROR_SCHEMA = {"$ref": "#/components/schemas/Error"}  # organizations.api.Error
COMMON_ERRORS = {
    401: "Unauthorized: the bearer token is not valid (wrong, revoked, or its user deactivated)",
    422: "Unprocessable Entity: a parameter or field is not valid; `detail` lists each one",
}
BODY_ERRORS = {
    400: "Bad Request: the body is not JSON",
    413: "Content Too Large: the body is larger than the server accepts",
}


class TahalufAPI(NinjaAPI):
    def get_openapi_schema(self, **kwargs: Any) -> Any:
        """Every operation may answer 401 (bad token) and 422 (bad parameter); those with a
        body also 400 (not JSON) and 413 (too large). django-ninja cannot know; say it here."""
        schema = super().get_openapi_schema(**kwargs)
        for methods in schema["paths"].values():
            for operation in methods.values():
                errors = {**COMMON_ERRORS, **(BODY_ERRORS if "requestBody" in operation else {})}
                for status, description in errors.items():
                    operation["responses"].setdefault(
                        status,
                        {
                            "description": description,
                            "content": {"application/json": {"schema": ERROR_SCHEMA}},
                        },
                    )
        return schema


api = TahalufAPI(
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
    message = str(exc) or _("You may not do this.")
    return api.create_response(request, {"detail": message}, status=403)


@api.exception_handler(RequestDataTooBig)
def on_too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    return api.create_response(request, {"detail": "The request body is too large."}, status=413)


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, {"detail": _("Not found.")}, status=404)


def _schema_errors(errors: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """django-ninja names the body parameter in `loc` (["body", "payload", "name_ar"]); drop it,
    so that schema errors and service errors both say ["body", "name_ar"]."""
    fixed = []
    for error in errors:
        loc = list(error.get("loc", ()))
        if loc[:2] == ["body", "payload"]:
            loc = ["body", *loc[2:]]
        fixed.append({**error, "loc": loc})
    return fixed


@api.exception_handler(NinjaValidationError)
def on_schema_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    return api.create_response(request, {"detail": _schema_errors(exc.errors)}, status=422)


from tahaluf.organizations.api import router as organizations_router  # noqa: E402
from tahaluf.search.api import router as search_router  # noqa: E402

api.add_router("/", organizations_router)
api.add_router("/", search_router)
