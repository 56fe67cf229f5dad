"""A small stand-in for BTCPay Server's Greenfield API, for the tests and the demo.

BTCPay Server (a .NET application with a Bitcoin node) cannot run on the machines that run
Readerfund's tests, so this server answers the invoice endpoints Readerfund calls, with the
shapes of BTCPay's Greenfield API documentation (docs.btcpayserver.org/API/Greenfield/v1/):

    POST /api/v1/stores/{storeId}/invoices            create (amount is a decimal string)
    GET  /api/v1/stores/{storeId}/invoices?orderId=…  list, filtered by orderId
    GET  /api/v1/stores/{storeId}/invoices/{id}       one invoice

each with `Authorization: token <api key>`, and sends webhooks as BTCPay does: a JSON body
with deliveryId, webhookId, originalDeliveryId, isRedelivery, type, timestamp, storeId,
invoiceId and metadata (plus manuallyMarked/overPaid, partiallyPaid, afterExpiration by
type), signed `BTCPay-Sig: sha256=<HMAC-SHA256 of the body>` with the webhook's secret.

What BTCPay's checkout page and the blockchain do is played by a page of its own at
/i/{id} (a Pay button) and by `settle`, `expire`, `invalidate`: each changes the invoice
and delivers its webhook — POSTed to `webhook_url` when one is given, and kept in
`deliveries` (body, headers) for a test to post itself.

    python -m contributions.providers.btcpay.standin --port 8430 --webhook-url URL
"""

import argparse
import contextlib
import html
import itertools
import json
import secrets
import threading
import time
from decimal import Decimal, InvalidOperation
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import httpx

from contributions.providers.btcpay.provider import sign

STORE = "demo-store"
API_KEY = "demo-greenfield-key"  # noqa: S105 — the stand-in's own, for tests and the demo
WEBHOOK_SECRET = "demo-webhook-secret"  # noqa: S105


class Greenfield:
    """The stand-in's state: invoices, and the webhooks it delivered."""

    def __init__(self, *, store=STORE, api_key=API_KEY, secret=WEBHOOK_SECRET, webhook_url=""):
        self.store, self.api_key, self.secret = store, api_key, secret
        self.webhook_url = webhook_url
        self.base = ""
        self.invoices: dict[str, dict] = {}
        self.deliveries: list[tuple[bytes, dict]] = []
        self.webhook_id = "wh_" + secrets.token_hex(6)
        self.answer_delay = 0.0  # seconds an invoice's creation waits before answering
        self._numbers = itertools.count(1)
        self._lock = threading.Lock()

    # The Greenfield endpoints ------------------------------------------------------------------

    def create(self, body: dict) -> tuple[int, dict]:
        try:
            amount = Decimal(str(body["amount"]))
            currency = str(body["currency"]).upper()
        except (KeyError, InvalidOperation, TypeError):
            return 400, [{"path": "amount", "message": "Invalid amount"}]
        now = int(time.time())
        invoice_id = f"inv{next(self._numbers):04d}{secrets.token_hex(4)}"
        checkout = body.get("checkout") or {}
        minutes = int(checkout.get("expirationMinutes") or 15)
        invoice = {
            "id": invoice_id,
            "storeId": self.store,
            "amount": str(amount),
            "currency": currency,
            "type": "Standard",
            "checkoutLink": f"{self.base}/i/{invoice_id}",
            "status": "New",
            "additionalStatus": "None",
            "createdTime": now,
            "expirationTime": now + minutes * 60,
            "monitoringExpiration": now + minutes * 120,
            "archived": False,
            "metadata": body.get("metadata") or {},
            "checkout": checkout,
            "availableStatusesForManualMarking": ["Settled", "Invalid"],
        }
        with self._lock:
            self.invoices[invoice_id] = invoice
        return 200, invoice

    def find(self, order_ids: list[str]) -> list[dict]:
        return [i for i in self.invoices.values() if i["metadata"].get("orderId") in order_ids]

    # What the reader and the blockchain do -------------------------------------------------

    def settle(self, invoice_id: str, *, manually=False, over_paid=False) -> dict:
        return self._become(
            invoice_id, "Settled", "InvoiceSettled", manuallyMarked=manually, overPaid=over_paid
        )

    def expire(self, invoice_id: str, *, partially_paid=False) -> dict:
        extra = "PaidPartial" if partially_paid else "None"
        return self._become(
            invoice_id, "Expired", "InvoiceExpired", extra, partiallyPaid=partially_paid
        )

    def invalidate(self, invoice_id: str) -> dict:
        return self._become(invoice_id, "Invalid", "InvoiceInvalid", manuallyMarked=False)

    def receive_payment(self, invoice_id: str, *, after_expiration=False) -> dict:
        """A payment seen on the chain, not yet settled: BTCPay says so, nothing changes."""
        return self.deliver(
            invoice_id,
            "InvoiceReceivedPayment",
            afterExpiration=after_expiration,
            paymentMethod="BTC-CHAIN",
            payment={"id": secrets.token_hex(8), "status": "Processing"},
        )

    def _become(self, invoice_id, status, event, additional="None", **fields) -> dict:
        with self._lock:
            invoice = self.invoices[invoice_id]
            invoice["status"], invoice["additionalStatus"] = status, additional
        return self.deliver(invoice_id, event, **fields)

    # Webhooks -----------------------------------------------------------------------------------

    def deliver(self, invoice_id: str, event_type: str, **fields) -> dict:
        delivery = "del_" + secrets.token_hex(8)
        payload = {
            "deliveryId": delivery,
            "webhookId": self.webhook_id,
            "originalDeliveryId": delivery,
            "isRedelivery": False,
            "type": event_type,
            "timestamp": int(time.time()),
            "storeId": self.store,
            "invoiceId": invoice_id,
            "metadata": self.invoices[invoice_id]["metadata"],
            **fields,
        }
        self._send(payload)
        return payload

    def redeliver(self, payload: dict) -> dict:
        """What BTCPay's "Redeliver" button sends: a new delivery id, the original named."""
        again = {**payload, "deliveryId": "del_" + secrets.token_hex(8), "isRedelivery": True}
        self._send(again)
        return again

    def _send(self, payload: dict) -> None:
        body = json.dumps(payload).encode()
        headers = {"Content-Type": "application/json", "BTCPay-Sig": sign(body, self.secret)}
        with self._lock:
            self.deliveries.append((body, headers))
        if self.webhook_url:
            # BTCPay retries a failed delivery later; the stand-in leaves that to redeliver().
            with contextlib.suppress(httpx.HTTPError):
                httpx.post(self.webhook_url, content=body, headers=headers, timeout=10)


