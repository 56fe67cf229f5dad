"""Stripe for tests: localstripe on loopback, driven by the real SDK (a pytest plugin).

Loaded from tests/conftest.py (`pytest_plugins`), it gives every test folder:

- `stripe_emulator` (session): localstripe running on a free 127.0.0.1 port, its store in
  a throwaway folder; the value is its base URL.
- `stripe_settings`: the STRIPE_* settings pointed at that emulator, for one test.
- `stripe_provider`: a StripeProvider on those settings, its connections closed afterwards.

and helpers: `signed_webhook` signs a payload as Stripe does, `save_card` does server-side
what Stripe.js `confirmCardSetup` does in the browser, `emulator_webhook` has the emulator
deliver its events to a URL, `stripe_client` opens the SDK on the emulator.
"""

import hashlib
import hmac
import json
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest
import stripe
from django.conf import settings as django_settings

from tests.processes import free_port

ROOT = Path(__file__).resolve().parents[2]
SECRET_KEY = "sk_test_readerfund"
PUBLISHABLE_KEY = "pk_test_readerfund"
WEBHOOK_SECRET = "whsec_readerfund"

VISA = "4242424242424242"
DECLINED_WHEN_CHARGED = "4000000000000341"  # saves fine, every charge is declined
NEEDS_AUTHENTICATION = "4000002500003155"  # 3-D Secure on setup and on each charge


def _wait_until_up(base: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"localstripe exited: {log.read_text()}")
        try:
            with urllib.request.urlopen(f"{base}/js.stripe.com/v3/", timeout=1):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"localstripe did not answer on {base}: {log.read_text()}")


@contextmanager
def running_emulator():
    """localstripe on a free 127.0.0.1 port, its store in a throwaway folder, inside the
    block: (base URL, its process). Also for bench/cluster.py."""
    with tempfile.TemporaryDirectory(prefix="localstripe-") as folder:
        port, log = free_port(), Path(folder) / "localstripe.log"
        command = [sys.executable, "-m", "contributions.providers.stripe.emulator"]
        command += ["--port", str(port), "--data-dir", folder, "--from-scratch"]
        with log.open("wb") as output:
            process = subprocess.Popen(
                command, cwd=ROOT, stdin=subprocess.DEVNULL, stdout=output, stderr=output
            )
        base = f"http://127.0.0.1:{port}"
        try:
            _wait_until_up(base, process, log)
            yield base, process
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@pytest.fixture(scope="session")
def stripe_emulator():
    """localstripe on 127.0.0.1, for the whole session. Its base URL."""
    try:
        with running_emulator() as (base, _):
            yield base
    finally:
        _close_registered_provider()


def _close_registered_provider() -> None:
    # The provider that contributions.providers.get() keeps may have opened connections.
    from contributions import providers

    providers.get("stripe").close()


@pytest.fixture
def stripe_settings(settings, stripe_emulator):
    """Settings that point the Stripe provider at the emulator, for one test."""
    settings.STRIPE_API_BASE = stripe_emulator
    settings.STRIPE_SECRET_KEY = SECRET_KEY
    settings.STRIPE_PUBLISHABLE_KEY = PUBLISHABLE_KEY
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    settings.STRIPE_JS_URL = f"{stripe_emulator}/js.stripe.com/v3/"
    return settings


@pytest.fixture
def stripe_provider(stripe_settings):
    """A StripeProvider talking to the emulator."""
    from contributions.providers.stripe import StripeProvider

    provider = StripeProvider()
    yield provider
    provider.close()


def signed_webhook(payload: dict, secret: str = WEBHOOK_SECRET, timestamp: int | None = None):
    """(body, headers) for `payload` signed as Stripe signs: t=…,v1=HMAC-SHA256(t.body)."""
    return sign(json.dumps(payload).encode(), secret, timestamp)


def sign(body: bytes, secret: str = WEBHOOK_SECRET, timestamp: int | None = None):
    """(body, headers) with Stripe's signature on the raw `body`."""
    timestamp = int(time.time()) if timestamp is None else timestamp
    signature = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    headers = {
        "Content-Type": "application/json",
        "Stripe-Signature": f"t={timestamp},v1={signature.hexdigest()}",
    }
    return body, headers


def save_card(setup_intent: str, number: str = VISA) -> str:
    """Save a test card on the SetupIntent, as the browser does with `confirmCardSetup`
    (including a successful 3-D Secure step); returns the saved payment method's id.

    Card numbers reach localstripe only: real Stripe refuses raw numbers from a server."""
    with stripe_client() as client:
        card = {"number": number, "exp_month": 12, "exp_year": 2030, "cvc": "123"}
        intent = client.v1.setup_intents.confirm(
            setup_intent, params={"payment_method_data": {"type": "card", "card": card}}
        )
        if intent.status == "requires_action":
            # What localstripe's Stripe.js does once the donor passes 3-D Secure.
            intent = client.v1.setup_intents.confirm(setup_intent)
        assert intent.status == "succeeded", intent.status
        return intent.payment_method


@contextmanager
def emulator_webhook(emulator: str, url: str, events: list[str] | None = None, name="readerfund"):
    """Have the emulator send its events (all, or `events`) to `url`, signed with the test
    secret, inside the block. localstripe has no way to remove a webhook: on exit it is
    narrowed to an event type that never happens."""
    _register_webhook(emulator, name, url, events)
    try:
        yield
    finally:
        _register_webhook(emulator, name, url, ["readerfund.nothing"])


def _register_webhook(emulator: str, name: str, url: str, events: list[str] | None) -> None:
    fields = [("url", url), ("secret", WEBHOOK_SECRET)]
    fields += [("events[]", event) for event in events or []]
    request = urllib.request.Request(
        f"{emulator}/_config/webhooks/{name}",
        data=urllib.parse.urlencode(fields).encode(),
        headers={"Authorization": f"Bearer {SECRET_KEY}"},
    )
    urllib.request.urlopen(request, timeout=5).close()


@contextmanager
def stripe_client():
    """`with stripe_client() as client:` the SDK on the emulator, its connections closed after."""
    http = stripe.RequestsClient(timeout=10)
    try:
        yield stripe.StripeClient(
            django_settings.STRIPE_SECRET_KEY,
            base_addresses={"api": django_settings.STRIPE_API_BASE},
            http_client=http,
        )
    finally:
        http.close()


def give(frequency="monthly", amount=1000, card=None, email="reader@example.org", **extra):
    """A reader's checkout: the form, the card saved in the browser, the first charge."""
    from contributions.services.checkout import CheckoutData, complete_checkout, start_checkout

    data = CheckoutData(
        frequency=frequency, amount=amount, currency="USD", email=email, provider="stripe", **extra
    )
    contribution, session = start_checkout(data)
    save_card(session.reference, **({"number": card} if card else {}))
    result = complete_checkout(contribution, session.reference)
    contribution.refresh_from_db()
    return contribution, result
