"""Cards through Stripe, with the official SDK.

The flow works the same with real Stripe and with localstripe (the emulator the tests and the
demo use): `begin` makes a Customer that holds nothing personal and a SetupIntent; the
browser saves the card with Stripe.js `confirmCardSetup`; the server charges the saved card
with a confirmed PaymentIntent, and when that answers `requires_action` the browser calls
`confirmCardPayment(client_secret)`. Stripe only ever sees amounts, currencies and opaque
ids: no email, no name.

STRIPE_API_BASE points the SDK at another server (the emulator); each call builds on a
`stripe.StripeClient` made from the current settings, so nothing global is configured.
"""

import json
import logging
import threading
from contextlib import contextmanager
from datetime import UTC, datetime

import stripe
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from contributions.money import Money
from contributions.providers.base import (
    BasePaymentProvider,
    ChargeResult,
    Event,
    Fact,
    InvalidWebhook,
    ProviderError,
    Session,
)

log = logging.getLogger(__name__)

TIMEOUT_SECONDS = 20  # a reader is waiting on the checkout page
NETWORK_RETRIES = 2  # the SDK retries POSTs with an idempotency key, so retrying is safe
FEE_SCALE = 10_000  # READERFUND_FEE_PERCENT_BP is in basis points: 290 is 2.9 %
CHARGE_EXPAND = ["latest_charge.balance_transaction"]  # for the processing fee

# PaymentIntent.status → ChargeResult.status
INTENT_STATUS = {
    "succeeded": "succeeded",
    "requires_action": "requires_action",
    "processing": "processing",
    "requires_capture": "processing",
    "requires_confirmation": "processing",
    "requires_payment_method": "failed",  # declined, or authentication failed
    "canceled": "failed",
}
MOVED_MONEY = ("succeeded", "processing", "requires_capture")


