"""Settings for Tahaluf. Every setting a deployment may change is read from a TAHALUF_*
environment variable and documented in docs/settings.md (a test checks that)."""

from __future__ import annotations

import secrets
import sys
from pathlib import Path

from django.utils.translation import gettext_lazy as _

from tahaluf.lib.env import (
    database_from_url,
    env_bool,
    env_float,
    env_int,
    env_list,
    env_str,
)

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("TAHALUF_VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    """A deployment sets TAHALUF_SECRET_KEY; a developer machine keeps one in var/."""
    configured = env_str("TAHALUF_SECRET_KEY")
    if configured:
        return configured
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
# Under pytest: background tasks run at once and passwords hash fast.
TESTING = "pytest" in sys.modules
DEBUG = env_bool("TAHALUF_DEBUG", False)
ALLOWED_HOSTS = env_list("TAHALUF_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("TAHALUF_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "template_partials",
    "django_htmx",
    "django_countries",
    "django_tasks",
    "django_tasks_db",
    "tahaluf.accounts",
    "tahaluf.audit",
    "tahaluf.organizations",
    "tahaluf.search",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "tahaluf.lib.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "tahaluf.urls"
WSGI_APPLICATION = "tahaluf.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "tahaluf.lib.context.site",
            ],
            "builtins": ["template_partials.templatetags.partials"],
        },
    }
]

DATABASES = {
    "default": database_from_url(
        env_str("TAHALUF_DATABASE_URL", f"sqlite:///{VAR_DIR / 'tahaluf.sqlite3'}"),
        base_dir=BASE_DIR,
    )
}
FORMS_URLFIELD_ASSUME_HTTPS = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Login throttling: failures counted per username and per client address in a sliding window.
TAHALUF_LOGIN_WINDOW_MINUTES = env_int("TAHALUF_LOGIN_WINDOW_MINUTES", 30)
TAHALUF_LOGIN_MAX_FAILURES_PER_USER = env_int("TAHALUF_LOGIN_MAX_FAILURES_PER_USER", 5)
TAHALUF_LOGIN_MAX_FAILURES_PER_ADDRESS = env_int("TAHALUF_LOGIN_MAX_FAILURES_PER_ADDRESS", 20)

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = env_int("TAHALUF_SESSION_AGE_SECONDS", 14 * 24 * 3600)
SESSION_COOKIE_SECURE = env_bool("TAHALUF_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"

LANGUAGE_CODE = "ar"
LANGUAGES = [("ar", _("Arabic")), ("en", _("English"))]
LANGUAGE_COOKIE_NAME = "tahaluf_language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = env_str("TAHALUF_TIME_ZONE", "UTC")
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = VAR_DIR / "media"

# Uploads are bounded: the CSV importer takes at most TAHALUF_IMPORT_MAX_BYTES.
TAHALUF_IMPORT_MAX_BYTES = env_int("TAHALUF_IMPORT_MAX_BYTES", 50 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000

TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks.backends.immediate.ImmediateBackend"
            if TESTING or env_bool("TAHALUF_TASKS_IMMEDIATE", False)
            else "django_tasks_db.DatabaseBackend"
        )
    }
}

# Search: "embedded" (a tantivy index on this machine's disk) or "postgres" (a table in the
# PostgreSQL database, for several application processes).
TAHALUF_SEARCH_BACKEND = env_str("TAHALUF_SEARCH_BACKEND", "embedded")
TAHALUF_SEARCH_INDEX_DIR = env_str("TAHALUF_SEARCH_INDEX_DIR", str(VAR_DIR / "search"))

# Likely duplicates (tahaluf/search/duplicates.py): pairs scoring at least the review score are
# shown to the secretariat; at the merge score the two records are the same organization.
TAHALUF_DUPLICATE_REVIEW_SCORE = env_float("TAHALUF_DUPLICATE_REVIEW_SCORE", 0.6)
TAHALUF_DUPLICATE_MERGE_SCORE = env_float("TAHALUF_DUPLICATE_MERGE_SCORE", 0.85)

TAHALUF_PAGE_SIZE = env_int("TAHALUF_PAGE_SIZE", 25)
TAHALUF_API_MAX_LIMIT = env_int("TAHALUF_API_MAX_LIMIT", 200)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("TAHALUF_LOG_LEVEL", "WARNING")},
}
