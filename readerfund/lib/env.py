"""Typed readers for settings from the environment.

Every helper fails loudly, naming the variable, when a value cannot be parsed: a typo in
production config must stop the process at start, never fall back silently.
"""

import os
import re
import secrets
from pathlib import Path
from urllib.parse import urlsplit


class ConfigError(Exception):
    """A setting in the environment has a value Readerfund cannot use."""


_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def envstr(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def envbool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ConfigError(
        f"{name}={raw!r} is not a boolean: use one of 1/0, true/false, yes/no, on/off"
    )


def envint(name: str, default: int, *, minimum: int | None = None) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw.strip())
    except ValueError:
        raise ConfigError(f"{name}={raw!r} is not a whole number") from None
    if minimum is not None and value < minimum:
        raise ConfigError(f"{name}={value} is below the minimum of {minimum}")
    return value


def envlist(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return list(default)
    return [item.strip() for item in raw.split(",") if item.strip()]


def envsecret(name: str) -> str | None:
    """The value of NAME, or the contents of the file that NAME_FILE points to."""
    if os.environ.get(name):
        return os.environ[name]
    path = os.environ.get(f"{name}_FILE")
    if not path:
        return None
    try:
        return Path(path).read_text().strip()
    except OSError as exc:
        raise ConfigError(f"{name}_FILE={path!r} cannot be read: {exc.strerror}") from None


def envurl(name: str, default: str = "") -> str:
    raw = os.environ.get(name, default).strip()
    if raw and not raw.startswith(("http://", "https://")):
        raise ConfigError(f"{name}={raw!r} must start with http:// or https://")
    return raw.rstrip("/")


def envorigins(name: str) -> list[str]:
    """Origins (`https://host[:port]`) from a comma-separated list of host names or URLs; a
    bare host name means https. A path, a query or a user name is refused."""
    origins = []
    for item in envlist(name, []):
        parts = urlsplit(item if "://" in item else f"https://{item}")
        try:
            port = parts.port
        except ValueError:
            port = -1
        if (
            parts.scheme not in ("http", "https")
            or not parts.hostname
            or parts.path not in ("", "/")
            or parts.query
            or parts.username
            or port == -1
        ):
            raise ConfigError(f"{name}: {item!r} is not a host name or an http(s) origin")
        origins.append(f"{parts.scheme}://{parts.netloc.lower()}")
    return origins


def envonion(name: str) -> str:
    """An onion service's address (`http://<56 characters>.onion`), or "" when unset."""
    url = envurl(name, "")
    host = urlsplit(url).hostname or ""
    if url and not re.fullmatch(r"([a-z0-9-]+\.)*[a-z2-7]{56}\.onion", host):
        raise ConfigError(f"{name}={url!r} is not a v3 onion address (56 characters + .onion)")
    return url


def generated_secret(data_dir: Path, filename: str, make=lambda: secrets.token_urlsafe(50)) -> str:
    """A secret kept in the data dir, created (readable by its owner only) on first use.

    Written whole into a temporary file, then linked to its name: `os.link` fails when the
    name exists, so when several processes start at once exactly one secret wins, every
    process reads that one, and none ever reads a file half written."""
    path = data_dir / filename
    if path.exists():
        return path.read_text().strip()
    data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    value = make()
    temporary = data_dir / f".{filename}.{secrets.token_hex(8)}"
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w") as handle:
            handle.write(value + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.link(temporary, path)
        except FileExistsError:  # another process got there first: theirs is the secret
            return path.read_text().strip()
    finally:
        temporary.unlink(missing_ok=True)
    return value
