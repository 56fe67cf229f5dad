"""Readerfund settings: every value comes from the environment (see README, Configuration).

A bare checkout runs with no variables set: SQLite, media and generated secrets live in
READERFUND_DATA_DIR (./var by default).
"""

from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from privacy.keys import blind_index_key, encryption_keys
from readerfund.lib.env import (
    ConfigError,
    envbool,
    envint,
    envlist,
    envsecret,
    envstr,
    envurl,
    generated_secret,
)

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(envstr("READERFUND_DATA_DIR", "var")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = envbool("DEBUG", False)
SECRET_KEY = envsecret("READERFUND_SECRET_KEY") or generated_secret(DATA_DIR, "secret_key")
SITE_URL = envurl("READERFUND_SITE_URL", "http://127.0.0.1:8000")
ALLOWED_HOSTS = envlist("READERFUND_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = [SITE_URL]

# Personal data at rest (privacy/): READERFUND_ENCRYPTION_KEYS, Fernet keys newest first, and
# READERFUND_BLIND_INDEX_KEY (never rotated), each generated into the data dir when unset.
ENCRYPTION_KEYS, ENCRYPTION_KEYS_IN_DATA_DIR = encryption_keys(DATA_DIR)
BLIND_INDEX_KEY = blind_index_key(DATA_DIR)

INSTALLED_APPS = [
    "readerfund",
    "newsroom",
    "privacy",
    "contributions",
    "funding",
    "appeals",
    "reminders",
    "django_tasks",
    "django_tasks_db",
    "wagtail.contrib.redirects",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.settings",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
]

MIDDLEWARE = [
    "readerfund.lib.middleware.SecurityHeadersMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "readerfund.urls"
WSGI_APPLICATION = "readerfund.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "readerfund" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

# Database: SQLite in the data dir unless DATABASE_URL names another (PostgreSQL in production).
_default_db = f"sqlite:///{DATA_DIR / 'readerfund.sqlite3'}"
try:
    DATABASES = {
        "default": dj_database_url.parse(
            envstr("DATABASE_URL") or _default_db, conn_max_age=600, conn_health_checks=True
        )
    }
except ValueError as exc:
    raise ConfigError(f"DATABASE_URL cannot be parsed: {exc}") from None
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server read while the task worker writes.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: Redis when REDIS_URL is set (shared by every web process and machine), otherwise
# files in the data dir (shared by the processes of one machine).
REDIS_URL = envstr("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "readerfund",
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(DATA_DIR / "cache"),
            "OPTIONS": {"MAX_ENTRIES": 20000},
        }
    }
# Wagtail looks up image renditions in this cache on every {% image %}; in process memory it
# costs nothing, where the file cache cost a rename per lookup.
CACHES["renditions"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "OPTIONS": {"MAX_ENTRIES": 5000},
}

# Background work: django-tasks with its database backend; a worker runs beside the server.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Public pages: how long caches and browsers may keep them, and the in-process page cache.
PAGE_MAX_AGE = envint("READERFUND_PAGE_MAX_AGE", 60, minimum=0)
PAGE_CACHE = envbool("READERFUND_PAGE_CACHE", True)
PAGE_CACHE_GENERATION_TTL = 1.0  # seconds a process trusts its last read of the generation
# A header set by the CDN in front naming the reader's country (CF-IPCountry on Cloudflare):
# appeals may then target countries. Unset: country targeting is ignored.
READERFUND_COUNTRY_HEADER = envstr("READERFUND_COUNTRY_HEADER", "")

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

# One language per site: pages are identical for every reader, so no Accept-Language negotiation.
LANGUAGE_CODE = envstr("READERFUND_LANGUAGE", "en")
LANGUAGES = [("en", _("English")), ("ru", _("Russian"))]
if LANGUAGE_CODE not in dict(LANGUAGES):
    raise ConfigError(f"READERFUND_LANGUAGE={LANGUAGE_CODE!r}: choose one of en, ru")
LOCALE_PATHS = [BASE_DIR / "readerfund" / "locale"]
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
TIME_ZONE = envstr("READERFUND_TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = DATA_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_KEEP_ONLY_HASHED_FILES = False

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = SITE_URL.startswith("https://")
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if envbool("READERFUND_BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

WAGTAIL_SITE_NAME = envstr("READERFUND_NEWSROOM_NAME", "Readerfund")
WAGTAILADMIN_BASE_URL = SITE_URL
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILIMAGES_FORMAT_CONVERSIONS = {"webp": "webp", "avif": "avif"}
WAGTAIL_ENABLE_UPDATE_CHECK = False  # no call home from the admin

# Logs: to stderr, no request bodies or addresses.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact_personal_data": {"()": "privacy.logging.RedactPersonalData"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["redact_personal_data"]}
    },
    "root": {"handlers": ["console"], "level": envstr("READERFUND_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.request": {"level": "ERROR"},
        # One line per task run drowns everything else; failures are still logged.
        "django_tasks": {"level": envstr("READERFUND_TASK_LOG_LEVEL", "WARNING")},
    },
}

# Email. READERFUND_SMTP_URL (or _FILE: it holds a password) sends through an SMTP server:
# smtp://user:pass@host:587?tls=1 for STARTTLS, smtps://user:pass@host for TLS from the start.
# READERFUND_EMAIL_BACKEND names another backend, such as django-anymail's, which then reads
# READERFUND_ANYMAIL_<SETTING> (e.g. READERFUND_ANYMAIL_MAILGUN_API_KEY). With neither, each
# message is written as an .eml file into the data dir's outbox/ and nothing is sent.
from readerfund.lib.mail import anymail_settings, email_backend, smtp_server  # noqa: E402

DEFAULT_FROM_EMAIL = envstr("READERFUND_FROM_EMAIL", "Readerfund <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_TIMEOUT = 30  # a stuck mail server must not hold a task worker for ever
EMAIL_BACKEND = "readerfund.lib.mail.OutboxBackend"
_smtp_url = envsecret("READERFUND_SMTP_URL")
if _smtp_url:
    _smtp = smtp_server(_smtp_url)
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST, EMAIL_PORT = _smtp.host, _smtp.port
    EMAIL_HOST_USER, EMAIL_HOST_PASSWORD = _smtp.user, _smtp.password
    EMAIL_USE_TLS, EMAIL_USE_SSL = _smtp.use_tls, _smtp.use_ssl
EMAIL_BACKEND = email_backend("READERFUND_EMAIL_BACKEND") or EMAIL_BACKEND
ANYMAIL = anymail_settings()

# Payments: Stripe (the official SDK); STRIPE_API_BASE points it at an emulator.
STRIPE_SECRET_KEY = envsecret("STRIPE_SECRET_KEY") or ""
STRIPE_PUBLISHABLE_KEY = envstr("STRIPE_PUBLISHABLE_KEY")
STRIPE_WEBHOOK_SECRET = envsecret("STRIPE_WEBHOOK_SECRET") or ""
STRIPE_API_BASE = envurl("STRIPE_API_BASE", "")
# Stripe.js; the emulator serves its own at <base>/js.stripe.com/v3/. envurl drops the final
# slash, which both servers need.
STRIPE_JS_URL = envurl("STRIPE_JS_URL", "https://js.stripe.com/v3/") + "/"
READERFUND_FEE_PERCENT_BP = envint("READERFUND_FEE_PERCENT_BP", 290, minimum=0)  # 2.9 %
READERFUND_FEE_FIXED = envint("READERFUND_FEE_FIXED", 30, minimum=0)  # minor units
# The decline-rate breaker (contributions/breaker.py): when at least MIN_DECLINES first
# payments are declined in 10 minutes, making at least DECLINE_PERCENT of the checkouts
# started, checkout is slowed for everyone (BUDGET checkouts a minute in all) until COOLDOWN
# seconds after that last held.
READERFUND_BREAKER_MIN_DECLINES = envint("READERFUND_BREAKER_MIN_DECLINES", 20, minimum=1)
READERFUND_BREAKER_DECLINE_PERCENT = envint("READERFUND_BREAKER_DECLINE_PERCENT", 50, minimum=1)
if READERFUND_BREAKER_DECLINE_PERCENT > 100:
    raise ConfigError(
        f"READERFUND_BREAKER_DECLINE_PERCENT={READERFUND_BREAKER_DECLINE_PERCENT}: at most 100"
    )
READERFUND_BREAKER_COOLDOWN = envint("READERFUND_BREAKER_COOLDOWN", 900, minimum=60)  # seconds
READERFUND_BREAKER_BUDGET = envint("READERFUND_BREAKER_BUDGET", 10, minimum=1)  # a minute

# Funding: the currency the monthly cost is set in and every figure is converted into.
READERFUND_BASE_CURRENCY = envstr("READERFUND_BASE_CURRENCY", "USD").upper()
if len(READERFUND_BASE_CURRENCY) != 3 or not READERFUND_BASE_CURRENCY.isalpha():
    raise ConfigError(f"READERFUND_BASE_CURRENCY={READERFUND_BASE_CURRENCY!r}: use ISO 4217")