class Handler(BaseHTTPRequestHandler):
    server_version = "GreenfieldStandIn/1"

    @property
    def state(self) -> Greenfield:
        return self.server.greenfield

    def log_message(self, *args):  # quiet
        pass

    def _answer(self, status: int, body, content_type="application/json", headers=None):
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # the client gave up
            self.wfile.write(data)

    def _api_path(self) -> str | None:
        """The path inside the store's API, once the key and store are right; else None."""
        prefix = f"/api/v1/stores/{self.state.store}"
        path = urlsplit(self.path).path
        if self.headers.get("Authorization") != f"token {self.state.api_key}":
            self._answer(401, {"code": "unauthenticated", "message": "Authentication required"})
            return None
        if not path.startswith(prefix):
            self._answer(404, {"code": "store-not-found", "message": "The store was not found"})
            return None
        return path[len(prefix) :]

    def do_GET(self):  # noqa: N802
        parts = urlsplit(self.path)
        if parts.path.startswith("/i/"):
            return self._checkout_page(parts.path[3:])
        path = self._api_path()
        if path is None:
            return None
        if path == "/invoices":
            orders = parse_qs(parts.query).get("orderId", [])
            found = self.state.find(orders) if orders else list(self.state.invoices.values())
            return self._answer(200, found)
        invoice = self.state.invoices.get(path.removeprefix("/invoices/"))
        if invoice is None:
            return self._answer(404, {"code": "invoice-not-found", "message": "Not found"})
        return self._answer(200, invoice)

    def do_POST(self):  # noqa: N802
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length)
        path = urlsplit(self.path).path
        if path.startswith("/i/") and path.endswith("/pay"):
            return self._pay(path[3:-4])
        path = self._api_path()
        if path is None:
            return None
        if path != "/invoices":
            return self._answer(404, {"code": "not-found", "message": "Not found"})
        try:
            body = json.loads(raw)
        except ValueError:
            return self._answer(400, [{"path": "", "message": "Invalid JSON"}])
        status, created = self.state.create(body)
        time.sleep(self.state.answer_delay)  # made, but the answer may come too late
        return self._answer(status, created)

    def _checkout_page(self, invoice_id: str):
        invoice = self.state.invoices.get(invoice_id)
        if invoice is None:
            return self._answer(404, b"no such invoice", "text/plain")
        amount = html.escape(f"{invoice['amount']} {invoice['currency']}")
        page = (
            "<!doctype html><html lang=en><meta charset=utf-8><title>BTCPay stand-in</title>"
            f"<h1>Pay {amount}</h1><p>Status: <span id=status>{invoice['status']}</span></p>"
            f"<form method=post action=/i/{html.escape(invoice_id)}/pay>"
            "<button type=submit>Pay with the stand-in wallet</button></form></html>"
        )
        return self._answer(200, page.encode(), "text/html; charset=utf-8")

    def _pay(self, invoice_id: str):
        invoice = self.state.invoices.get(invoice_id)
        if invoice is None:
            return self._answer(404, b"no such invoice", "text/plain")
        if invoice["status"] == "New":
            self.state.settle(invoice_id)
        back = invoice["checkout"].get("redirectURL") or f"/i/{invoice_id}"
        return self._answer(303, b"", "text/plain", {"Location": back})


def serve(
    port: int = 0, host: str = "127.0.0.1", **options
) -> tuple[ThreadingHTTPServer, Greenfield]:
    """Start the stand-in in a thread; returns (server, its state). `server.shutdown()`."""
    server = ThreadingHTTPServer((host, port), Handler)
    server.daemon_threads = True
    server.greenfield = Greenfield(**options)
    server.greenfield.base = f"http://{host}:{server.server_address[1]}"
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    return server, server.greenfield


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8430)
    parser.add_argument("--webhook-url", default="")
    parser.add_argument("--api-key", default=API_KEY)
    parser.add_argument("--store", default=STORE)
    parser.add_argument("--secret", default=WEBHOOK_SECRET)
    options = parser.parse_args()
    server, _ = serve(
        options.port,
        webhook_url=options.webhook_url,
        api_key=options.api_key,
        store=options.store,
        secret=options.secret,
    )
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        server.shutdown()


if __name__ == "__main__":
    main()
