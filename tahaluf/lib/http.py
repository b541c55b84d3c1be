"""Request types for annotations: what middleware, decorators and django-ninja add to a plain
HttpRequest, said so that the type checker knows it. Views still receive an HttpRequest; these
classes are never instantiated."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser
    from django_htmx.middleware import HtmxDetails

    from tahaluf.accounts.models import User


class Request(HttpRequest):
    """Any request to a page: django_htmx's middleware (in every deployment) sets `htmx`."""

    htmx: HtmxDetails


class SignedInRequest(Request):
    """A request to a view behind @login_required: its user is a real, signed-in one."""

    user: User


class ApiRequest(HttpRequest):
    """A request to an API operation: django-ninja sets `auth` to what the API's authenticator
    (tahaluf.api.RequestUser) returned, a user or an anonymous one."""

    auth: User | AnonymousUser
