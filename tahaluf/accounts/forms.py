from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import authenticate
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from tahaluf.accounts import services
from tahaluf.accounts.models import Role, User
from tahaluf.organizations.models import Organization


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
                _(
                    "Too many failed sign-in attempts. Wait 30 minutes and try again, or ask "
                    "the secretariat to reset your password."
                ),
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


class UserCreateForm(forms.Form):
    username = forms.RegexField(
        label=_("Username"),
        max_length=150,
        regex=r"^[\w.@+-]+\Z",
        help_text=_("Letters, digits and . @ + - _ only."),
    )
    email = forms.EmailField(label=_("Email"), required=False)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    organization = forms.ModelChoiceField(
        label=_("Organization (for a member editor)"),
        required=False,
        queryset=Organization.objects.order_by("sort_ar"),
    )
    password1 = forms.CharField(label=_("Password"), widget=forms.PasswordInput, max_length=200)
    password2 = forms.CharField(
        label=_("Password again"), widget=forms.PasswordInput, max_length=200
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("password1") != cleaned.get("password2"):
            self.add_error("password2", _("The two passwords differ."))
        if cleaned.get("role") == Role.EDITOR and not cleaned.get("organization"):
            self.add_error("organization", _("A member editor needs an organization."))
        return cleaned


class TokenCreateForm(forms.Form):
    name = forms.CharField(label=_("What is the token for?"), max_length=100)


class PasswordChangeForm(forms.Form):
    old_password = forms.CharField(
        label=_("Current password"), widget=forms.PasswordInput, max_length=200
    )
    new_password1 = forms.CharField(
        label=_("New password"), widget=forms.PasswordInput, max_length=200
    )
    new_password2 = forms.CharField(
        label=_("New password again"), widget=forms.PasswordInput, max_length=200
    )

    def __init__(self, user: User, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not self.user.check_password(cleaned.get("old_password", "")):
            self.add_error("old_password", _("This is not your current password."))
        if cleaned.get("new_password1") != cleaned.get("new_password2"):
            self.add_error("new_password2", _("The two passwords differ."))
        return cleaned
