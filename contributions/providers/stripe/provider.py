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
import threading

import stripe
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from contributions.money import Money
from contributions.providers.base import (
    BasePaymentProvider,
    BrowserPart,
    ChargeResult,
    Event,
    Fact,
    InvalidSignature,
    InvalidWebhook,
    Mark,
    ProviderError,
    ReferenceMismatch,
    Session,
)
from contributions.providers.stripe.browser import js_url, stripe_csp
from contributions.providers.stripe.calls import calling_stripe, intent_reference, metadata
from contributions.providers.stripe.cards import CARD_BRANDS, MARKS
from contributions.providers.stripe.facts import (
    FACTS,
    _header,
    _id,
    _intent_facts,
    _refund_facts,
    _result,
    _when,
    minimal_event,
)

NETWORK_RETRIES = 2  # reads and setup; never for what moves money (see MOVES_MONEY)
# What moves money is sent once: a request left without an answer is settled by the
# charging service, which looks for what it made before asking again with the same key, so
# no charge is doubled even where idempotency keys are not honoured (localstripe).
MOVES_MONEY = {"max_network_retries": 0}
FEE_SCALE = 10_000  # READERFUND_FEE_PERCENT_BP is in basis points: 290 is 2.9 %
CHARGE_EXPAND = ["latest_charge.balance_transaction"]  # for the processing fee
MOVED_MONEY = ("succeeded", "processing", "requires_capture")


