"""Readerfund settings: every value comes from the environment (see README, Configuration).

A bare checkout runs with no variables set: SQLite, media and generated secrets live in
READERFUND_DATA_DIR (./var by default).
"""

from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.utils.translation import gettext_lazy as _

from privacy.keys import blind_index_key, encryption_keys
from readerfund.lib.datadir import make_private, private_file
from readerfund.lib.env import (
    ConfigError,
    envbool,
    envint,
    envlist,
    envonion,
    envorigins,
    envsecret,
    envstr,
    envurl,
    generated_secret,
)

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(envstr("READERFUND_DATA_DIR", "var")).resolve()
make_private(DATA_DIR)  # 0700, and its files 0600

DEBUG = envbool("DEBUG", False)
SECRET_KEY = envsecret("READERFUND_SECRET_KEY") or generated_secret(DATA_DIR, "secret_key")
SITE_URL = envurl("READERFUND_SITE_URL", "http://127.0.0.1:8000")
ALLOWED_HOSTS = envlist("READERFUND_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
# Readers behind a block (README, "When your site is blocked"): other addresses of the same
# site, each allowed as a host. A page fetched on one links to that host; its canonical link
# names the main site. The onion address also goes out in an Onion-Location header.
MIRRORS = envorigins("READERFUND_MIRRORS")
ONION_URL = envonion("READERFUND_ONION_URL")
ALLOWED_HOSTS += [urlsplit(url).hostname for url in [*MIRRORS, ONION_URL] if url]
CSRF_TRUSTED_ORIGINS = [SITE_URL, *MIRRORS, *([ONION_URL] if ONION_URL else [])]
# A static copy of the public site (readerfund/export.py), refreshed by a task after each
# publish when set.
STATIC_EXPORT_DIR = envstr("READERFUND_STATIC_EXPORT_DIR", "")

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
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_otp_webauthn",
    "axes",
    "wagtail.contrib.redirects",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.settings",
    "wagtail.contrib.simple_translation",  # "Translate" in the admin: a page into the other edition
    "wagtail.locales",
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
    "readerfund.lib.apierrors.JsonErrorsMiddleware",  # errors under /api/ are JSON
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "readerfund.lib.editions.EditionMiddleware",  # the edition's language, from the path only
    "django.middleware.common.CommonMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "readerfund.staff.StaffSessionMiddleware",
    "readerfund.staff.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "readerfund.lib.apierrors.SiteRedirectMiddleware",  # Wagtail's, not for API paths
    "newsroom.middleware.KeptSiteMiddleware",
    "readerfund.lib.middleware.LimitsUnavailableMiddleware",
    "axes.middleware.AxesMiddleware",  # last: it answers a locked-out sign-in
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
            "builtins": ["readerfund.templatetags.cldr"],
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
    # Kept open by each web thread, as on PostgreSQL: opening one (with Django's functions
    # registered and the PRAGMAs above) cost about 1.4 ms of every rendered request.
    DATABASES["default"]["CONN_MAX_AGE"] = 600
    # Made 0600 before SQLite opens it: its -wal and -shm files take the same mode.
    private_file(Path(DATABASES["default"]["NAME"]))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: Redis when REDIS_URL is set (shared by every web process and machine), otherwise
# files in the data dir (shared by the processes of one machine).
REDIS_URL = envstr("REDIS_URL")
# A Redis that stops answering must fail fast, never hold a request (seconds).
REDIS_OPTIONS = {"socket_connect_timeout": 0.5, "socket_timeout": 1.0}
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "readerfund.lib.cache.TolerantRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "readerfund",
            "OPTIONS": REDIS_OPTIONS,
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "readerfund.lib.cache.FileCache",
            "LOCATION": str(DATA_DIR / "cache"),
            "OPTIONS": {"MAX_ENTRIES": 20000},
        }
    }
# Kept pages (readerfund/lib/pagecache.py) have a store of their own, so that nothing a reader
# sends can evict a rate-limit counter or the breaker's state from the default cache.
_pages_redis = envstr("READERFUND_PAGES_REDIS_URL") or REDIS_URL
if _pages_redis:
    CACHES["pages"] = {
        "BACKEND": "readerfund.lib.cache.TolerantRedisCache",
        "LOCATION": _pages_redis,
        "KEY_PREFIX": "readerfund-pages",
        "OPTIONS": REDIS_OPTIONS,
    }
else:
    CACHES["pages"] = {
        "BACKEND": "readerfund.lib.cache.FileCache",
        "LOCATION": str(DATA_DIR / "pages"),
        "OPTIONS": {"MAX_ENTRIES": envint("READERFUND_PAGE_CACHE_ENTRIES", 5000, minimum=100)},
    }
