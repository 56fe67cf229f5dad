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


class OutcomeUnknown(ProviderError):
    """The provider was asked but its answer never came (a timeout, a dropped connection, a
    5xx): what was asked may or may not have happened. Never a decline. The caller leaves
    the payment (or refund) unknown and asks again later, with the same idempotency key,
    after looking for what the first request may have made (`find_charge`, `find_refund`)."""

    def __init__(self, message: str, code: str = "no_answer"):
        super().__init__(message, code=code)


class Unsupported(ProviderError):
    """What this provider cannot do by its nature, raised by the contract's methods it does
    not implement: an offline gift is never charged or refunded online, a provider without
    webhooks has none to parse. Callers that can do without it catch this one exception
    (the webhook answers 404; a refund is only recorded by staff)."""

    def __init__(self, message: str):
        super().__init__(message, code="unsupported")


class ReferenceMismatch(ProviderError):
    """The reference names what the provider made for another contribution (a card saved
    for it): nothing is charged, and /complete answers 409."""

    def __init__(self, message: str):
        super().__init__(message, code="mismatch")


class InvalidWebhook(Exception):
    """The webhook's body is not an event: answer 400 and store nothing."""


class InvalidSignature(InvalidWebhook):
    """The webhook's signature is missing, does not verify or is too old (or no secret is
    set to verify it): answer 403 and store nothing."""


@dataclass
class Session:
    """What the browser needs to collect a payment method for one contribution."""

    # "save_card": the browser saves a card, then asks the server to charge it;
    # "pay_elsewhere": nothing to save: the server charges at once, from a plain form (no
    # JavaScript needed), and the thank-you page links to the provider's own page where the
    # reader pays (`payment_page`) or tells them what to do (`instructions`).
    action: str
    client_secret: str | None
    publishable_key: str | None
    reference: str  # the provider's id for what the browser confirms (SetupIntent, …)


@dataclass
class BrowserPart:
    """What a page needs to run the provider's own script in the reader's browser (to save
    a card, to authenticate a payment): only the pages that need it load it."""

    script: str  # the address of the provider's script
    csp: dict[str, list[str]]  # what the page's Content-Security-Policy adds for it
    key: str  # the public key the script needs
    # Options for the provider's card field (Stripe: {"hidePostalCode": true}).
    card_options: dict = field(default_factory=dict)


@dataclass
class ChargeResult:
    """The outcome of asking the provider to move money for one payment."""

    # "succeeded" | "requires_action" | "failed" | "processing"; "unknown": no answer came
    # (set by the charging service from OutcomeUnknown, never by a provider)
    status: str
    reference: str | None  # the provider's id for the charge (PaymentIntent id, …)
    amount: Money | None = None
    fee: Money | None = None  # the provider's processing fee, when known
    client_secret: str | None = None  # for the browser when status is requires_action
    failure_code: str | None = None
    occurred_at: datetime | None = None


@dataclass
class Mark:
    """One mark drawn under Continue for a way to give (a card brand, "Bitcoin", "Bank
    transfer"): a local inline SVG, nothing fetched. `label` names it for screen readers."""

    label: str
    svg: str


@dataclass
class StatementLine:
    """One credit line of a bank statement, as a provider that reads statements found it.
    `id` is unique per line and the same however often the statement is imported."""

    id: str
    booked_on: object  # a date
    amount: Money
    text: str  # the remittance text, kept only in memory: it may name the payer