class StripeProvider(BasePaymentProvider):
    name = "stripe"
    verbose_name = _("Card")

    def marks(self) -> list[Mark]:
        return MARKS

    def __init__(self):
        self._clients: dict[tuple, tuple[stripe.StripeClient, stripe.HTTPClient]] = {}
        self._lock = threading.Lock()  # the registry shares one provider between threads

    def is_configured(self) -> bool:
        return bool(settings.STRIPE_SECRET_KEY)

    # Talking to Stripe ----------------------------------------------------------------------

    def client(self) -> stripe.StripeClient:
        """A client for the configured key and API base, kept so connections are reused."""
        key, base = settings.STRIPE_SECRET_KEY, settings.STRIPE_API_BASE
        timeout = settings.READERFUND_PROVIDER_TIMEOUT
        if not key:
            raise ProviderError("STRIPE_SECRET_KEY is not set", code="not_configured")
        with self._lock:
            if (key, base, timeout) not in self._clients:
                http = stripe.RequestsClient(timeout=timeout)
                client = stripe.StripeClient(
                    key,
                    base_addresses={"api": base} if base else None,
                    http_client=http,
                    max_network_retries=NETWORK_RETRIES,
                )
                self._clients[(key, base, timeout)] = (client, http)
            return self._clients[(key, base, timeout)][0]

    def close(self) -> None:
        """Close the pooled connections (tests call this; a web process never needs to)."""
        with self._lock:
            for _, http in self._clients.values():
                http.close()
            self._clients.clear()

    # Collecting a card ----------------------------------------------------------------------

    def begin(self, contribution) -> Session:
        """Make a Customer for this contribution and a SetupIntent for the browser.

        Always the same two calls, for a new donor and a known one alike: a checkout's
        timing must not tell whether an address has given before. The Customer is the
        gift's own (it holds the card saved for it), never shared with another checkout
        under the same address."""
        with calling_stripe():
            customer = self._new_customer(contribution)
            intent = self._create_setup_intent(contribution, customer)
        return Session(
            action="save_card",
            client_secret=intent.client_secret,
            publishable_key=settings.STRIPE_PUBLISHABLE_KEY or None,
            reference=intent.id,
        )

    def begin_card_update(self, contribution) -> Session:
        """A SetupIntent on the gift's own Customer (made now for a gift that has none), so
        the new card sits beside the old one and renewals charge it from then on."""
        with calling_stripe():
            customer = self._customer_of(contribution) or self._new_customer(contribution)
            intent = self._create_setup_intent(contribution, customer)
        return Session(
            action="save_card",
            client_secret=intent.client_secret,
            publishable_key=settings.STRIPE_PUBLISHABLE_KEY or None,
            reference=intent.id,
        )

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

    def _new_customer(self, contribution) -> str:
        # No email, no name, no metadata: the Customer only holds this gift's saved card.
        customer = self.client().v1.customers.create(params={}).id
        contribution.remember_customer(customer)
        return customer

    def forget_customer(self, customer: str) -> None:
        """Delete the Customer and with it every card saved on it (erasure). A Customer
        that is gone already counts as deleted."""
        with calling_stripe():
            try:
                self.client().v1.customers.delete(customer)
            except stripe.InvalidRequestError as error:
                # Stripe says resource_missing; localstripe only answers 404.
                if error.code != "resource_missing" and error.http_status != 404:
                    raise

    def saved_payment_method(self, contribution, reference: str) -> str:
        with calling_stripe():
            try:
                intent = self.client().v1.setup_intents.retrieve(reference).to_dict()
            except stripe.InvalidRequestError as error:
                if error.http_status == 404:  # no such SetupIntent: not this contribution's
                    raise ReferenceMismatch("no such setup intent") from None
                raise
        if (intent.get("metadata") or {}).get("contribution") != str(contribution.pk):
            raise ReferenceMismatch("the card was saved for another contribution")
        if intent["status"] != "succeeded" or not intent.get("payment_method"):
            raise ProviderError(f"the card was not saved ({intent['status']})", intent["status"])
        return _id(intent["payment_method"])

    def card_of(self, contribution) -> tuple[str, str] | None:
        if not contribution.payment_method:
            return None
        try:
            with calling_stripe():
                method = self.client().v1.payment_methods.retrieve(contribution.payment_method)
        except ProviderError:
            return None  # a receipt without the card is better than no checkout
        card = method.to_dict().get("card") or {}
        if not card.get("last4"):
            return None
        brand = card.get("brand") or ""
        return CARD_BRANDS.get(brand, brand.title()), card["last4"]

    # Moving money -------------------------------------------------------------------------

    def charge(self, payment, *, off_session: bool, idempotency_key: str) -> ChargeResult:
        """Charge the saved card with a confirmed PaymentIntent. A declined card is a
        "failed" result, not an exception; ProviderError when Stripe cannot be asked."""
        contribution = payment.contribution
        customer = self._customer_of(contribution)
        if not customer or not contribution.payment_method:
            raise ProviderError("no saved card for this contribution", code="no_payment_method")
        params = {
            "amount": payment.amount,
            "currency": payment.currency.lower(),
            "customer": customer,
            "payment_method": contribution.payment_method,
            "payment_method_types": ["card"],
            "confirm": True,
            "metadata": metadata(payment, idempotency_key),
            "expand": CHARGE_EXPAND,
        }
        if off_session:
            params["off_session"] = True
        client = self.client()
        with calling_stripe():
            try:
                intent = client.v1.payment_intents.create(
                    params=params, options={"idempotency_key": idempotency_key, **MOVES_MONEY}
                )
            except stripe.CardError as error:
                return self._declined(error)
        return _result(intent.to_dict())

    def _declined(self, error: stripe.CardError) -> ChargeResult:
        details = error.error
        intent = getattr(details, "payment_intent", None)
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

    def _customer_of(self, contribution) -> str | None:
        """The gift's own Customer; for gifts made before each had one, the donor's."""
        own = getattr(contribution, "provider_customer", "")
        return own or (contribution.contributor.provider_customers or {}).get(self.name)

    def find_charge(self, payment) -> ChargeResult | None:
        """The PaymentIntent made for `payment`: one that moved money if there is any, else
        the one of the current attempt. None when this attempt never reached Stripe."""
        with calling_stripe():
            intents = self._intents_for(payment)
        mine = [i for i in intents if (i["metadata"] or {}).get("payment") == str(payment.pk)]
        moved = [i for i in mine if i["status"] in MOVED_MONEY]
        key = payment.idempotency_key()
        current = [i for i in mine if i["metadata"].get("idempotency_key") == key]
        found = (moved or current or [None])[0]
        return _result(found) if found else None

    def _intents_for(self, payment) -> list[dict]:
        client = self.client()
        if intent_reference(payment):
            return [client.v1.payment_intents.retrieve(intent_reference(payment)).to_dict()]
        customer = self._customer_of(payment.contribution)
        if not customer:
            return []
        try:
            pages = client.v1.payment_intents.list(params={"customer": customer, "limit": 100})
            return [intent.to_dict() for intent in pages.auto_paging_iter()]
        except stripe.InvalidRequestError as error:
            if error.code == "resource_missing":  # no such customer: nothing was charged
                return []
            raise

    def refund(
        self, payment, amount: Money | None = None, *, idempotency_key: str | None = None
    ) -> str:
        if amount is not None and amount.currency != payment.currency.upper():
            raise ProviderError("a refund is in the currency of the charge", code="currency")
        reference = intent_reference(payment) or self._charged_intent(payment)
        params = {"payment_intent": reference, "metadata": metadata(payment, idempotency_key)}
        if amount is not None:
            params["amount"] = amount.amount
        options = {"idempotency_key": idempotency_key} if idempotency_key else {}
        options.update(MOVES_MONEY)
        with calling_stripe():
            return self.client().v1.refunds.create(params=params, options=options).id

    def find_refund(self, payment, idempotency_key: str) -> str | None:
        reference = intent_reference(payment) or self._charged_intent(payment)
        with calling_stripe():
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
            raise InvalidSignature("STRIPE_WEBHOOK_SECRET is not set")
        try:
            # The signature on the raw body, then one parse (construct_event would also build
            # a StripeObject tree that nothing here reads).
            stripe.WebhookSignature.verify_header(
                body, signature, secret, tolerance=stripe.Webhook.DEFAULT_TOLERANCE
            )
        except stripe.SignatureVerificationError as error:
            raise InvalidSignature(str(error)) from None
        except UnicodeDecodeError:  # the SDK decodes the body first: no event of Stripe's
            raise InvalidSignature("the body is not UTF-8") from None
        try:
            payload = json.loads(body)
        except ValueError as error:
            raise InvalidWebhook(str(error)) from None
        if not isinstance(payload, dict) or not payload.get("id") or not payload.get("type"):
            raise InvalidWebhook("not a Stripe event")
        return Event(id=payload["id"], type=payload["type"], payload=payload)

    def minimise(self, event: Event) -> Event | None:
        payload = minimal_event(event.payload)
        return None if payload is None else Event(id=event.id, type=event.type, payload=payload)

    def facts_from_payload(self, payload: dict) -> list[Fact]:
        handler = FACTS.get(payload.get("type", ""))
        obj = (payload.get("data") or {}).get("object")
        if handler is None or not isinstance(obj, dict):
            return []
        return handler(obj, _when(payload.get("created") or obj.get("created")))

    def fetch_client_secret(self, reference: str) -> str:
        with calling_stripe():
            return self.client().v1.payment_intents.retrieve(reference).client_secret

    def fetch(self, reference: str) -> list[Fact]:
        client = self.client()
        with calling_stripe():
            if reference.startswith("pi_"):
                intent = client.v1.payment_intents.retrieve(
                    reference, params={"expand": CHARGE_EXPAND}
                )
                return _intent_facts(intent.to_dict())
            if reference.startswith("re_"):
                return _refund_facts(client.v1.refunds.retrieve(reference).to_dict())
        return []

    def browser_part(self) -> BrowserPart | None:
        """Stripe.js, which saves the card and runs 3-D Secure in the reader's browser."""
        key = settings.STRIPE_PUBLISHABLE_KEY or ""
        if not (self.is_configured() and key):
            return None
        # The postal code is personal data the newsroom rarely needs: asked for only when
        # READERFUND_CARD_POSTAL_CODE turns it on (some banks decline more without it).
        options = {"hidePostalCode": not settings.CARD_POSTAL_CODE}
        return BrowserPart(script=js_url(), csp=stripe_csp(), key=key, card_options=options)

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