# Wagtail looks up image renditions in this cache on every {% image %}; in process memory it
# costs nothing, where the file cache cost a rename per lookup.
CACHES["renditions"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "OPTIONS": {"MAX_ENTRIES": 5000},
}

# Background work (readerfund/taskqueue.py): django-tasks with its database backend, or RQ on
# Redis (READERFUND_TASK_BACKEND=rq) for large newsrooms; `readerfund worker` runs either.
TASK_BACKEND = envstr("READERFUND_TASK_BACKEND", "db").strip().lower()
if TASK_BACKEND == "db":
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
elif TASK_BACKEND == "rq":
    _tasks_redis = envstr("READERFUND_TASKS_REDIS_URL") or REDIS_URL
    if not _tasks_redis:
        raise ConfigError(
            "READERFUND_TASK_BACKEND=rq needs REDIS_URL (or READERFUND_TASKS_REDIS_URL)"
        )
    INSTALLED_APPS.append("django_rq")
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    # A task that runs longer than this is stopped (charge_renewals does 500 at most a run).
    RQ_QUEUES = {"default": {"URL": _tasks_redis, "DEFAULT_TIMEOUT": 1800}}
else:
    raise ConfigError(f"READERFUND_TASK_BACKEND={TASK_BACKEND!r}: choose db or rq")
# At most this many seconds for every periodic slot's lease (readerfund/schedule.py; 0: each
# task's own, 4 to 30 minutes). A worker that dies mid-run leaves its slot to another sooner,
# but a live run longer than the lease may be joined by a second: for drills, not production.
SCHEDULE_LEASE_LIMIT = envint("READERFUND_SCHEDULE_LEASE_LIMIT", 0, minimum=0)

# Public pages: how long caches and browsers may keep them, and the in-process page cache.
PAGE_MAX_AGE = envint("READERFUND_PAGE_MAX_AGE", 60, minimum=0)
PAGE_CACHE = envbool("READERFUND_PAGE_CACHE", True)
# Each web process renders a few pages before its first request (newsroom/warmup.py).
WARM_UP = envbool("READERFUND_WARM_UP", True)
PAGE_CACHE_GENERATION_TTL = 1.0  # seconds a process trusts its last read of the generation
# After its max-age a kept page is served for up to PAGE_STALE more seconds while it is
# rendered again in the background.
PAGE_STALE = envint("READERFUND_PAGE_STALE", 300, minimum=0)
PAGE_CACHE_MEMORY = envint("READERFUND_PAGE_CACHE_MEMORY_MB", 64, minimum=1) * 1024 * 1024
# Renders at once per web process; QUEUE more misses may wait this long for one, then get
# 503; any further miss gets 503 at once (readerfund/lib/pagecache.py). With `serve`'s 10
# threads, 2 stay free for kept pages. One slot: a render is Python's work, and a process
# runs Python on one core at a time, so a second render at once only shared that core and
# made both wait for it after every query. Eight misses at once: a crawler's connections
# are dealt to the web processes by the kernel, unevenly (7 of 8 to one process, now and
# then), and a miss beyond what its process admits is answered 503 (bench/RESULTS.md, Pages).
PAGE_RENDER_SLOTS = envint("READERFUND_PAGE_RENDER_SLOTS", 1, minimum=1)
PAGE_RENDER_QUEUE = envint("READERFUND_PAGE_RENDER_QUEUE", 7, minimum=0)
PAGE_RENDER_WAIT = envint("READERFUND_PAGE_RENDER_WAIT", 2, minimum=1)
# The query parameters each page reads (longest path prefix wins), with the pattern a value
# must match; every other parameter is dropped before caching and rendering (pagekey.py).
_CHOICE = {
    "frequency": r"[A-Za-z]{1,10}",
    "amount": r"[0-9][0-9.,]{0,15}",
    "other": r"[0-9][0-9.,]{0,15}",
    "currency": r"[A-Za-z]{3}",
    "appeal": r"[A-Za-z0-9_.:-]{1,64}",
    "variant": r"[A-Za-z0-9_.:-]{1,64}",
}
PAGE_QUERY_PARAMS = {
    "/": {"page": r"[1-9][0-9]{0,4}"},
    "/sitemap.xml": {"p": r"[1-9][0-9]{0,4}"},
    "/support/": _CHOICE,
    "/reminders/new/": _CHOICE,
}
# Reader pages that are private (one donor's): never kept, their query strings left alone.
PAGE_CACHE_PRIVATE = (
    "/support/checkout/",
    "/support/thanks/",
    "/support/authenticate/",
    "/support/manage/",
)
# A header set by the CDN in front naming the reader's country (CF-IPCountry on Cloudflare):
# appeals may then target countries. Unset: country targeting is ignored.
READERFUND_COUNTRY_HEADER = envstr("READERFUND_COUNTRY_HEADER", "")
# Appeal events are counted in each web process's memory and written to the daily counts
# every this many seconds (appeals/counting.py): a kill -9 loses at most that long's events.
APPEAL_EVENTS_FLUSH = envint("READERFUND_APPEAL_EVENTS_FLUSH", 2, minimum=1)

