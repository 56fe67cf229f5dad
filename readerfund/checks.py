"""Readerfund's own deploy checks, run by `readerfund check --deploy` beside Django's.

Each is an Error (readerfund.E1xx): a production site that fails one loses money, donors'
data or staff accounts, or cannot grow past one machine. They read the settings only, never
a key's value, and their messages name the variable to set (README, Configuration;
docs/deploy/readerfund.env is a configuration that passes).
"""

import ipaddress
import os

from django.conf import settings
from django.core.checks import Error, Tags, register

from readerfund.lib.clientip import trusted_networks
from readerfund.lib.env import envsecret

# The secrets every machine of one site must share: generated into one machine's data dir,
# they differ from the next machine's (donors' data unreadable, sessions signed twice).
SHARED_SECRETS = (
    "READERFUND_SECRET_KEY",
    "READERFUND_ENCRYPTION_KEYS",
    "READERFUND_BLIND_INDEX_KEY",
)
SECOND_FACTOR_MIDDLEWARE = (
    "django_otp.middleware.OTPMiddleware",
    "readerfund.staff.SecondFactorMiddleware",
)


@register(Tags.security, deploy=True)
def check_production_settings(app_configs=None, **kwargs) -> list[Error]:
    return [
        *_debug_off(),
        *_keys_present(),
        *_https_site(),
        *_behind_proxy(),
        *_mail_configured(),
        *_second_factor(),
        *_real_payments(),
        *_metrics_closed(),
        *_full_leases(),
    ]


def _debug_off():
    if settings.DEBUG:
        yield Error("DEBUG is on: it shows settings and data in error pages.", id="readerfund.E101")


def _keys_present():
    for name in SHARED_SECRETS:
        # settings.py has already stopped with a ConfigError when NAME_FILE cannot be read.
        if not envsecret(name):
            yield Error(
                f"{name} (or {name}_FILE) is not set: the key was generated into this "
                "machine's data dir, where another machine or a lost disk cannot find it.",
                hint="Generate it once, keep it with your backups and give it to every process.",
                id="readerfund.E102",
            )


def _https_site():
    if not settings.SITE_URL.startswith("https://"):
        yield Error(
            f"READERFUND_SITE_URL={settings.SITE_URL} is not https: cookies, passkeys and HSTS "
            "need it.",
            id="readerfund.E103",
        )
    if not settings.SECURE_HSTS_SECONDS:
        yield Error("READERFUND_HSTS_SECONDS is 0: HSTS is off.", id="readerfund.E104")


def _behind_proxy():
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None) is None:
        yield Error(
            "READERFUND_BEHIND_TLS_PROXY is not true: behind nginx or Caddy every request looks "
            "like plain http, and secure cookies never work.",
            id="readerfund.E105",
        )
    if "READERFUND_TRUSTED_PROXIES" not in os.environ:
        yield Error(
            "READERFUND_TRUSTED_PROXIES is not set: name your proxies (127.0.0.1,::1 for one on "
            "the same machine), so rate limits count readers, not the proxy.",
            id="readerfund.E106",
        )


def _mail_configured():
    if settings.EMAIL_BACKEND == "readerfund.lib.mail.OutboxBackend":
        yield Error(
            "No mail is sent: receipts and reminders are written into the data dir's outbox.",
            hint="Set READERFUND_SMTP_URL (or READERFUND_EMAIL_BACKEND).",
            id="readerfund.E107",
        )
    if settings.DEFAULT_FROM_EMAIL.endswith("@localhost"):
        yield Error(
            f"READERFUND_FROM_EMAIL={settings.DEFAULT_FROM_EMAIL}: mail servers refuse it.",
            id="readerfund.E108",
        )


def _second_factor():
    missing = [name for name in SECOND_FACTOR_MIDDLEWARE if name not in settings.MIDDLEWARE]
    if missing:
        yield Error(
            f"The staff's second factor is not enforced: {', '.join(missing)} missing from "
            "MIDDLEWARE.",
            id="readerfund.E109",
        )


def _real_payments():
    if settings.STRIPE_API_BASE:
        yield Error("STRIPE_API_BASE points at a Stripe emulator.", id="readerfund.E110")
    if settings.STRIPE_SECRET_KEY and not settings.STRIPE_WEBHOOK_SECRET:
        yield Error(
            "STRIPE_WEBHOOK_SECRET is not set: no webhook can be verified, so no payment is "
            "ever recorded.",
            id="readerfund.E111",
        )


def _metrics_closed():
    """Behind a proxy every reader's request comes from the proxy's address: an allowed
    network that holds a trusted proxy opens /metrics to everyone."""
    allowed = trusted_networks(tuple(settings.METRICS_ALLOW))
    for proxy in trusted_networks(tuple(settings.READERFUND_TRUSTED_PROXIES)):
        if any(_overlap(proxy, network) for network in allowed):
            yield Error(
                f"READERFUND_METRICS_ALLOW holds the proxy {proxy}: through it anyone reads "
                "/metrics. Allow your monitoring's own address, or use READERFUND_METRICS_TOKEN.",
                id="readerfund.E112",
            )


def _overlap(a: ipaddress.IPv4Network | ipaddress.IPv6Network, b) -> bool:
    return a.version == b.version and a.overlaps(b)


def _full_leases():
    if settings.SCHEDULE_LEASE_LIMIT:
        yield Error(
            f"READERFUND_SCHEDULE_LEASE_LIMIT={settings.SCHEDULE_LEASE_LIMIT} shortens the "
            "periodic work's leases (for drills): a renewal run longer than it may be joined "
            "by a second one. Unset it.",
            id="readerfund.E113",
        )
