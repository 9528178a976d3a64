"""Django settings, all read from the environment (see docs/configuration.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import dj_database_url
from whitenoise.compress import Compressor

from problemspace.lib.env import data_home, envbool, envint, envlist, envstr, secret_key

BASE_DIR = Path(__file__).resolve().parent
HOME = data_home()

DEBUG = envbool("PROBLEMSPACE_DEBUG", False)
SECRET_KEY = secret_key(HOME)
ALLOWED_HOSTS = envlist("PROBLEMSPACE_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = envlist("PROBLEMSPACE_CSRF_TRUSTED_ORIGINS", [])
SITE_URL = envstr("PROBLEMSPACE_SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "ninja",
    "django_tasks",
    "django_tasks_db",
    "problemspace.web",
    "problemspace.workspaces",
    "problemspace.customers",
    "problemspace.evidence",
    "problemspace.problems",
    "problemspace.jobs",
    "problemspace.dashboard",
    "problemspace.booking",
    "problemspace.recruiting",
    "problemspace.hypotheses",
    "problemspace.interviews",
    "problemspace.integrations",
    "problemspace.portal",
    "problemspace.roadmap",
    # After roadmap: the demo brief is made once the roadmap is tied to the problems.
    "problemspace.briefs",
]

MIDDLEWARE = [
    "problemspace.web.middleware.ServerTimingMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "problemspace.web.middleware.ContentSecurityPolicyMiddleware",
]

ROOT_URLCONF = "problemspace.urls"
WSGI_APPLICATION = "problemspace.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]


def _database() -> dict[str, Any]:
    url = envstr("DATABASE_URL")
    if url:
        config = dict(dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True))
    else:
        config = {"ENGINE": "django.db.backends.sqlite3", "NAME": HOME / "problemspace.sqlite3"}
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # WAL lets the web server read while an import writes; IMMEDIATE transactions take the
        # write lock up front so concurrent writers wait (busy_timeout) instead of failing with
        # "database is locked" half-way through.
        config["OPTIONS"] = {
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000;"
                " PRAGMA foreign_keys=ON; PRAGMA cache_size=-65536; PRAGMA temp_store=MEMORY;"
            ),
            "transaction_mode": "IMMEDIATE",
        }
        config["TEST"] = {"NAME": envstr("PROBLEMSPACE_TEST_SQLITE") or None}
    return config


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-us"
TIME_ZONE = envstr("PROBLEMSPACE_TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = HOME / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "problemspace.web.storage.StaticFilesStorage"},
}
# Serving from the finders lets `problemspace serve` work before collectstatic has ever run;
# serve still collects so production requests hit the compressed, hashed copies.
WHITENOISE_USE_FINDERS = True
# Compressing is what makes a collection slow (17 s on two cores): compress only the hashed
# copies that pages link to, and not the API docs' source maps, which only a debugger reads.
WHITENOISE_KEEP_ONLY_HASHED_FILES = True
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = (*Compressor.SKIP_COMPRESS_EXTENSIONS, "map")

# Uploads waiting for their import job. A worker on another machine needs this folder shared
# (or another storage backend configured).
MEDIA_ROOT = HOME / "uploads"
# Uploads larger than this stream to a temporary file instead of memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
# The largest file the import page accepts (the CLI has no limit); see docs/import.md.
IMPORT_MAX_BYTES = envint("PROBLEMSPACE_IMPORT_MAX_BYTES", 1024**3)
# Form fields (files excluded) may total this much, so that an oversized paste reaches the
# capture form's own limit (evidence/forms.py) and is refused with a sentence, not a bare 400.
DATA_UPLOAD_MAX_MEMORY_SIZE = 32 * 1024 * 1024

# One cache shared by every web server process (the dashboard's figures are costly at a million
# rows, and each gunicorn worker would otherwise work them out anew): files in
# PROBLEMSPACE_HOME, no extra service. On several machines each keeps its own, at most a minute
# apart.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": HOME / "cache",
        "OPTIONS": {"MAX_ENTRIES": 2000},
    }
}

# Background jobs (imports, synthesis) go through the database: `problemspace serve` runs a
# worker beside the web server; teams on PostgreSQL run `problemspace worker` on any machine.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Outbound webhooks: seconds to wait for a receiver (connect, then each read), and whether
# addresses on private networks may be called (off: an owner must not probe the server's LAN).
WEBHOOKS_TIMEOUT = envint("PROBLEMSPACE_WEBHOOKS_TIMEOUT", 5)
WEBHOOKS_ALLOW_PRIVATE = envbool("PROBLEMSPACE_WEBHOOKS_ALLOW_PRIVATE", False)

# Security: secure defaults, loosened only for plain-HTTP local use by PROBLEMSPACE_HTTPS=false.
HTTPS = envbool("PROBLEMSPACE_HTTPS", False)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS and envbool("PROBLEMSPACE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = envint("PROBLEMSPACE_HSTS_SECONDS", 31536000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
# Behind a reverse proxy, the scheme and the client's address come from its X-Forwarded headers.
BEHIND_PROXY = envbool("PROBLEMSPACE_BEHIND_PROXY", False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEHIND_PROXY else None
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

EMAIL_BACKEND = envstr("PROBLEMSPACE_EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = envstr("PROBLEMSPACE_EMAIL_HOST", "localhost")
EMAIL_PORT = envint("PROBLEMSPACE_EMAIL_PORT", 25)
EMAIL_HOST_USER = envstr("PROBLEMSPACE_EMAIL_USER")
EMAIL_HOST_PASSWORD = envstr("PROBLEMSPACE_EMAIL_PASSWORD")
EMAIL_USE_TLS = envbool("PROBLEMSPACE_EMAIL_TLS", False)
DEFAULT_FROM_EMAIL = envstr("PROBLEMSPACE_FROM_EMAIL", "problemspace <problemspace@localhost>")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": envstr("PROBLEMSPACE_LOG_LEVEL", "WARNING")},
}

# Inbox pages: 25 quote cards fill a few laptop screens; rendering them is most of a page's
# server time, so more per page would slow every request for little reading gained.
INBOX_PAGE_SIZE = 25