# Staff accounts (readerfund/staff.py): a second factor (django-otp) before any admin page,
# sessions that end, and sign-ins throttled per account and per address (django-axes).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
STAFF_IDLE_SECONDS = envint("READERFUND_STAFF_IDLE_MINUTES", 60, minimum=1) * 60
STAFF_SESSION_SECONDS = envint("READERFUND_STAFF_SESSION_HOURS", 12, minimum=1) * 3600
SESSION_COOKIE_AGE = STAFF_SESSION_SECONDS  # the cookie never outlives the session
OTP_TOTP_ISSUER = envstr("READERFUND_NEWSROOM_NAME", "Readerfund")
# Passkeys (django-otp-webauthn) as a second factor, never instead of the password. They are
# bound to the site's host name and need https, so they work on that address only (not on
# mirrors). On a plain-http site (the demo) browsers allow them on localhost only.
_site = urlsplit(SITE_URL)
if _site.scheme == "https" or _site.hostname == "localhost":
    OTP_WEBAUTHN_RP_ID, OTP_WEBAUTHN_ALLOWED_ORIGINS = _site.hostname, [SITE_URL]
else:
    _port = f":{_site.port}" if _site.port else ""
    OTP_WEBAUTHN_RP_ID, OTP_WEBAUTHN_ALLOWED_ORIGINS = "localhost", [f"http://localhost{_port}"]
