"""Where email goes: an SMTP server named by a URL, another backend, or the outbox.

The outbox is the zero-config default: each message is written as an .eml file into the data
dir, so a demo or a fresh install sends nothing anywhere and any mail client can open what
would have been sent.
"""

import logging
import os
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlsplit

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend

from readerfund.lib.env import ConfigError, envsecret, envstr

log = logging.getLogger(__name__)

OUTBOX = "outbox"
ANYMAIL_PREFIX = "READERFUND_ANYMAIL_"
_DOTTED_PATH = re.compile(r"[A-Za-z_]\w*(\.[A-Za-z_]\w*)+")
_TRUE, _FALSE = {"1", "true", "yes", "on"}, {"0", "false", "no", "off"}


@dataclass(frozen=True)
class SmtpServer:
    host: str
    port: int
    user: str
    password: str
    use_tls: bool  # STARTTLS after connecting
    use_ssl: bool  # TLS from the first byte (smtps)


def smtp_server(url: str, name: str = "READERFUND_SMTP_URL") -> SmtpServer:
    """smtp://user:pass@host:587?tls=1 (STARTTLS) or smtps://user:pass@host (implicit TLS).

    User and password are percent-decoded. Errors never repeat the URL: it holds a password.
    """
    parts = urlsplit(url.strip())
    if parts.scheme not in ("smtp", "smtps"):
        raise ConfigError(f"{name} must start with smtp:// or smtps://")
    try:
        host, port = parts.hostname, parts.port
    except ValueError:
        raise ConfigError(f"{name} has a port that is not a number from 0 to 65535") from None
    if not host:
        raise ConfigError(f"{name} names no host")
    use_ssl = parts.scheme == "smtps"
    use_tls = _tls_option(parts.query, name)
    if use_tls and use_ssl:
        raise ConfigError(f"{name}: smtps:// is already TLS, drop ?tls=1 (or use smtp://)")
    return SmtpServer(
        host=host,
        port=port or (465 if use_ssl else 587 if use_tls else 25),
        user=unquote(parts.username or ""),
        password=unquote(parts.password or ""),
        use_tls=use_tls,
        use_ssl=use_ssl,
    )


def _tls_option(query: str, name: str) -> bool:
    options = dict(parse_qsl(query, keep_blank_values=True))
    unknown = set(options) - {"tls"}
    if unknown:
        raise ConfigError(f"{name}: unknown option {sorted(unknown)[0]!r}; only tls=1 is known")
    value = options.get("tls", "0").strip().lower()
    if value not in _TRUE | _FALSE:
        raise ConfigError(f"{name}: tls={value!r} is not a boolean: use 1 or 0")
    return value in _TRUE


def email_backend(name: str) -> str:
    """The backend's dotted path in NAME, or "" when unset; checked for shape only (the
    backend is imported when mail is first sent)."""
    value = envstr(name).strip()
    if value and not _DOTTED_PATH.fullmatch(value):
        raise ConfigError(f"{name}={value!r} is not a dotted path to an email backend class")
    return value


def anymail_settings() -> dict:
    """django-anymail's settings from READERFUND_ANYMAIL_<NAME> (or <NAME>_FILE) variables.

    Tracking is off whatever the provider's account says: donors' opens and clicks are
    nobody's business, and tracked links go through the provider's servers.
    """
    names = {
        key.removeprefix(ANYMAIL_PREFIX).removesuffix("_FILE")
        for key in os.environ
        if key.startswith(ANYMAIL_PREFIX)
    }
    found = {name: envsecret(ANYMAIL_PREFIX + name) for name in sorted(names)}
    return {
        **{name: value for name, value in found.items() if value},
        "SEND_DEFAULTS": {"track_clicks": False, "track_opens": False},
    }


class OutboxBackend(BaseEmailBackend):
    """Writes each message, as the full RFC 5322 bytes, to DATA_DIR/outbox/<time>-<id>.eml.

    The files hold donors' addresses: they are readable by their owner only, and the log
    line names the file, never the recipient.
    """

    def send_messages(self, email_messages) -> int:
        sent = 0
        for message in email_messages:
            try:
                name = self._write(message.message().as_bytes(linesep="\r\n"))
            except OSError:
                if not self.fail_silently:
                    raise
                continue
            log.info("mail written to %s/%s", OUTBOX, name)
            sent += 1
        return sent

    def _write(self, data: bytes) -> str:
        outbox = Path(settings.DATA_DIR) / OUTBOX
        outbox.mkdir(mode=0o700, parents=True, exist_ok=True)
        name = f"{datetime.now(UTC):%Y%m%dT%H%M%S.%fZ}-{secrets.token_hex(4)}.eml"
        # Written under a dot name, then renamed: whoever watches the outbox never opens
        # half a message.
        partial = outbox / f".{name}.partial"
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        partial.rename(outbox / name)
        return name