class StripeProvider(BasePaymentProvider):
    name = "stripe"
    verbose_name = _("Card")

    def __init__(self):
        self._clients: dict[tuple[str, str], tuple[stripe.StripeClient, stripe.HTTPClient]] = {}
        self._lock = threading.Lock()  # the registry shares one provider between threads

    def is_configured(self) -> bool:
        return bool(settings.STRIPE_SECRET_KEY)

    # Talking to Stripe ----------------------------------------------------------------------

    def client(self) -> stripe.StripeClient:
        """A client for the configured key and API base, kept so connections are reused."""
        key, base = settings.STRIPE_SECRET_KEY, settings.STRIPE_API_BASE
        if not key:
            raise ProviderError("STRIPE_SECRET_KEY is not set", code="not_configured")
        with self._lock:
            if (key, base) not in self._clients:
                http = stripe.RequestsClient(timeout=TIMEOUT_SECONDS)
                client = stripe.StripeClient(
                    key,
                    base_addresses={"api": base} if base else None,
                    http_client=http,
                    max_network_retries=NETWORK_RETRIES,
                )
                self._clients[(key, base)] = (client, http)
            return self._clients[(key, base)][0]

    def close(self) -> None:
        """Close the pooled connections (tests call this; a web process never needs to)."""
        with self._lock:
            for _, http in self._clients.values():
                http.close()
            self._clients.clear()

    # Collecting a card ----------------------------------------------------------------------

    def begin(self, contribution) -> Session:
        """Make (or reuse) the contributor's Customer and a SetupIntent for the browser."""
        with _calling_stripe():
            intent = self._setup_intent(contribution)
        return Session(
            action="save_card",
            client_secret=intent.client_secret,
            publishable_key=settings.STRIPE_PUBLISHABLE_KEY or None,
            reference=intent.id,
        )

    def _setup_intent(self, contribution):
        contributor = contribution.contributor
        known = (contributor.provider_customers or {}).get(self.name)
        customer = known or self._new_customer(contributor)
        try:
            return self._create_setup_intent(contribution, customer)
        except stripe.InvalidRequestError as error:
            if not (known and error.code == "resource_missing" and error.param == "customer"):
                raise
            # The account changed (test keys to live keys, a reset emulator): start afresh.
            return self._create_setup_intent(contribution, self._new_customer(contributor, known))

    def _create_setup_intent(self, contribution, customer: str):
        usage = "off_session" if contribution.is_recurring else "on_session"
        return self.client().v1.setup_intents.create(
            params={
                "customer": customer,
                "usage": usage,
                "payment_method_types": ["card"],
                "metadata": {"contribution": str(contribution.pk)},
            }
        )

    def _new_customer(self, contributor, replacing: str | None = None) -> str:
        # No email, no name, no metadata: the Customer only groups a donor's saved cards.
        created = self.client().v1.customers.create(params={}).id
        customer = _remember_customer(contributor, self.name, created, replacing)
        if customer != created:  # another checkout by the same donor saved theirs first
            self.client().v1.customers.delete(created)
        return customer

    def saved_payment_method(self, contribution, reference: str) -> str:
        with _calling_stripe():
            intent = self.client().v1.setup_intents.retrieve(reference).to_dict()
        if (intent.get("metadata") or {}).get("contribution") != str(contribution.pk):
            raise ProviderError("the card was saved for another contribution", code="mismatch")
        if intent["status"] != "succeeded" or not intent.get("payment_method"):
            raise ProviderError(f"the card was not saved ({intent['status']})", intent["status"])
        return _id(intent["payment_method"])

    # Moving money -------------------------------------------------------------------------

    def charge(self, payment, *, off_session: bool, idempotency_key: str) -> ChargeResult:
        """Charge the saved card with a confirmed PaymentIntent. A declined card is a
        "failed" result, not an exception; ProviderError when Stripe cannot be asked."""
        contribution = payment.contribution
        customer = (contribution.contributor.provider_customers or {}).get(self.name)
        if not customer or not contribution.payment_method:
            raise ProviderError("no saved card for this contribution", code="no_payment_method")
        params = {
            "amount": payment.amount,
            "currency": payment.currency.lower(),
            "customer": customer,
            "payment_method": contribution.payment_method,
            "payment_method_types": ["card"],
            "confirm": True,
            "metadata": _metadata(payment, idempotency_key),
            "expand": CHARGE_EXPAND,
        }
        if off_session:
            params["off_session"] = True
        client = self.client()
        with _calling_stripe():
            try:
                intent = client.v1.payment_intents.create(
                    params=params, options={"idempotency_key": idempotency_key}
                )
            except stripe.CardError as error:
                return self._declined(client, error)
        return _result(intent.to_dict())

    def _declined(self, client, error: stripe.CardError) -> ChargeResult:
        details = error.error
        intent = getattr(details, "payment_intent", None)
        if intent is None and getattr(details, "charge", None):
            # localstripe names only the failed charge; Stripe sends the PaymentIntent too.
            intent = client.v1.payment_intents.retrieve(
                client.v1.charges.retrieve(details.charge).payment_intent
            )
        code = getattr(details, "decline_code", None) or error.code or "card_declined"
        if intent is not None and code == "authentication_required":
            # An off-session charge the bank wants the donor to approve: they can, on the
            # page we email them, with this PaymentIntent's client secret.
            return ChargeResult(
                status="requires_action",
                reference=intent.id,
                client_secret=intent.client_secret,
                failure_code=code,
            )
        return ChargeResult(
            status="failed", reference=intent.id if intent else None, failure_code=code
        )

    def find_charge(self, payment) -> ChargeResult | None:
        """The PaymentIntent made for `payment`: one that moved money if there is any, else
        the one of the current attempt. None when this attempt never reached Stripe."""
        with _calling_stripe():
            intents = self._intents_for(payment)
        mine = [i for i in intents if (i["metadata"] or {}).get("payment") == str(payment.pk)]
        moved = [i for i in mine if i["status"] in MOVED_MONEY]
        key = payment.idempotency_key()
        current = [i for i in mine if i["metadata"].get("idempotency_key") == key]
        found = (moved or current or [None])[0]
        return _result(found) if found else None

    def _intents_for(self, payment) -> list[dict]:
        client = self.client()
        if _intent_reference(payment):
            return [client.v1.payment_intents.retrieve(_intent_reference(payment)).to_dict()]
        customer = (payment.contribution.contributor.provider_customers or {}).get(self.name)
        if not customer:
            return []
        try:
            pages = client.v1.payment_intents.list(params={"customer": customer, "limit": 100})
            intents = pages.auto_paging_iter()
        except stripe.InvalidRequestError as error:
            if error.code == "resource_missing":  # no such customer: nothing was charged
                return []
            # localstripe cannot filter PaymentIntents by customer (Stripe can): filter here.
            intents = client.v1.payment_intents.list(params={"limit": 100}).auto_paging_iter()
        return [i.to_dict() for i in intents if i.customer == customer]

    def refund(
        self, payment, amount: Money | None = None, *, idempotency_key: str | None = None
    ) -> str:
        if amount is not None and amount.currency != payment.currency.upper():
            raise ProviderError("a refund is in the currency of the charge", code="currency")
        reference = _intent_reference(payment) or self._charged_intent(payment)
        params = {"payment_intent": reference, "metadata": _metadata(payment, idempotency_key)}
        if amount is not None:
            params["amount"] = amount.amount
        options = {"idempotency_key": idempotency_key} if idempotency_key else {}
        with _calling_stripe():
            return self.client().v1.refunds.create(params=params, options=options).id

    def find_refund(self, payment, idempotency_key: str) -> str | None:
        reference = _intent_reference(payment) or self._charged_intent(payment)
        with _calling_stripe():
            listed = self.client().v1.refunds.list(
                params={"payment_intent": reference, "limit": 100}
            )
        for refund in listed.data:
            if refund.to_dict().get("metadata", {}).get("idempotency_key") == idempotency_key:
                return refund.id
        return None

    def _charged_intent(self, payment) -> str:
        found = self.find_charge(payment)
        if found is None or found.status != "succeeded":
            raise ProviderError("this payment was not charged", code="not_charged")
        return found.reference

    # What Stripe tells us -------------------------------------------------------------------

    def parse_webhook(self, body: bytes, headers: dict) -> Event:
        signature = _header(headers, "Stripe-Signature")
        secret = settings.STRIPE_WEBHOOK_SECRET
        if not secret:
            raise InvalidWebhook("STRIPE_WEBHOOK_SECRET is not set")
        try:
            # The signature on the raw body, then one parse (construct_event would also build
            # a StripeObject tree that nothing here reads).
            stripe.WebhookSignature.verify_header(
                body, signature, secret, tolerance=stripe.Webhook.DEFAULT_TOLERANCE
            )
            payload = json.loads(body)
        except (ValueError, stripe.SignatureVerificationError) as error:
            raise InvalidWebhook(str(error)) from None
        if not isinstance(payload, dict) or not payload.get("id") or not payload.get("type"):
            raise InvalidWebhook("not a Stripe event")
        return Event(id=payload["id"], type=payload["type"], payload=payload)

    def facts_from_payload(self, payload: dict) -> list[Fact]:
        handler = FACTS.get(payload.get("type", ""))
        obj = (payload.get("data") or {}).get("object")
        if handler is None or not isinstance(obj, dict):
            return []
        return handler(obj, _when(payload.get("created") or obj.get("created")))

    def fetch_client_secret(self, reference: str) -> str:
        with _calling_stripe():
            return self.client().v1.payment_intents.retrieve(reference).client_secret

    def fetch(self, reference: str) -> list[Fact]:
        client = self.client()
        with _calling_stripe():
            if reference.startswith("pi_"):
                intent = client.v1.payment_intents.retrieve(
                    reference, params={"expand": CHARGE_EXPAND}
                )
                return _intent_facts(intent.to_dict())
            if reference.startswith("re_"):
                return _refund_facts(client.v1.refunds.retrieve(reference).to_dict())
        return []

    def fee_estimate(self, amount: Money) -> Money:
        """The fee to add so the newsroom receives `amount` after Stripe keeps its share:
        total = ceil((amount + fixed) / (1 - percent)), in integers only."""
        percent, fixed = settings.READERFUND_FEE_PERCENT_BP, settings.READERFUND_FEE_FIXED
        if amount.amount <= 0:
            return Money(0, amount.currency)
        if not 0 <= percent < FEE_SCALE:
            raise ProviderError("READERFUND_FEE_PERCENT_BP must be below 10000", code="config")
        total = -(-(amount.amount + fixed) * FEE_SCALE // (FEE_SCALE - percent))
        return Money(total - amount.amount, amount.currency)


# Helpers ------------------------------------------------------------------------------------


@contextmanager
def _calling_stripe():
    """Stripe's errors, as ProviderError with Stripe's short code (never personal data)."""
    try:
        yield
    except stripe.StripeError as error:
        code = error.code or type(error).__name__
        log.warning("stripe: %s (%s)", code, error.http_status)
        raise ProviderError(f"Stripe: {error.user_message or code}", code=code) from error


def _remember_customer(contributor, provider: str, customer: str, replacing: str | None) -> str:
    """Save the new Customer id on the contributor, unless another request saved one first
    (then theirs is kept). Stand-ins that are not models only get the attribute set."""
    saved = {**(contributor.provider_customers or {}), provider: customer}
    if isinstance(contributor, models.Model):
        rows = type(contributor)._default_manager.filter(pk=contributor.pk)
        if replacing:
            rows = rows.filter(**{f"provider_customers__{provider}": replacing})
        else:
            rows = rows.exclude(provider_customers__has_key=provider)
        if rows.update(provider_customers=saved) != 1:
            contributor.refresh_from_db(fields=["provider_customers"])
            return contributor.provider_customers[provider]
    contributor.provider_customers = saved
    return customer


def _metadata(payment, idempotency_key: str | None = None) -> dict:
    # Opaque ids only: Stripe's dashboard must not become a list of our donors.
    data = {
        "contribution": str(payment.contribution.pk),
        "payment": str(payment.pk),
        "period": str(payment.period),
    }
    if idempotency_key:
        data["idempotency_key"] = idempotency_key  # which attempt or refund made this object
    return data


def _result(intent: dict) -> ChargeResult:
    status = INTENT_STATUS.get(intent["status"], "processing")
    charge = intent.get("latest_charge")
    return ChargeResult(
        status=status,
        reference=intent["id"],
        amount=_amount(intent),
        fee=_fee(intent),
        client_secret=intent.get("client_secret") if status == "requires_action" else None,
        failure_code=_failure_code(intent.get("last_payment_error"))
        if status == "failed"
        else None,
        occurred_at=_when((charge if isinstance(charge, dict) else intent).get("created")),
    )


def _intent_reference(payment) -> str | None:
    """The PaymentIntent already known for `payment` (Payment.provider_reference), if any."""
    reference = getattr(payment, "provider_reference", "") or ""
    return reference if reference.startswith("pi_") else None


def _id(value) -> str:
    return value if isinstance(value, str) else value["id"]


def _header(headers: dict, name: str) -> str | None:
    wanted = {name.lower(), "http_" + name.lower().replace("-", "_")}  # request.META style
    return next((v for k, v in headers.items() if k.lower() in wanted), None)


def _when(timestamp) -> datetime | None:
    return datetime.fromtimestamp(int(timestamp), tz=UTC) if timestamp else None


def _money(amount, currency: str) -> Money:
    return Money(int(amount), currency.upper())


def _amount(intent: dict) -> Money:
    return _money(intent.get("amount_received") or intent["amount"], intent["currency"])


def _failure_code(error) -> str:
    if not error:
        return "failed"
    return error.get("decline_code") or error.get("code") or "failed"


def _fee(intent: dict) -> Money | None:
    """Stripe's fee, when the charge's balance transaction was expanded and is in the
    charge's own currency (a fee settled in another currency cannot go in this ledger)."""
    charge = intent.get("latest_charge")
    transaction = charge.get("balance_transaction") if isinstance(charge, dict) else None
    if not isinstance(transaction, dict) or transaction.get("fee") is None:
        return None
    if transaction.get("currency", "").upper() != intent["currency"].upper():
        return None
    return _money(transaction["fee"], intent["currency"])


def _ours(obj: dict) -> dict:
    metadata = obj.get("metadata") or {}
    return {"contribution": metadata.get("contribution"), "payment": metadata.get("payment")}


def _intent_facts(intent: dict, when: datetime | None = None) -> list[Fact]:
    """What a PaymentIntent's state says, whichever event (or fetch) brought it."""
    kind = {
        "succeeded": "charge",
        "requires_action": "requires_action",
        "requires_payment_method": "charge_failed",
    }.get(intent.get("status"))
    if kind == "charge_failed" and not intent.get("last_payment_error"):
        return []  # not tried yet: nothing happened
    return _intent_fact(kind, intent, when) if kind else []


def _intent_fact(kind: str, intent: dict, when: datetime | None) -> list[Fact]:
    fee = _fee(intent) if kind == "charge" else None
    return [
        Fact(
            kind=kind,
            reference=intent["id"],
            **_ours(intent),
            amount=_amount(intent),
            occurred_at=when or _when(intent.get("created")),
            failure_code=(
                _failure_code(intent.get("last_payment_error")) if kind == "charge_failed" else None
            ),
            payment_method=intent.get("payment_method")
            if isinstance(intent.get("payment_method"), str)
            else None,
            details={"fee": fee.amount} if fee else {},
        )
    ]


def _succeeded(intent: dict, when) -> list[Fact]:
    return _intent_fact("charge", intent, when)


def _payment_failed(intent: dict, when) -> list[Fact]:
    return _intent_fact("charge_failed", intent, when)


def _requires_action(intent: dict, when) -> list[Fact]:
    return _intent_fact("requires_action", intent, when)


def _card_saved(intent: dict, when) -> list[Fact]:
    method = intent.get("payment_method")
    return [
        Fact(
            kind="card_saved",
            reference=intent["id"],
            contribution=(intent.get("metadata") or {}).get("contribution"),
            payment_method=_id(method) if method else None,
            occurred_at=when,
        )
    ]


def _charge_refunded(charge: dict, when) -> list[Fact]:
    """The charge itself (repairing a missed payment_intent.succeeded) and its refunds, when
    the payload lists them (API versions from 2022-11-15 leave them out: refund.* events,
    or `fetch`, report those)."""
    intent = charge.get("payment_intent") or charge["id"]
    facts = [
        Fact(
            kind="charge",
            reference=_id(intent),
            **_ours(charge),
            amount=_money(charge["amount"], charge["currency"]),
            occurred_at=_when(charge.get("created")),
        )
    ]
    for refund in (charge.get("refunds") or {}).get("data") or []:
        facts += _refund_facts({"payment_intent": intent, **refund}, charge)
    return facts


def _refund_facts(refund: dict, charge: dict | None = None) -> list[Fact]:
    if refund.get("status") not in ("succeeded", None):
        return []  # pending, failed or canceled: no money has gone back yet
    metadata = refund.get("metadata") or (charge or {}).get("metadata") or {}
    intent = refund.get("payment_intent") or (charge or {}).get("payment_intent")
    return [
        Fact(
            kind="refund",
            reference=refund["id"],
            contribution=metadata.get("contribution"),
            payment=metadata.get("payment"),
            charge_reference=_id(intent) if intent else refund.get("charge"),
            amount=_money(refund["amount"], refund["currency"]),
            occurred_at=_when(refund.get("created")),
        )
    ]


def _refund(refund: dict, when) -> list[Fact]:
    return _refund_facts(refund)


def _dispute(dispute: dict, when) -> list[Fact]:
    intent = dispute.get("payment_intent")
    return [
        Fact(
            kind="dispute",
            reference=dispute["id"],
            contribution=(dispute.get("metadata") or {}).get("contribution"),
            charge_reference=_id(intent or dispute.get("charge") or ""),
            amount=_money(dispute["amount"], dispute["currency"]),
            occurred_at=_when(dispute.get("created")) or when,
            details={"reason": dispute.get("reason") or ""},
        )
    ]


# Stripe event type → the facts it reports (djangoproject.com's WebhookHandler table).
FACTS = {
    "payment_intent.succeeded": _succeeded,
    "payment_intent.payment_failed": _payment_failed,
    "payment_intent.requires_action": _requires_action,
    "setup_intent.succeeded": _card_saved,
    "charge.refunded": _charge_refunded,
    "refund.created": _refund,
    "refund.updated": _refund,
    "charge.refund.updated": _refund,
    "charge.dispute.created": _dispute,
}
