"""/api/schema keeps the API honest: Schemathesis, from PyPI, runs every one of its checks
(and the stateful phase, which follows the schema's links checkout → status → complete)
against a live server on this run's database (SQLite, then PostgreSQL in `make test`),
backed by localstripe, with a fixed seed. Zero failures and zero server errors.

The server is pytest-django's live server (a thread of this process, on the test database),
so the limits it counts can be raised here; nothing else is changed.

Exceptions, each with its reason (and nothing else is excepted):
- The rate limits are raised (checkout, /complete, reminders, appeal events, the decline-rate
  breaker): the fuzzer sends hundreds of requests from one address in a minute, which the
  real limits answer with 429 (a status the schema lists and the checks accept) before any
  contribution is started, so the stateful phase could never walk checkout → complete. The
  limits are tested on their own (tests/contributions/test_checkout_api.py,
  test_breaker.py, tests/reminders/, tests/appeals/).
- negative_data_rejection also expects 413: a body larger than an endpoint reads
  (POST /api/appeals/events: 1,024 bytes) is refused with 413 Content Too Large, which says
  more than 400 would. No body the schema allows is that large.

A reader's browser saves the card between checkout and /complete (Stripe.js); the fuzz has
no browser, so a hook does the same at localstripe (tests/readerfund/fuzz_hooks.py), and
the stateful phase's /complete charges as it would for a reader.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.contributions.stripe_helpers import SECRET_KEY

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[2]
ST = Path(sys.executable).parent / "st"
SEED = 19
MAX_EXAMPLES = 25
CONFIG = """
[checks.negative_data_rejection]
# 413: a body too large to read is refused as such (see the module).
expected-statuses = [
  "400", "401", "403", "404", "405", "406", "409", "413", "415", "422", "428", "429",
]
"""
RAISED = 1_000_000
CURRENCIES = [("USD", 200, 1_000_000), ("EUR", 500, 500_000), ("GBP", 100, 2_000_000)]


@pytest.fixture
def fuzzed_server(live_server, stripe_settings, monkeypatch):
    """The live server with the limits raised (see the module's docstring for why)."""
    from appeals import events
    from contributions.models import CurrencyOption
    from readerfund.lib import ratelimit
    from readerfund.lib.ratelimit import ProcessLimit
    from reminders import views as reminder_views

    # A flushed database has no currencies; each gets bounds of its own, so that the
    # schema's per-currency bounds are what the fuzz meets.
    for position, (code, low, high) in enumerate(CURRENCIES):
        CurrencyOption.objects.update_or_create(
            code=code,
            defaults={"minimum": low, "maximum": high, "position": position, "enabled": True},
        )
    monkeypatch.setattr(ratelimit, "CHECKOUT_LIMIT", RAISED)
    monkeypatch.setattr(reminder_views, "ADDRESS_LIMIT", RAISED)
    monkeypatch.setattr(reminder_views, "EMAIL_LIMIT", RAISED)
    monkeypatch.setattr(events, "LIMITER", ProcessLimit(limit=RAISED, window=300))
    stripe_settings.READERFUND_BREAKER_MIN_DECLINES = RAISED
    stripe_settings.READERFUND_BREAKER_BUDGET = RAISED
    return live_server.url, stripe_settings.STRIPE_API_BASE


def test_the_api_keeps_to_its_schema_under_every_check_and_the_stateful_phase(
    fuzzed_server, tmp_path
):
    server, emulator = fuzzed_server
    config = tmp_path / "schemathesis.toml"
    config.write_text(CONFIG)
    report = tmp_path / "junit.xml"
    command = [
        str(ST),
        "--config-file",
        str(config),
        "--no-color",
        "run",
        f"{server}/api/schema",
        "--checks",
        "all",
        "--phases",
        "examples,coverage,fuzzing,stateful",
        "--seed",
        str(SEED),
        "--max-examples",
        str(MAX_EXAMPLES),
        "--workers",
        "1",
        "--generation-database",
        "none",
        "--request-timeout",
        "30",  # a loaded CI machine is slow, not wrong
        "--report",
        "junit",
        "--report-junit-path",
        str(report),
    ]
    env = os.environ | {
        "SCHEMATHESIS_HOOKS": "tests.readerfund.fuzz_hooks",  # saves the card after checkout
        "PYTHONPATH": str(ROOT),
        "FUZZ_STRIPE_API": emulator,
        "FUZZ_STRIPE_KEY": SECRET_KEY,
    }
    done = subprocess.run(
        command, capture_output=True, text=True, timeout=170, cwd=tmp_path, env=env
    )
    output = done.stdout + done.stderr
    (tmp_path / "schemathesis.txt").write_text(output)
    assert done.returncode == 0, output
    assert "Stateful" in output and "Scenarios:" in output, output
