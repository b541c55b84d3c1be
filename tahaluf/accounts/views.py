from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tahaluf.accounts import permissions, services
from tahaluf.accounts.forms import LoginForm, PasswordChangeForm, TokenCreateForm, UserCreateForm
from tahaluf.accounts.models import ApiToken, User
from tahaluf.lib.http import SignedInRequest


@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = ""
    form = LoginForm(request, data=request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid() and form.user is not None:
        login(request, form.user)  # rotates the session key
        return redirect(next_url or "home")
    status = 200 if request.method == "GET" or form.is_valid() else 400
    return render(request, "accounts/login.html", {"form": form, "next": next_url}, status=status)


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("home")


# Own account -----------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def account(request: SignedInRequest) -> HttpResponse:
    """The signed-in person's page: change password, manage their API tokens."""
    user = request.user
    password_form = PasswordChangeForm(user, prefix="password")
    token_form = TokenCreateForm(prefix="token")
    new_key = None
    if request.method == "POST" and "password-old_password" in request.POST:
        password_form = PasswordChangeForm(user, request.POST, prefix="password")
        if password_form.is_valid():
            try:
                services.user_set_password(
                    actor=user, user=user, password=password_form.cleaned_data["new_password1"]
                )
            except ValidationError as error:
                password_form.add_error("new_password1", error)
            else:
                update_session_auth_hash(request, user)
                messages.success(request, _("Your password was changed."))
                return redirect("accounts:account")
    elif request.method == "POST":
        token_form = TokenCreateForm(request.POST, prefix="token")
        if token_form.is_valid():
            _token, new_key = services.token_create(
                actor=user, user=user, name=token_form.cleaned_data["name"]
            )
            token_form = TokenCreateForm(prefix="token")
    tokens = user.api_tokens.order_by("-created_at")
    failed = password_form.errors or token_form.errors
    return render(
        request,
        "accounts/account.html",
        {
            "password_form": password_form,
            "token_form": token_form,
            "tokens": tokens,
            "new_key": new_key,
        },
        status=400 if failed else 200,
    )


@login_required
@require_POST
def token_revoke(request: SignedInRequest, pk: int) -> HttpResponse:
    token = ApiToken.objects.filter(pk=pk, user=request.user).first()
    if token is None:
        raise Http404
    services.token_revoke(actor=request.user, token=token)
    messages.success(request, _("The token was revoked."))
    return redirect("accounts:account")


# Users, for the secretariat --------------------------------------------------------------


@login_required
@require_GET
def user_list(request: HttpRequest) -> HttpResponse:
    if not permissions.can_manage_users(request.user):
        raise PermissionDenied
    queryset = User.objects.select_related("organization").order_by("username")
    q = request.GET.get("q", "").strip()[:150]
    if q:
        queryset = queryset.filter(Q(username__icontains=q) | Q(email__icontains=q))
    page = Paginator(queryset, 50).get_page(request.GET.get("page"))
    return render(
        request, "accounts/user_list.html", {"page": page, "q": q, "query": f"q={q}" if q else ""}
    )


@login_required
@require_http_methods(["GET", "POST"])
def user_create(request: HttpRequest) -> HttpResponse:
    if not permissions.can_manage_users(request.user):
        raise PermissionDenied
    form = UserCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.user_create(
                actor=request.user,
                username=data["username"],
                password=data["password1"],
                role=data["role"],
                organization=data["organization"],
                email=data["email"],
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for name, errors in error.message_dict.items():
                    form.add_error(name if name in form.fields else None, errors)
            else:  # the password rules answer with a plain list of messages
                form.add_error("password1", error)
        else:
            messages.success(
                request, _("The account %(username)s was created.") % {"username": user.username}
            )
            return redirect("accounts:user_list")
    return render(
        request, "accounts/user_form.html", {"form": form}, status=400 if form.errors else 200
    )


@login_required
@require_POST
def user_set_active(request: HttpRequest, pk: int) -> HttpResponse:
    if not permissions.can_manage_users(request.user):
        raise PermissionDenied
    user = User.objects.filter(pk=pk).first()
    if user is None:
        raise Http404
    if user.pk == request.user.pk:
        messages.error(request, _("You cannot deactivate your own account."))
    elif request.POST.get("active") == "1":
        services.user_reactivate(actor=request.user, user=user)
        messages.success(
            request, _("%(username)s can sign in again.") % {"username": user.username}
        )
    else:
        services.user_deactivate(actor=request.user, user=user)
        messages.success(
            request,
            _("%(username)s was deactivated and signed out everywhere.")
            % {"username": user.username},
        )
    return redirect("accounts:user_list")
