"""The contract every payment provider implements.

Checkout, the ledger, receipts and appeals talk to providers only through this class, so a
new provider (PayPal, crypto, …) is one module and one line in `PROVIDERS`.

What crosses this boundary carries no personal data: providers get amounts, currencies and
opaque ids (the contribution's UUID, the payment's id), never an email or a name.
"""

from dataclasses import dataclass, field
from datetime import datetime

from contributions.money import Money


class ProviderError(Exception):
    """The provider could not be reached, or refused the request for a reason of its own.
    `code` is the provider's short reason (e.g. "card_declined"), safe to store and show."""

    def __init__(self, message: str, code: str = "provider_error"):
        super().__init__(message)
        self.code = code


class InvalidWebhook(Exception):
    """The webhook's signature or body is not valid: answer 400 and store nothing."""


@dataclass
class Session:
    """What the browser needs to collect a payment method for one contribution."""

    action: str  # "save_card": the browser saves a card, then asks the server to charge it
    client_secret: str | None
    publishable_key: str | None
    reference: str  # the provider's id for what the browser confirms (SetupIntent, …)


@dataclass
class ChargeResult:
    """The outcome of asking the provider to move money for one payment."""

    status: str  # "succeeded" | "requires_action" | "failed" | "processing"
    reference: str | None  # the provider's id for the charge (PaymentIntent id, …)
    amount: Money | None = None
    fee: Money | None = None  # the provider's processing fee, when known
    client_secret: str | None = None  # for the browser when status is requires_action
    failure_code: str | None = None
    occurred_at: datetime | None = None


@dataclass
class Fact:
    """One thing a provider says happened to money, in the ledger's terms.

    `kind` is "charge" | "refund" | "dispute" | "fee" | "charge_failed" |
    "requires_action" | "card_saved". `reference` is the provider's id of the object
    (PaymentIntent, Refund, Dispute, …): a fact with the same (provider, reference, kind)
    is the same fact, however often or in whatever order it is reported.
    """

    kind: str
    reference: str
    contribution: str | None  # the contribution's UUID, from the provider's metadata
    payment: str | None = None  # our payment's id, from the metadata
    charge_reference: str | None = None  # the charge a refund or dispute belongs to
    amount: Money | None = None
    occurred_at: datetime | None = None
    failure_code: str | None = None
    payment_method: str | None = None
    details: dict = field(default_factory=dict)


@dataclass
class Event:
    """A verified webhook: its id (unique per provider), type and body, as stored."""

    id: str
    type: str
    payload: dict


class BasePaymentProvider:
    """Subclass this; register the subclass in `contributions.providers.PROVIDERS`."""

    name: str = ""
    verbose_name: str = ""
    # Whether readers can give through this provider on the website (False: staff-entered).
    public: bool = True

    def is_configured(self) -> bool:
        """True when the settings this provider needs are present."""
        raise NotImplementedError

    def begin(self, contribution) -> Session:
        """Start collecting a payment method for `contribution` (not yet saved or charged).

        Called after the contribution has been validated and stored as pending. Creates
        whatever the provider needs (a customer, a SetupIntent) and returns what the
        browser needs. You may NOT move money here.
        """
        raise NotImplementedError

    def saved_payment_method(self, contribution, reference: str) -> str:
        """The payment method the browser saved for `contribution` in the object `reference`
        (returned by `begin`). Fetched from the provider, never taken from the browser.
        Raises ProviderError when nothing was saved."""
        raise NotImplementedError

    def charge(self, payment, *, off_session: bool, idempotency_key: str) -> ChargeResult:
        """Charge `payment.amount` to the contribution's saved payment method.

        The caller has claimed `payment` in the database first. `idempotency_key` is derived
        from the contribution and the period (and attempt): calling twice with the same key
        must not move money twice — if the provider does not honour idempotency keys, look
        for an existing charge for `payment` (see `find_charge`) before creating one.
        `off_session` is True for renewals (the donor is not on the page).
        """
        raise NotImplementedError

    def find_charge(self, payment) -> ChargeResult | None:
        """The provider's charge for `payment`, if one was created (for crash recovery and
        reconciliation). None when there is none."""
        raise NotImplementedError

    def refund(
        self, payment, amount: Money | None = None, *, idempotency_key: str | None = None
    ) -> str:
        """Refund `amount` (all of it when None) of `payment`; returns the refund's reference.
        The same `idempotency_key` must never refund twice. Raises ProviderError. The caller
        records the ledger entry (the provider's event reports the same refund again)."""
        raise NotImplementedError

    def find_refund(self, payment, idempotency_key: str) -> str | None:
        """The reference of the refund of `payment` made with `idempotency_key`, if the
        provider has one (for a crash between asking for a refund and recording it)."""
        return None

    def parse_webhook(self, body: bytes, headers: dict) -> Event:
        """Verify the signature on the raw `body` and return the event. Raises InvalidWebhook.
        Must be quick: the event is stored and applied later by a task."""
        raise NotImplementedError

    def facts_from_payload(self, payload: dict) -> list[Fact]:
        """The facts a stored event reports (none for types Readerfund ignores). Pure: no
        network, so a stored event can be applied again at any time."""
        raise NotImplementedError

    def fee_estimate(self, amount: Money) -> Money:
        """What the provider will likely keep of a charge of `amount`, rounded up, for
        donors who choose to cover it ("cover the processing fee")."""
        return Money(0, amount.currency)

    def fetch_client_secret(self, reference: str) -> str:
        """The client secret of the provider's object `reference` (a charge that answered
        requires_action), for the browser to authenticate it. Fetched from the provider,
        never stored. Raises ProviderError."""
        raise NotImplementedError

    def fetch(self, reference: str) -> list[Fact]:
        """What the provider says now about the object `reference` (for reconciliation)."""
        raise NotImplementedError
