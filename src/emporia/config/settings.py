"""Emporia settings.

Everything that differs between a laptop and production comes from the
environment (``EMPORIA_*`` variables); the defaults give a working embedded
platform on SQLite in WAL mode with jobs run in-process.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent  # src/emporia
VAR_DIR = Path(os.environ.get("EMPORIA_VAR_DIR", Path.cwd() / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = env_bool("EMPORIA_DEBUG", False)
SECRET_KEY = os.environ.get(
    "EMPORIA_SECRET_KEY", "dev-only-insecure-key-change-me-in-production-0123456789"
)
ALLOWED_HOSTS = os.environ.get("EMPORIA_ALLOWED_HOSTS", "*").split(",")
CSRF_TRUSTED_ORIGINS = [
    o for o in os.environ.get("EMPORIA_CSRF_TRUSTED_ORIGINS", "").split(",") if o
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # infrastructure
    "emporia.infra.outbox",
    "emporia.infra.webhooks",
    "emporia.infra.jobs",
    "emporia.infra.psp.sandbox",
    # commerce core
    "emporia.core.accounts",
    "emporia.core.catalog",
    "emporia.core.pricing",
    "emporia.core.inventory",
    "emporia.core.ledger",
    "emporia.core.orders",
    "emporia.core.payments",
    "emporia.core.checkout",
    "emporia.core.fulfilment",
    "emporia.core.reviews",
    "emporia.core.search",
    # operating models
    "emporia.modes.c2c",
    "emporia.modes.social",
    # faces. The API has no models: it is installed so that Django finds its
    # message catalog (api/locale/) the way it finds every app's. LOCALE_PATHS
    # would do too, but its catalogs override every installed app's, which is
    # for project-wide corrections, not for one package's own words.
    "emporia.api",
    "emporia.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "emporia.web.middleware.DeviceCookieMiddleware",
]

ROOT_URLCONF = "emporia.config.urls"
WSGI_APPLICATION = "emporia.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "emporia.web.context_processors.header",
            ],
        },
    },
]


def _sqlite(path: Path) -> dict:
    return {
        "ENGINE": "emporia.infra.sqlite",
        "NAME": str(path),
        # Keep each server thread's connection between requests: opening one
        # runs the PRAGMAs below, and closing the last connection to a WAL
        # database checkpoints and deletes the WAL — together ~2 ms a request.
        "CONN_MAX_AGE": 60,
        "OPTIONS": {
            # WAL lets readers run beside the single writer; IMMEDIATE takes the
            # write lock at BEGIN so two writers queue instead of deadlocking on
            # a read-to-write upgrade.
            "transaction_mode": "IMMEDIATE",
            "timeout": 30,
            "init_command": (
                "PRAGMA journal_mode=WAL;"
                "PRAGMA synchronous=NORMAL;"
                "PRAGMA foreign_keys=ON;"
                "PRAGMA busy_timeout=30000;"
                "PRAGMA cache_size=-20000;"
            ),
        },
    }


def _from_url(url: str) -> dict:
    """A database given by URL (EMPORIA_DATABASE_URL and the like)."""
    db = dj_database_url.parse(
        url,
        conn_max_age=60,
        # Check a reused connection before each request: after a database
        # restart no request fails on a dead connection. Our backend asks
        # the socket first and the server (SELECT 1) only when something
        # arrived on it (emporia.infra.postgresql.base). Off, each thread's
        # first request after a restart fails once.
        conn_health_checks=os.environ.get("EMPORIA_DB_HEALTH_CHECKS", "on") != "off",
    )
    if db["ENGINE"] == "django.db.backends.postgresql":
        # Django's, with a health check that asks the socket before the server
        # (emporia.infra.postgresql.base)
        db["ENGINE"] = "emporia.infra.postgresql"
    if db["ENGINE"] != "emporia.infra.postgresql":
        return db
    if os.environ.get("EMPORIA_PG_PREPARE", "on") != "off":
        # Parameters bound by the server, and a statement run 5 times on a
        # connection prepared there (psycopg's prepare_threshold): PostgreSQL
        # parses and plans the order path's few dozen statements once per
        # connection instead of every time. Django leaves both off for
        # transaction-mode poolers without prepared-statement support
        # (PgBouncer < 1.21): EMPORIA_PG_PREPARE=off. ADR 11.
        db.setdefault("OPTIONS", {}).update(
            server_side_binding=True, prepare_threshold=5
        )
    # Limits every session runs under, sent when it connects (no round trip).
    # A session that sits inside a transaction doing nothing — a hung
    # thread, a worker stuck on a network call — keeps its row locks, and a
    # hot SKU's stock row locked blocks every checkout of it: PostgreSQL ends
    # such a session after EMPORIA_PG_IDLE_IN_TRANSACTION_TIMEOUT.
    # EMPORIA_PG_STATEMENT_TIMEOUT is not sent unless set (a migration or a
    # reindex of a large catalog may rightly take minutes, and a limit set
    # on the database role then applies). "off" sends nothing: behind
    # PgBouncer, which refuses the startup "options", set them on the role.
    _pg_limits = {
        name: value
        for name, value in {
            "idle_in_transaction_session_timeout": os.environ.get(
                "EMPORIA_PG_IDLE_IN_TRANSACTION_TIMEOUT", "60s"
            ),
            "statement_timeout": os.environ.get("EMPORIA_PG_STATEMENT_TIMEOUT", "off"),
        }.items()
        if value != "off"
    }
    for _name, _value in _pg_limits.items():
        if not _value or any(ch.isspace() for ch in _value):
            raise ImproperlyConfigured(
                f"{_name}: {_value!r} is not a PostgreSQL duration such as 60s"
            )
    if _pg_limits:
        _options = db.setdefault("OPTIONS", {})
        _options["options"] = " ".join(
            [
                _options.get("options", ""),
                *(f"-c {k}={v}" for k, v in _pg_limits.items()),
            ]
        ).strip()
    return db


DATABASE_URL = os.environ.get("EMPORIA_DATABASE_URL")
# The sandbox payment gateway plays a third-party provider, and a provider
# keeps its books in its own database, not in the merchant's: the platform
# reaches it only through its API and its signed callbacks. By default a
# SQLite file beside the platform's data; servers on several hosts share one
# through EMPORIA_SANDBOX_DATABASE_URL (any database but the platform's own).
# ADR 13.
SANDBOX_DATABASE_URL = os.environ.get("EMPORIA_SANDBOX_DATABASE_URL")
DATABASES = {
    "default": _from_url(DATABASE_URL)
    if DATABASE_URL
    else _sqlite(VAR_DIR / "emporia.sqlite3"),
    "sandbox": _from_url(SANDBOX_DATABASE_URL)
    if SANDBOX_DATABASE_URL
    else _sqlite(VAR_DIR / "sandbox.sqlite3"),
}
if all(
    DATABASES["sandbox"].get(k) == DATABASES["default"].get(k)
    for k in ("ENGINE", "NAME", "HOST", "PORT")
):
    raise ImproperlyConfigured(
        "EMPORIA_SANDBOX_DATABASE_URL names the platform's own database; the "
        "sandbox gateway needs a database of its own"
    )
DATABASE_ROUTERS = ["emporia.infra.psp.sandbox.routers.SandboxRouter"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["emporia.core.accounts.backends.EmailOrMobileBackend"]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "/account/login/"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("EMPORIA_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# --- cache and jobs ----------------------------------------------------------
REDIS_URL = os.environ.get("EMPORIA_REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

CELERY_BROKER_URL = os.environ.get("EMPORIA_BROKER_URL")
CELERY_RESULT_BACKEND = os.environ.get("EMPORIA_RESULT_BACKEND") or REDIS_URL
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "UTC"

# --- commerce rules ----------------------------------------------------------
EMPORIA = {
    "PUBLIC_BASE_URL": os.environ.get(
        "EMPORIA_PUBLIC_BASE_URL", "http://127.0.0.1:8000"
    ),
    "DEFAULT_CURRENCY": "CNY",
    "PAYMENT_TIMEOUT_MINUTES": int(
        os.environ.get("EMPORIA_PAYMENT_TIMEOUT_MINUTES", "30")
    ),
    "AUTO_CONFIRM_RECEIPT_DAYS": int(os.environ.get("EMPORIA_AUTO_CONFIRM_DAYS", "10")),
    "DEFAULT_COMMISSION_RATE": os.environ.get("EMPORIA_COMMISSION_RATE", "0.05"),
    "CART_MAX_LINES": 100,
    "MAX_LINE_QUANTITY": 9999,
    "WEBHOOK_MAX_ATTEMPTS": 8,
    # Retry n waits base × 2^(n-1) seconds (10 s, 20 s, 40 s … capped at 6 h).
    "WEBHOOK_RETRY_BASE_SECONDS": 10,
    "WEBHOOK_TIMEOUT_SECONDS": 5,
    # How long logs are kept (days) before the hourly purge jobs delete them
    # (emporia.infra.retention): dispatched outbox events and their handler
    # runs, finished webhook deliveries with their attempts, job runs.
    "OUTBOX_RETENTION_DAYS": int(os.environ.get("EMPORIA_OUTBOX_RETENTION_DAYS", "30")),
    "WEBHOOK_LOG_RETENTION_DAYS": int(
        os.environ.get("EMPORIA_WEBHOOK_LOG_RETENTION_DAYS", "30")
    ),
    "JOB_LOG_RETENTION_DAYS": int(
        os.environ.get("EMPORIA_JOB_LOG_RETENTION_DAYS", "14")
    ),
    # Callback receipts recognise a provider's retry of an event already
    # handled; providers stop retrying within days (Alipay ~25 h, Stripe 3 d).
    "CALLBACK_RECEIPT_RETENTION_DAYS": int(
        os.environ.get("EMPORIA_CALLBACK_RECEIPT_RETENTION_DAYS", "30")
    ),
    # Private networks webhooks may reach besides the public internet
    # (emporia.infra.webhooks.addresses): comma-separated CIDRs, e.g. an ERP
    # on 10.20.0.0/16, or 127.0.0.0/8 on a developer's machine.
    "WEBHOOK_ALLOWED_NETWORKS": [
        cidr.strip()
        for cidr in os.environ.get("EMPORIA_WEBHOOK_ALLOWED_NETWORKS", "").split(",")
        if cidr.strip()
    ],
    "SANDBOX_PSP_SECRET": os.environ.get(
        "EMPORIA_SANDBOX_PSP_SECRET", "sandbox-psp-shared-secret-for-hmac"
    ),
    # How the sandbox gateway reaches the platform's callback endpoint: "http"
    # (a real POST to PUBLIC_BASE_URL) or "inprocess" (through django.test.Client,
    # still via URL routing, middleware and the view; for tests).
    "SANDBOX_CALLBACK_TRANSPORT": os.environ.get(
        "EMPORIA_SANDBOX_CALLBACK_TRANSPORT", "http"
    ),
    "SANDBOX_CALLBACK_MAX_ATTEMPTS": 10,
    # Login and checkout IPs and device ids (accounts.clients) are blanked
    # after this many days; REMOTE_ADDR is used unless a proxy header is named.
    "CLIENT_DATA_RETENTION_DAYS": int(
        os.environ.get("EMPORIA_CLIENT_DATA_RETENTION_DAYS", "180")
    ),
    "TRUSTED_PROXY_HEADER": os.environ.get("EMPORIA_TRUSTED_PROXY_HEADER", ""),
    # How long a process may reuse a bearer-token lookup (0: look up every
    # request). Revocation is immediate in the revoking process and takes at
    # most this long in the others.
    "TOKEN_CACHE_SECONDS": float(os.environ.get("EMPORIA_TOKEN_CACHE_SECONDS", "5")),
    # With no broker, `emporia serve` runs the job scheduler in-process.
    "INPROCESS_JOBS": not bool(CELERY_BROKER_URL),
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {
        "handlers": ["console"],
        "level": os.environ.get("EMPORIA_LOG_LEVEL", "WARNING"),
    },
    "loggers": {"emporia": {"level": os.environ.get("EMPORIA_LOG_LEVEL", "INFO")}},
}
