from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import authenticate
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from tahaluf.accounts import services
from tahaluf.accounts.models import User


def client_address(request: HttpRequest) -> str | None:
    # Behind a proxy, set the proxy to overwrite REMOTE_ADDR; X-Forwarded-For is not trusted.
    return request.META.get("REMOTE_ADDR") or None


class LoginForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150)
    password = forms.CharField(label=_("Password"), widget=forms.PasswordInput, max_length=200)

    def __init__(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.request = request
        self.user: User | None = None

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        username = cleaned.get("username", "")
        password = cleaned.get("password", "")
        if not username or not password:
            return cleaned
        address = client_address(self.request)
        if services.login_is_throttled(username=username, address=address):
            raise forms.ValidationError(
                _("Too many failed sign-in attempts. Wait 30 minutes and try again, or ask "
                  "the secretariat to reset your password."),
                code="throttled",
            )
        user = authenticate(self.request, username=username, password=password)
        services.login_attempt_record(
            username=username, address=address, succeeded=user is not None
        )
        if user is None:
            raise forms.ValidationError(
                _("The username or the password is wrong. Both are case-sensitive."),
                code="invalid_login",
            )
        self.user = user
        return cleaned
