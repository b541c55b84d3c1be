from __future__ import annotations

import hashlib
import secrets

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    SECRETARIAT = "secretariat", _("Secretariat")
    EDITOR = "editor", _("Member editor")
    VIEWER = "viewer", _("Viewer")


class User(AbstractUser):
    """A person who signs in. A member editor speaks for exactly one organization."""

    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.VIEWER)
    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("organization"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="editors",
    )

    @property
    def is_secretariat(self) -> bool:
        return self.is_active and self.role == Role.SECRETARIAT

    @property
    def is_member_editor(self) -> bool:
        return self.is_active and self.role == Role.EDITOR and self.organization_id is not None


class ApiToken(models.Model):
    """A bearer token for programs. Only a hash is stored; the token is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100, blank=True)
    prefix = models.CharField(max_length=12, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    TOKEN_PREFIX = "thl_"

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user.username})"

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @classmethod
    def generate_key(cls) -> str:
        return cls.TOKEN_PREFIX + secrets.token_urlsafe(32)


class LoginAttempt(models.Model):
    """One sign-in attempt, kept to throttle guessing per username and per address."""

    username = models.CharField(max_length=150, db_index=True)
    address = models.GenericIPAddressField(null=True, db_index=True)
    succeeded = models.BooleanField(default=False)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self) -> str:
        outcome = "succeeded" if self.succeeded else "failed"
        return f"{self.username} from {self.address or '?'}: {outcome}"
