"""`readerfund check --deploy`: fails on the demo's settings, passes on the documented
production ones (docs/deploy/readerfund.env), and names each missing piece."""

import base64
import os
import secrets
import subprocess
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from tests.processes import READERFUND

# `readerfund check --deploy` in a subprocess, on a data dir of its own, without the test
# settings or TEST_DATABASE_URL: the PostgreSQL pass has nothing to add.
pytestmark = pytest.mark.database_independent

PRODUCTION_ENV = Path(__file__).parents[2] / "docs" / "deploy" / "readerfund.env"
SECRET_FILES = {
    "READERFUND_SECRET_KEY_FILE": lambda: secrets.token_urlsafe(50),
    "READERFUND_ENCRYPTION_KEYS_FILE": lambda: Fernet.generate_key().decode(),
    "READERFUND_BLIND_INDEX_KEY_FILE": lambda: base64.urlsafe_b64encode(
        secrets.token_bytes(32)
    ).decode(),
    "READERFUND_SMTP_URL_FILE": lambda: "smtps://giving:secret@mail.example.org",
    "STRIPE_SECRET_KEY_FILE": lambda: "sk_live_" + secrets.token_hex(12),
    "STRIPE_WEBHOOK_SECRET_FILE": lambda: "whsec_" + secrets.token_hex(12),
    "READERFUND_METRICS_TOKEN_FILE": lambda: secrets.token_urlsafe(32),
}


def env_file(path: Path) -> dict[str, str]:
    lines = [line.strip() for line in path.read_text().splitlines()]
    return dict(line.split("=", 1) for line in lines if line and not line.startswith("#"))


def check_deploy(data_dir, env):
    base = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("READERFUND_", "STRIPE_", "DJANGO_", "DATABASE_", "REDIS_"))
        and key not in ("DEBUG", "TEST_DATABASE_URL")
    }
    return subprocess.run(
        [READERFUND, "check", "--deploy"],
        env={**base, "READERFUND_DATA_DIR": str(data_dir), **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def production(tmp_path):
    """The documented production configuration, its secret files made for real."""
    env = env_file(PRODUCTION_ENV)
    for name, make in SECRET_FILES.items():
        assert name in env, f"{name} is missing from {PRODUCTION_ENV.name}"
        secret = tmp_path / name.lower()
        secret.write_text(make() + "\n")
        env[name] = str(secret)
    env["READERFUND_DATA_DIR"] = str(tmp_path / "data")
    return env


def test_the_documented_production_settings_pass(production, tmp_path):
    result = check_deploy(tmp_path / "data", production)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_the_demo_settings_fail_and_every_missing_piece_is_named(tmp_path):
    result = check_deploy(tmp_path, {})
    assert result.returncode == 1
    for code in ("E102", "E103", "E104", "E105", "E106", "E107", "E108"):  # DEBUG is off
        assert f"readerfund.{code}" in result.stderr, code
    assert "READERFUND_ENCRYPTION_KEYS" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"DEBUG": "true"}, "readerfund.E101"),
        ({"READERFUND_SITE_URL": "http://news.example.org"}, "readerfund.E103"),
        ({"READERFUND_HSTS_SECONDS": "0"}, "readerfund.E104"),
        ({"READERFUND_BEHIND_TLS_PROXY": "false"}, "readerfund.E105"),
        ({"READERFUND_TRUSTED_PROXIES": None}, "readerfund.E106"),
        ({"READERFUND_SMTP_URL_FILE": None}, "readerfund.E107"),
        ({"READERFUND_FROM_EMAIL": "noreply@localhost"}, "readerfund.E108"),
        ({"STRIPE_API_BASE": "http://127.0.0.1:8420"}, "readerfund.E110"),
        ({"STRIPE_WEBHOOK_SECRET_FILE": None}, "readerfund.E111"),
        ({"READERFUND_BLIND_INDEX_KEY_FILE": None}, "readerfund.E102"),
        ({"READERFUND_METRICS_ALLOW": "127.0.0.0/8"}, "readerfund.E112"),
        ({"READERFUND_SCHEDULE_LEASE_LIMIT": "5"}, "readerfund.E113"),
    ],
)
def test_one_missing_piece_of_production_fails_the_check(production, tmp_path, change, code):
    env = {**production}
    for name, value in change.items():
        env.pop(name, None) if value is None else env.__setitem__(name, value)
    result = check_deploy(tmp_path / "data", env)
    assert result.returncode == 1
    assert code in result.stderr
    assert "Traceback" not in result.stderr