@dataclass
class Fact:
    """One thing a provider says happened to money, in the ledger's terms.

    `kind` is "charge" | "refund" | "dispute" | "dispute_won" | "dispute_lost" |
    "charge_failed" | "requires_action" | "card_saved" (a dispute's outcome names the
    dispute as its reference). `reference` is the provider's id of the object
    (PaymentIntent, Refund, Dispute, …): a fact with the same (provider, reference, kind)
    is the same fact, however often or in whatever order it is reported. A charge's
    processing fee travels with it, as `details["fee"]` in minor units. Staff's own facts
    (an offline gift, a refund) also name the staff member, for the ledger.
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
    staff_user: object = None  # the user who recorded a staff fact; None for a provider's


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
    # Readers give through this provider at checkout (False: staff enter its gifts).
    at_checkout: bool = True
    # Readers pay elsewhere (an invoice's page, their bank): `begin` answers "pay_elsewhere",
    # and the checkout page offers this provider as a plain form that needs no JavaScript.
    pays_elsewhere: bool = False
    # A reader who gives anonymously through this provider may leave the email empty: no
    # receipt is emailed (the thank-you page is the receipt).
    email_optional: bool = False
    # Staff import this provider's statements (`read_statement`, `match_line`).
    reads_statements: bool = False
    # The template the thank-you page includes while a gift waits for the donor to pay
    # elsewhere (a bank transfer's details), with `contribution` and `instructions`.
    instructions_template: str = ""

    def accepts(self, currency: str) -> bool:
        """True when readers may give through this provider in `currency`."""
        return True

    def marks(self) -> list[Mark]:
        """The marks drawn under Continue while this provider is enabled."""
        return []

    def instructions(self, contribution) -> dict | None:
        """What the donor needs to pay `contribution` elsewhere (bank details and the
        reference to quote), for `instructions_template`; None when nothing is needed."""
        return None

    def payment_page(self, payment) -> str | None:
        """The provider's own page where the donor pays `payment` (an invoice's checkout),
        opened as a link from the thank-you page and from a renewal's email; None for a
        provider whose payments need no such page. No network: the page may be slow."""
        return None

    def read_statement(self, data: bytes, filename: str) -> list[StatementLine]:
        """The credit lines of a bank statement file. Raises ValueError with a message staff
        can act on. Unsupported (the default) for a provider that reads no statements."""
        raise Unsupported(f"{self.name} reads no statements")

    def match_line(self, line: StatementLine, code: str | None = None) -> Event | None:
        """The event a statement line reports: a charge of the contribution whose reference
        code the line quotes (or `code`, given by staff matching it by hand), its id the
        line's id, so importing the same statement again stores nothing new. None when no
        contribution matches. You may NOT move money here."""
        raise Unsupported(f"{self.name} reads no statements")

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

    def begin_card_update(self, contribution) -> Session:
        """Start saving a new payment method for a recurring `contribution` whose donor
        wants to pay with another card from now on (its manage page). Like `begin`, on the
        customer that holds the contribution's card; the browser saves it the same way and
        `saved_payment_method(contribution, reference)` then names it. You may NOT move
        money here. Unsupported (the default) when the provider keeps no payment method."""
        raise Unsupported(f"{self.name} keeps no card to update")

    def saved_payment_method(self, contribution, reference: str) -> str:
        """The payment method the browser saved for `contribution` in the object `reference`
        (returned by `begin`). Fetched from the provider, never taken from the browser.
        Raises ProviderError when nothing was saved."""
        raise NotImplementedError

    def card_of(self, contribution) -> tuple[str, str] | None:
        """The brand and last four digits of the card saved for `contribution` ("Visa",
        "4242"), for the donor's receipts; None when the provider keeps no card or cannot
        say. Called once, after `saved_payment_method`. Never the full number. You may NOT
        move money here."""
        return None

    def charge(self, payment, *, off_session: bool, idempotency_key: str) -> ChargeResult:
        """Charge `payment.amount` to the contribution's saved payment method.

        The caller has claimed `payment` in the database first. `idempotency_key` is derived
        from the contribution and the period (and attempt): calling twice with the same key
        must not move money twice — if the provider does not honour idempotency keys, look
        for an existing charge for `payment` (see `find_charge`) before creating one.
        `off_session` is True for renewals (the donor is not on the page).
        Raises OutcomeUnknown when the request may have reached the provider but no answer
        came back; ProviderError when it certainly moved no money.
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
        The same `idempotency_key` must never refund twice. Raises ProviderError, or
        OutcomeUnknown when no answer came (the refund then stays requested). The caller
        records the ledger entry (the provider's event reports the same refund again).
        Unsupported (the default): staff give the money back themselves and record it."""
        raise Unsupported(f"{self.name} cannot refund")

    def find_refund(self, payment, idempotency_key: str) -> str | None:
        """The reference of the refund of `payment` made with `idempotency_key`, if the
        provider has one (for a crash between asking for a refund and recording it)."""
        return None

    def parse_webhook(self, body: bytes, headers: dict) -> Event:
        """Verify the signature on the raw `body` and return the event. Raises InvalidWebhook.
        Must be quick: the event is stored and applied later by a task. Unsupported (the
        default) for a provider without webhooks: /webhooks/<name> answers 404."""
        raise Unsupported(f"{self.name} has no webhooks")

    def minimise(self, event: Event) -> Event | None:
        """What to keep of a verified event: only what `facts_from_payload` and
        reconciliation read (ids, amounts, currency, status, failure code, times, our own
        metadata), never the card's details, country or postal code. None for an event type
        Readerfund ignores: it is then not stored at all. Called before the event is stored."""
        raise Unsupported(f"{self.name} has no webhooks")

    def facts_from_payload(self, payload: dict) -> list[Fact]:
        """The facts a stored event reports (none for types Readerfund ignores). Pure: no
        network, so a stored event can be applied again at any time."""
        raise Unsupported(f"{self.name} has no webhooks")

    def browser_part(self) -> BrowserPart | None:
        """The script the checkout and authentication pages load for this provider, and
        what their policy allows for it; None when the browser needs none, or the
        provider is not set up for it (the page then offers the other ways to give)."""
        return None

    def fee_estimate(self, amount: Money) -> Money:
        """What the provider will likely keep of a charge of `amount`, rounded up, for
        donors who choose to cover it ("cover the processing fee")."""
        return Money(0, amount.currency)

    def fetch_client_secret(self, reference: str) -> str:
        """The client secret of the provider's object `reference` (a charge that answered
        requires_action), for the browser to authenticate it. Fetched from the provider,
        never stored. Raises ProviderError; Unsupported (the default) when its charges never
        ask for authentication."""
        raise Unsupported(f"{self.name} charges need no authentication")

    def forget_customer(self, customer: str) -> None:
        """Delete the provider's customer `customer` (an id `begin` stored) and every payment
        method saved on it, for a donor's erasure. Safe to call twice: a customer that is
        gone already is not an error. Raises ProviderError when the provider cannot be
        asked. The default does nothing: a provider that keeps no customers has none."""

    def fetch(self, reference: str) -> list[Fact]:
        """What the provider says now about the object `reference` (for reconciliation)."""
        return []
