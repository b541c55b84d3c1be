"""Users, sign-in throttling and API tokens."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tahaluf.accounts.models import ApiToken, LoginAttempt, Role, User
from tahaluf.audit.models import Action
from tahaluf.audit.services import change_record

# Users -----------------------------------------------------------------------------------


@transaction.atomic
def user_create(
    *,
    actor: Any,
    username: str,
    password: str,
    role: str = Role.VIEWER,
    organization: Any = None,
    email: str = "",
    validate: bool = True,
) -> User:
    if role not in Role.values:
        raise ValidationError({"role": _("Unknown role.")})
    if role == Role.EDITOR and organization is None:
        raise ValidationError({"organization": _("A member editor needs an organization.")})
    if User.objects.filter(username=username).exists():
        raise ValidationError({"username": _("This username is taken.")})
    user = User(username=username, email=email, role=role, organization=organization)
    if validate:
        validate_password(password, user)
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    change_record(
        actor=actor,
        record=user,
        action=Action.CREATE,
        changes={
            "username": [None, username],
            "role": [None, role],
            "organization": [None, str(organization) if organization else None],
        },
    )
    return user


@transaction.atomic
def user_deactivate(*, actor: Any, user: User) -> None:
    """Deactivate a user and sign them out everywhere: every session and token ends now."""
    user.is_active = False
    user.save(update_fields=["is_active"])
    user.api_tokens.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
    user_sessions_end(user=user)
    change_record(
        actor=actor, record=user, action=Action.UPDATE, changes={"is_active": [True, False]}
    )


@transaction.atomic
def user_reactivate(*, actor: Any, user: User) -> None:
    if user.is_active:
        return
    user.is_active = True
    user.save(update_fields=["is_active"])
    change_record(
        actor=actor, record=user, action=Action.UPDATE, changes={"is_active": [False, True]}
    )


@transaction.atomic
def user_set_password(*, actor: Any, user: User, password: str) -> None:
    """Set a new password (checked against the rules) and end the user's other sessions."""
    validate_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])
    change_record(
        actor=actor, record=user, action=Action.UPDATE, changes={"password": ["••••", "••••"]}
    )


def user_sessions_end(*, user: User) -> int:
    """Delete every stored session of this user. (Sessions are also refused for inactive
    users at each request; this makes the end immediate and visible in the table.)"""
    ended = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if str(session.get_decoded().get("_auth_user_id")) == str(user.pk):
            session.delete()
            ended += 1
    return ended


# Sign-in throttling ----------------------------------------------------------------------


def _window_start() -> datetime.datetime:
    return timezone.now() - datetime.timedelta(minutes=settings.TAHALUF_LOGIN_WINDOW_MINUTES)


def login_is_throttled(*, username: str, address: str | None) -> bool:
    since = _window_start()
    failures = LoginAttempt.objects.filter(at__gte=since, succeeded=False)
    if failures.filter(username=username.lower()).count() >= (
        settings.TAHALUF_LOGIN_MAX_FAILURES_PER_USER
    ):
        return True
    return bool(address) and failures.filter(address=address).count() >= (
        settings.TAHALUF_LOGIN_MAX_FAILURES_PER_ADDRESS
    )


def login_attempt_record(*, username: str, address: str | None, succeeded: bool) -> None:
    LoginAttempt.objects.create(
        username=username.lower()[:150], address=address or None, succeeded=succeeded
    )
    if succeeded:
        # A successful sign-in clears this username's failures, not the address's.
        LoginAttempt.objects.filter(username=username.lower(), succeeded=False).delete()


# API tokens ------------------------------------------------------------------------------


@transaction.atomic
def token_create(*, actor: Any, user: User, name: str = "") -> tuple[ApiToken, str]:
    """Make a token; returns the record and the secret, which is shown this once only."""
    if not user.is_active:
        raise ValidationError({"user": _("This user is deactivated.")})
    key = ApiToken.generate_key()
    token = ApiToken.objects.create(
        user=user, name=name[:100], prefix=key[:12], key_hash=ApiToken.hash_key(key)
    )
    change_record(
        actor=actor,
        record=user,
        action=Action.LINK,
        changes={"api_token": [None, token.prefix]},
        note=name,
    )
    return token, key


def token_authenticate(key: str) -> User | None:
    if not key.startswith(ApiToken.TOKEN_PREFIX) or len(key) > 100:
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=ApiToken.hash_key(key), revoked_at__isnull=True)
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > datetime.timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


@transaction.atomic
def token_revoke(*, actor: Any, token: ApiToken) -> None:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        change_record(
            actor=actor,
            record=token.user,
            action=Action.UNLINK,
            changes={"api_token": [token.prefix, None]},
        )
