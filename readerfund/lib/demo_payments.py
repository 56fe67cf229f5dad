"""Payments for the demo: localstripe (a Stripe emulator, GPL, run as its own process) on
loopback, with the settings that point the Stripe SDK and Stripe.js at it; the Greenfield
stand-in for crypto (contributions/providers/btcpay/standin.py) the same way; and the demo
newsroom's fictional bank details for bank transfers."""

import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from django.conf import settings

# Test-mode keys that only the local emulator accepts; nothing secret.
SECRET_KEY = "sk_test_readerfund_demo"  # noqa: S105
PUBLISHABLE_KEY = "pk_test_readerfund_demo"
WEBHOOK_SECRET = "whsec_readerfund_demo"  # noqa: S105
GREENFIELD_KEY = "greenfield_readerfund_demo"
GREENFIELD_STORE = "demo-store"
GREENFIELD_SECRET = "greenfield_webhook_readerfund_demo"  # noqa: S105
# A fictional account: the demo's bank transfers go nowhere (statements are imported by hand).
BANK = {
    "READERFUND_BANK_ACCOUNT_HOLDER": "Northern Ledger Media Foundation",
    "READERFUND_BANK_IBAN": "XX00 0000 0000 0000 0000 00",
    "READERFUND_BANK_BIC": "DEMOXX00",
    "READERFUND_BANK_NAME": "Demo Bank (fictional)",
    "READERFUND_BANK_CURRENCIES": "EUR,USD,GBP",
}


@dataclass
class Emulator:
    process: subprocess.Popen
    base: str
    env: dict


def start(port: int, site: str) -> Emulator:
    """Start the emulator, wait for it, and have it send its events to this site."""
    base = f"http://127.0.0.1:{port}"
    store = settings.DATA_DIR / "localstripe"
    store.mkdir(parents=True, exist_ok=True)
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "contributions.providers.stripe.emulator",
            "--port",
            str(port),
            "--data-dir",
            str(store),
        ],
    )
    _wait(base, process)
    _send_events_to(base, f"{site}/webhooks/stripe")
    env = {
        "STRIPE_SECRET_KEY": SECRET_KEY,
        "STRIPE_PUBLISHABLE_KEY": PUBLISHABLE_KEY,
        "STRIPE_WEBHOOK_SECRET": WEBHOOK_SECRET,
        "STRIPE_API_BASE": base,
        "STRIPE_JS_URL": f"{base}/js.stripe.com/v3/",
    }
    return Emulator(process, base, env)


def _wait(base: str, process: subprocess.Popen, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the Stripe emulator exited with {process.returncode}")
        try:
            urllib.request.urlopen(f"{base}/js.stripe.com/v3/", timeout=1).close()  # noqa: S310
            return
        except OSError:
            time.sleep(0.1)
    process.terminate()
    raise RuntimeError(f"the Stripe emulator did not answer on {base}")


def _send_events_to(base: str, url: str) -> None:
    request = urllib.request.Request(  # noqa: S310 — loopback only
        f"{base}/_config/webhooks/readerfund",
        data=urllib.parse.urlencode({"url": url, "secret": WEBHOOK_SECRET}).encode(),
        headers={"Authorization": f"Bearer {SECRET_KEY}"},
    )
    urllib.request.urlopen(request, timeout=5).close()  # noqa: S310


def start_greenfield(port: int, site: str) -> Emulator:
    """Start the Greenfield stand-in, sending its webhooks to this site."""
    base = f"http://127.0.0.1:{port}"
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "contributions.providers.btcpay.standin",
            "--port",
            str(port),
            "--webhook-url",
            f"{site}/webhooks/btcpay",
            "--api-key",
            GREENFIELD_KEY,
            "--store",
            GREENFIELD_STORE,
            "--secret",
            GREENFIELD_SECRET,
        ],
    )
    _wait_for(f"{base}/i/none", process, "the Greenfield stand-in")
    env = {
        "BTCPAY_URL": base,
        "BTCPAY_API_KEY": GREENFIELD_KEY,
        "BTCPAY_STORE_ID": GREENFIELD_STORE,
        "BTCPAY_WEBHOOK_SECRET": GREENFIELD_SECRET,
    }
    return Emulator(process, base, env)


def _wait_for(url: str, process: subprocess.Popen, name: str, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{name} exited with {process.returncode}")
        try:
            urllib.request.urlopen(url, timeout=1).close()  # noqa: S310 — loopback only
            return
        except urllib.error.HTTPError:
            return  # it answered
        except OSError:
            time.sleep(0.1)
    process.terminate()
    raise RuntimeError(f"{name} did not answer on {url}")
