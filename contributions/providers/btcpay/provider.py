"""BTCPay Server's Greenfield API, over httpx.

A gift's period is charged by creating an invoice in the newsroom's currency (`charge`):
its answer is "requires_action", and the thank-you page links to the invoice's checkout
page on BTCPay (`payment_page`), where the reader pays; BTCPay sends them back to it.
For a renewal, the same answer makes Readerfund email the donor a link to pay (the
authentication request's email and page), and an invoice that expires unpaid is retried
after 1, 3 and 7 days like a declined card, then lapses.

What BTCPay reports comes by webhook (`POST /webhooks/btcpay`), signed with `BTCPay-Sig:
sha256=<HMAC-SHA256 of the raw body with the webhook's secret>`, compared in constant time.
Events are applied from their stored payload, order-free (never re-fetched):

    InvoiceSettled            a charge of the invoice's payment (once per invoice, however
                              often delivered); also when staff mark a partly or late paid
                              invoice settled in BTCPay (manuallyMarked)
    InvoiceExpired            the payment failed: "expired", or "partially_paid" when some
                              crypto arrived (it stays in the newsroom's wallet; staff settle
                              or refund it in BTCPay, and a settlement is then reported)
    InvoiceInvalid            the payment failed: "invalid" (paid, but never confirmed)
    everything else           ignored, not stored (InvoiceReceivedPayment, InvoiceProcessing:
                              the money is not settled yet; a payment after expiry is
                              "PaidLate" in BTCPay and counts only once staff settle it)

A settled invoice is recorded for the invoice's amount: an overpayment stays in the wallet,
as BTCPay reports it (overPaid), and is not counted. The event's id is the original
delivery's id, so redeliveries are the same event; the ledger's key is the invoice's id.
"""

import hashlib
import hmac
import json
import logging
import threading
from datetime import UTC, datetime
from decimal import Decimal

import httpx
from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from contributions.money import Money, exponent
from contributions.providers.base import (
    BasePaymentProvider,
    ChargeResult,
    Event,
    Fact,
    InvalidSignature,
    InvalidWebhook,
    Mark,
    OutcomeUnknown,
    ProviderError,
    Session,
)

log = logging.getLogger(__name__)

SIGNATURE_HEADER = "BTCPay-Sig"
KEPT_TYPES = {
    "InvoiceSettled": "charge",
    "InvoiceExpired": "charge_failed",
    "InvoiceInvalid": "charge_failed",
}
# An invoice's status → what a charge's answer says.
STATUSES = {
    "New": "requires_action",
    "Processing": "processing",
    "Settled": "succeeded",
    "Expired": "failed",
    "Invalid": "failed",
}
MARK = Mark(
    label="Bitcoin",
    svg='<svg class="mark" viewBox="0 0 56 32" width="56" height="32" role="img" '
    'aria-label="Bitcoin"><rect x="0.5" y="0.5" width="55" height="31" rx="4" fill="#fff" '
    'stroke="#d0cdc5"/><circle cx="16" cy="16" r="10" fill="#f7931a"/><text x="16" y="20.5" '
    'text-anchor="middle" font-family="Arial, Helvetica, sans-serif" font-size="13" '
    'font-weight="700" fill="#fff">₿</text><text x="38" y="20" text-anchor="middle" '
    'font-family="Arial, Helvetica, sans-serif" font-size="9" font-weight="700" '
    'fill="#4d4d4d">BTC</text></svg>',
)