OTP_WEBAUTHN_RP_NAME = OTP_TOTP_ISSUER
OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False
AXES_HANDLER = "axes.handlers.cache.AxesCacheHandler"  # counts in the cache: no address table
AXES_FAILURE_LIMIT = envint("READERFUND_LOGIN_ATTEMPTS", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=envint("READERFUND_LOGIN_LOCKOUT_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # each counted on its own
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "readerfund.lib.ratelimit.client_address"
AXES_LOCKOUT_CALLABLE = "readerfund.staff.locked_out"
AXES_VERBOSE = False  # its log lines name the address and the account
# axes warns that the file cache's increments are not atomic: two failures at the same
# instant may count once. Accepted, rather than a table of staff's addresses that a seized
# database would give away; with REDIS_URL the counts are exact and shared by every machine.
SILENCED_SYSTEM_CHECKS = [
    "axes.W001",
    # `check --deploy`: nginx or Caddy redirects http to https (docs/deploy/), and the onion
    # service reaches the app over plain http by design, so Django must not redirect.
    "security.W008",
    # HSTS for the site's host only: its subdomains and the preload list are the newsroom's
    # own choice (add them in the proxy's header, docs/deploy/nginx.conf).
    "security.W005",
    "security.W021",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

# Editions (readerfund/lib/editions.py): the default one, in READERFUND_LANGUAGE, at the root;
# each other language under its prefix (/ru/). The language comes from the path only: pages
# are identical for every reader, so no Accept-Language negotiation.
LANGUAGE_CODE = envstr("READERFUND_LANGUAGE", "en")
LANGUAGES = [("en", _("English")), ("ru", _("Russian"))]
if LANGUAGE_CODE not in dict(LANGUAGES):
    raise ConfigError(f"READERFUND_LANGUAGE={LANGUAGE_CODE!r}: choose one of en, ru")
LOCALE_PATHS = [BASE_DIR / "readerfund" / "locale"]
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
# Wagtail's locales: a page tree per edition, a page and its translation sharing a
# translation_key (wagtail-localize is not used: docs/DESIGN.md says why).
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
TIME_ZONE = envstr("READERFUND_TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = DATA_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "readerfund.lib.staticfiles.StaticFilesStorage"},
}
WHITENOISE_KEEP_ONLY_HASHED_FILES = False

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = SITE_URL.startswith("https://")
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# HSTS when the site is https: browsers then never try it over plain HTTP (a year by default;
# 0 turns it off). Django sends it on https responses only.
SECURE_HSTS_SECONDS = envint(
    "READERFUND_HSTS_SECONDS", 31_536_000 if SITE_URL.startswith("https://") else 0, minimum=0
)
if envbool("READERFUND_BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# The client's address (readerfund/lib/clientip.py): the proxies whose X-Forwarded-For (or
# READERFUND_CLIENT_IP_HEADER, from a CDN) is believed. Loopback: a proxy on this machine.
READERFUND_TRUSTED_PROXIES = envlist("READERFUND_TRUSTED_PROXIES", ["127.0.0.1", "::1"])
READERFUND_CLIENT_IP_HEADER = envstr("READERFUND_CLIENT_IP_HEADER", "").strip()
from readerfund.lib.clientip import trusted_networks  # noqa: E402

try:
    trusted_networks(tuple(READERFUND_TRUSTED_PROXIES))
except ValueError as _bad:
    raise ConfigError(f"READERFUND_TRUSTED_PROXIES: {_bad}") from None

# /metrics (readerfund/metrics.py) answers a request that carries this token
# (`Authorization: Bearer …`) or comes straight from an address in METRICS_ALLOW (the peer of
# the connection, never a forwarded header); anyone else gets 404.
METRICS_TOKEN = envsecret("READERFUND_METRICS_TOKEN") or ""
METRICS_ALLOW = envlist("READERFUND_METRICS_ALLOW", [])
try:
    trusted_networks(tuple(METRICS_ALLOW))
except ValueError as _bad:
    raise ConfigError(f"READERFUND_METRICS_ALLOW: {_bad}") from None

WAGTAIL_SITE_NAME = envstr("READERFUND_NEWSROOM_NAME", "Readerfund")
WAGTAILADMIN_BASE_URL = SITE_URL
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILIMAGES_FORMAT_CONVERSIONS = {"webp": "webp", "avif": "avif"}
WAGTAIL_ENABLE_UPDATE_CHECK = False  # no call home from the admin
WAGTAILADMIN_USER_LOGIN_FORM = "readerfund.login.StaffLoginForm"  # its labels translated

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

# Without a name here, emails to donors carry the newsroom's name (contributions.emails.sender).
DEFAULT_FROM_EMAIL = envstr("READERFUND_FROM_EMAIL", "noreply@localhost")
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
# Crypto through a self-hosted BTCPay Server (Greenfield API): on when all four are set.
BTCPAY_URL = envurl("BTCPAY_URL", "")
BTCPAY_API_KEY = envsecret("BTCPAY_API_KEY") or ""
BTCPAY_STORE_ID = envstr("BTCPAY_STORE_ID")
BTCPAY_WEBHOOK_SECRET = envsecret("BTCPAY_WEBHOOK_SECRET") or ""
BTCPAY_CURRENCIES = [code.upper() for code in envlist("BTCPAY_CURRENCIES", [])]  # empty: all
BTCPAY_INVOICE_MINUTES = envint("BTCPAY_INVOICE_MINUTES", 60, minimum=15)
# Bank transfers with a reference per contribution, matched from imported statements: on
# when the IBAN (or account number) is set.
BANK_ACCOUNT_HOLDER = envstr("READERFUND_BANK_ACCOUNT_HOLDER")
BANK_IBAN = envstr("READERFUND_BANK_IBAN")
BANK_BIC = envstr("READERFUND_BANK_BIC")
BANK_NAME = envstr("READERFUND_BANK_NAME")
BANK_CURRENCIES = [code.upper() for code in envlist("READERFUND_BANK_CURRENCIES", ["EUR"])]
# A CSV statement's columns: our field=their heading, for date, amount, currency (optional:
# else the first bank currency), text (the remittance information) and id (optional: else
# the line's contents and position make its id).
BANK_CSV_COLUMNS = envstr(
    "READERFUND_BANK_CSV_COLUMNS",
    "date=Date,amount=Amount,currency=Currency,text=Reference,id=Transaction ID",
)
BANK_CSV_DELIMITER = envstr("READERFUND_BANK_CSV_DELIMITER", ",")
BANK_CSV_DATE_FORMAT = envstr("READERFUND_BANK_CSV_DATE_FORMAT", "%Y-%m-%d")
# Seconds a call to a payment provider may take before its outcome counts as unknown (a
# reader may be waiting on the checkout page).
READERFUND_PROVIDER_TIMEOUT = envint("READERFUND_PROVIDER_TIMEOUT", 20, minimum=1)
# The card field asks for a postal code only when the newsroom turns this on.
CARD_POSTAL_CODE = envbool("READERFUND_CARD_POSTAL_CODE", False)
# Applied webhook events are deleted after this many days (unapplied ones are kept).
PROVIDER_EVENTS_DAYS = envint("READERFUND_PROVIDER_EVENTS_DAYS", 90, minimum=1)
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
