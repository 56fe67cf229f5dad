"""Payments for the demo: localstripe (a Stripe emulator, GPL, run as its own process) on
loopback, with the settings that point the Stripe SDK and Stripe.js at it."""

import subprocess
import sys
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass

from django.conf import settings

# Test-mode keys that only the local emulator accepts; nothing secret.
SECRET_KEY = "sk_test_readerfund_demo"  # noqa: S105
PUBLISHABLE_KEY = "pk_test_readerfund_demo"
WEBHOOK_SECRET = "whsec_readerfund_demo"  # noqa: S105


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
        [sys.executable, "-m", "contributions.providers.stripe_emulator", "--port", str(port),
         "--data-dir", str(store)],
    )  # fmt: skip
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