class BTCPayProvider(BasePaymentProvider):
    name = "btcpay"
    pays_elsewhere = True
    verbose_name = _("Crypto (Bitcoin)")
    email_optional = True

    def __init__(self):
        self._clients: dict[tuple, httpx.Client] = {}
        self._lock = threading.Lock()  # the registry shares one provider between threads

    def is_configured(self) -> bool:
        return bool(settings.BTCPAY_URL and settings.BTCPAY_API_KEY and settings.BTCPAY_STORE_ID)

    def accepts(self, currency: str) -> bool:
        return not settings.BTCPAY_CURRENCIES or currency.upper() in settings.BTCPAY_CURRENCIES

    def marks(self) -> list[Mark]:
        return [MARK]

    # Talking to BTCPay ------------------------------------------------------------------------

    def client(self) -> httpx.Client:
        """A client for the configured server and key, kept so connections are reused."""
        base, key = settings.BTCPAY_URL, settings.BTCPAY_API_KEY
        timeout = settings.READERFUND_PROVIDER_TIMEOUT
        if not self.is_configured():
            raise ProviderError(
                "BTCPAY_URL, BTCPAY_API_KEY or BTCPAY_STORE_ID is not set", code="not_configured"
            )
        with self._lock:
            if (base, key, timeout) not in self._clients:
                self._clients[(base, key, timeout)] = httpx.Client(
                    base_url=f"{base}/api/v1/stores/{settings.BTCPAY_STORE_ID}",
                    headers={"Authorization": f"token {key}"},
                    timeout=timeout,
                )
            return self._clients[(base, key, timeout)]

    def _request(self, method: str, path: str, *, moves_money: bool = False, **kwargs):
        try:
            response = self.client().request(method, path, **kwargs)
        except httpx.TimeoutException as error:
            if moves_money:
                raise OutcomeUnknown(f"BTCPay did not answer: {type(error).__name__}") from None
            raise ProviderError("BTCPay did not answer", code="no_answer") from None
        except httpx.HTTPError as error:
            # Not even connected: nothing was created. Once sent, the answer may be lost.
            if moves_money and not isinstance(error, httpx.ConnectError):
                raise OutcomeUnknown(f"BTCPay: {type(error).__name__}") from None
            raise ProviderError(f"BTCPay: {type(error).__name__}", code="unreachable") from None
        if response.status_code >= 500 and moves_money:
            raise OutcomeUnknown(f"BTCPay answered {response.status_code}")
        if response.status_code >= 400:
            raise ProviderError(
                f"BTCPay answered {response.status_code}", code=f"http_{response.status_code}"
            )
        return response.json()

    # The contract -----------------------------------------------------------------------------

    def begin(self, contribution) -> Session:
        """Nothing to save: the invoice is made when the period is charged."""
        return Session(
            action="pay_elsewhere", client_secret=None, publishable_key=None, reference=""
        )

    def saved_payment_method(self, contribution, reference: str) -> str:
        return ""  # each period is paid on its own invoice

    def charge(self, payment, *, off_session: bool, idempotency_key: str) -> ChargeResult:
        """Create the period's invoice. BTCPay honours no idempotency key: the key is the
        invoice's orderId, and `find_charge` looks for it before a second try."""
        contribution = payment.contribution
        thanks = reverse("contributions:thanks", args=[contribution.pk])
        body = {
            "amount": str(payment.money.major),
            "currency": payment.currency,
            # Our opaque ids only: BTCPay never learns who gives.
            "metadata": {
                "orderId": idempotency_key,
                "readerfundPayment": str(payment.pk),
                "readerfundContribution": str(contribution.pk),
            },
            "checkout": {
                "redirectURL": f"{settings.SITE_URL}{thanks}",
                "redirectAutomatically": True,
                "expirationMinutes": settings.BTCPAY_INVOICE_MINUTES,
            },
        }
        return self._result(self._request("POST", "/invoices", json=body, moves_money=True))

    def find_charge(self, payment) -> ChargeResult | None:
        params = {"orderId": payment.idempotency_key()}
        invoices = self._request("GET", "/invoices", params=params)
        return self._result(invoices[0]) if invoices else None

    def payment_page(self, payment) -> str | None:
        """BTCPay's checkout page of the payment's invoice (its `checkoutLink`)."""
        reference = payment.provider_reference
        return f"{settings.BTCPAY_URL}/i/{reference}" if reference else None

    def _result(self, invoice: dict) -> ChargeResult:
        status = STATUSES.get(invoice.get("status"), "processing")
        return ChargeResult(
            status=status,
            reference=invoice["id"],
            amount=to_money(invoice["amount"], invoice["currency"]),
            failure_code=_failure_code(invoice) if status == "failed" else None,
            occurred_at=_when(invoice.get("createdTime")),
        )

    def fetch(self, reference: str) -> list[Fact]:
        invoice = self._request("GET", f"/invoices/{reference}")
        kind = {"succeeded": "charge", "failed": "charge_failed"}.get(
            STATUSES.get(invoice.get("status"), "")
        )
        if kind is None:
            return []
        metadata = invoice.get("metadata") or {}
        return [
            Fact(
                kind=kind,
                reference=invoice["id"],
                contribution=metadata.get("readerfundContribution"),
                payment=metadata.get("readerfundPayment"),
                failure_code=_failure_code(invoice) if kind != "charge" else None,
                occurred_at=_when(invoice.get("createdTime")),
            )
        ]

    # Webhooks ---------------------------------------------------------------------------------

    def parse_webhook(self, body: bytes, headers: dict) -> Event:
        secret = settings.BTCPAY_WEBHOOK_SECRET
        if not secret:
            raise InvalidSignature("BTCPAY_WEBHOOK_SECRET is not set")
        if not hmac.compare_digest(headers.get(SIGNATURE_HEADER, ""), sign(body, secret)):
            raise InvalidSignature("bad signature")
        try:
            payload = json.loads(body)
            delivery = payload.get("originalDeliveryId") or payload["deliveryId"]
            kind, invoice = payload["type"], payload["invoiceId"]
        except (ValueError, KeyError, TypeError, AttributeError):
            raise InvalidWebhook("not a BTCPay webhook") from None
        if not all(isinstance(v, str) and v for v in (delivery, kind, invoice)):
            raise InvalidWebhook("not a BTCPay webhook")
        return Event(id=delivery, type=kind, payload=payload)

    def minimise(self, event: Event) -> Event | None:
        if event.type not in KEPT_TYPES:
            return None
        payload, metadata = event.payload, event.payload.get("metadata") or {}
        kept = {
            "type": event.type,
            "invoiceId": payload["invoiceId"],
            "timestamp": payload.get("timestamp"),
            "partiallyPaid": bool(payload.get("partiallyPaid")),
            "manuallyMarked": bool(payload.get("manuallyMarked")),
            "overPaid": bool(payload.get("overPaid")),
            "metadata": {
                key: str(metadata[key])
                for key in ("readerfundPayment", "readerfundContribution")
                if key in metadata
            },
        }
        return Event(id=event.id, type=event.type, payload=kept)

    def facts_from_payload(self, payload: dict) -> list[Fact]:
        kind = KEPT_TYPES.get(payload.get("type"))
        if kind is None:
            return []
        metadata = payload.get("metadata") or {}
        failure = None
        if kind == "charge_failed":
            failure = (
                "partially_paid"
                if payload.get("partiallyPaid")
                else ("expired" if payload["type"] == "InvoiceExpired" else "invalid")
            )
        return [
            Fact(
                kind=kind,
                reference=payload["invoiceId"],
                contribution=metadata.get("readerfundContribution"),
                payment=metadata.get("readerfundPayment"),
                failure_code=failure,
                occurred_at=_when(payload.get("timestamp")),
                details={"over_paid": True} if payload.get("overPaid") else {},
            )
        ]


def sign(body: bytes, secret: str) -> str:
    """The `BTCPay-Sig` header BTCPay sends with `body`."""
    digest = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def to_money(amount: str, currency: str) -> Money:
    """A Greenfield amount ("15.00", a decimal string) in minor units, exactly."""
    try:
        value = Decimal(str(amount)).scaleb(exponent(currency))
    except ArithmeticError:
        raise ProviderError(f"BTCPay amount {amount!r} is not a number", code="amount") from None
    if not value.is_finite() or value != value.to_integral_value():
        raise ProviderError(f"BTCPay amount {amount!r} is not whole minor units", code="amount")
    return Money(int(value), currency.upper())


def _failure_code(invoice: dict) -> str:
    if invoice.get("additionalStatus") == "PaidPartial":
        return "partially_paid"
    return "expired" if invoice.get("status") == "Expired" else "invalid"


def _when(timestamp) -> datetime | None:
    if isinstance(timestamp, int | float):
        return datetime.fromtimestamp(timestamp, tz=UTC)
    return None
