"""The Stripe provider against localstripe over loopback, through the real SDK: no mocks.

Contributions and payments here are stand-ins (SimpleNamespace objects with the attributes
the provider reads) rather than models: the provider's contract is duck-typed, and this
keeps these tests about what crosses the wire to Stripe, independent of the database.
"""

import http.server
import itertools
import threading
import time
import uuid
from datetime import UTC, datetime
from fractions import Fraction
from types import SimpleNamespace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from contributions.money import Money
from contributions.providers.base import InvalidWebhook, ProviderError
from contributions.providers.stripe import StripeProvider
from tests.contributions.stripe_helpers import (
    DECLINED_WHEN_CHARGED,
    NEEDS_AUTHENTICATION,
    VISA,
    emulator_webhook,
    save_card,
    sign,
    signed_webhook,
    stripe_client,
)

payment_ids = itertools.count(1)


class StandInContribution(SimpleNamespace):
    """What the provider reads and asks of a contribution (contributions.models.Contribution)."""

    def remember_customer(self, customer):
        self.provider_customer = customer


def make_contribution(frequency="monthly", contributor=None):
    contributor = contributor or SimpleNamespace(pk=1, provider_customers={})
    return StandInContribution(
        pk=uuid.uuid4(),
        contributor=contributor,
        payment_method="",
        provider_customer="",
        is_recurring=frequency != "once",
        currency="USD",
    )


def make_payment(contribution, amount=1000, period=0, attempts=0):
    payment = SimpleNamespace(
        pk=next(payment_ids),
        amount=amount,
        currency="USD",
        contribution=contribution,
        period=period,
        attempts=attempts,
        provider_reference="",
    )
    payment.idempotency_key = lambda: (
        f"readerfund-{contribution.pk}-{payment.period}-{payment.attempts}"
    )
    return payment


def with_saved_card(provider, number=VISA, frequency="monthly"):
    """A contribution whose donor saved `number` at checkout."""
    contribution = make_contribution(frequency)
    session = provider.begin(contribution)
    save_card(session.reference, number)
    contribution.payment_method = provider.saved_payment_method(contribution, session.reference)
    return contribution


def charge(provider, payment, off_session=False):
    return provider.charge(
        payment, off_session=off_session, idempotency_key=payment.idempotency_key()
    )


@pytest.fixture
def monthly_donor(stripe_provider):
    return with_saved_card(stripe_provider)


# Collecting a card ------------------------------------------------------------------------


def test_begin_makes_a_customer_without_personal_data_and_a_setup_intent(stripe_provider):
    contribution = make_contribution()

    session = stripe_provider.begin(contribution)

    assert session.action == "save_card"
    assert session.publishable_key == "pk_test_readerfund"
    assert session.reference.startswith("seti_")
    assert session.client_secret.startswith(session.reference + "_secret_")
    customer_id = contribution.provider_customer
    with stripe_client() as client:
        customer = client.v1.customers.retrieve(customer_id)
        intent = client.v1.setup_intents.retrieve(session.reference)
    assert customer.email is None and customer.name is None
    assert intent.customer == customer_id
    assert intent.usage == "off_session"
    assert intent.to_dict()["metadata"] == {"contribution": str(contribution.pk)}


def test_begin_makes_each_gift_a_customer_of_its_own(stripe_provider):
    first = make_contribution()
    stripe_provider.begin(first)
    second = make_contribution("once", contributor=first.contributor)

    session = stripe_provider.begin(second)

    with stripe_client() as client:
        intent = client.v1.setup_intents.retrieve(session.reference)
    # A known donor costs the same calls as a new one: checkout's timing tells nothing.
    assert intent.customer == second.provider_customer != first.provider_customer
    assert intent.usage == "on_session"  # a one-off gift's card is not kept for later


@pytest.mark.django_db
def test_begin_saves_the_customer_on_the_contribution(stripe_provider):
    from tests.contributions import factories

    contribution = factories.make_contribution()

    stripe_provider.begin(contribution)

    contribution.refresh_from_db()
    assert contribution.provider_customer.startswith("cus_")


def test_forget_customer_deletes_it_and_its_cards_and_may_run_twice(stripe_provider):
    contribution = with_saved_card(stripe_provider)
    customer = contribution.provider_customer

    stripe_provider.forget_customer(customer)
    stripe_provider.forget_customer(customer)

    assert customer not in _customers()


def _customers() -> set[str]:
    with stripe_client() as client:
        return {c.id for c in client.v1.customers.list(params={"limit": 100}).auto_paging_iter()}


def test_saved_payment_method_is_read_from_stripe(stripe_provider):
    contribution = make_contribution()
    session = stripe_provider.begin(contribution)
    saved = save_card(session.reference)

    assert stripe_provider.saved_payment_method(contribution, session.reference) == saved


def test_the_saved_cards_brand_and_last_four_digits_are_read_from_stripe(stripe_provider):
    contribution = with_saved_card(stripe_provider)
    assert stripe_provider.card_of(contribution) == ("Visa", "4242")
    contribution.payment_method = "pm_gone"
    assert stripe_provider.card_of(contribution) is None


def test_saved_payment_method_is_refused_before_the_card_is_saved(stripe_provider):
    contribution = make_contribution()
    session = stripe_provider.begin(contribution)

    with pytest.raises(ProviderError) as error:
        stripe_provider.saved_payment_method(contribution, session.reference)
    assert error.value.code == "requires_payment_method"


def test_saved_payment_method_of_another_contribution_is_refused(stripe_provider):
    session = stripe_provider.begin(make_contribution())
    save_card(session.reference)

    with pytest.raises(ProviderError):
        stripe_provider.saved_payment_method(make_contribution(), session.reference)


# Charging ---------------------------------------------------------------------------------


def test_first_charge_succeeds_with_only_opaque_ids_sent(stripe_provider, monthly_donor):
    payment = make_payment(monthly_donor, amount=1061)

    result = charge(stripe_provider, payment)

    assert result.status == "succeeded"
    assert result.reference.startswith("pi_")
    assert result.amount == Money(1061, "USD")
    assert result.fee == Money(0, "USD")  # localstripe's balance transactions have no fee
    assert isinstance(result.occurred_at, datetime) and result.occurred_at.tzinfo
    with stripe_client() as client:
        intent = client.v1.payment_intents.retrieve(result.reference).to_dict()
    assert intent["currency"] == "usd"
    assert intent["metadata"] == {
        "contribution": str(monthly_donor.pk),
        "payment": str(payment.pk),
        "period": "0",
        "idempotency_key": payment.idempotency_key(),
    }
    assert "receipt_email" not in intent or intent["receipt_email"] is None
    assert "description" not in intent or intent["description"] is None


def test_renewal_charges_the_saved_card_off_session(stripe_provider, monthly_donor):
    charge(stripe_provider, make_payment(monthly_donor, period=0))

    result = charge(stripe_provider, make_payment(monthly_donor, period=1), off_session=True)

    assert result.status == "succeeded"
    assert result.amount == Money(1000, "USD")


def test_declined_card_is_a_failed_result_not_an_exception(stripe_provider):
    contribution = with_saved_card(stripe_provider, DECLINED_WHEN_CHARGED)

    result = charge(stripe_provider, make_payment(contribution), off_session=True)

    assert result.status == "failed"
    assert result.failure_code == "card_declined"
    assert result.reference.startswith("pi_")  # found through the failed charge


def test_card_that_needs_authentication_asks_the_donor(stripe_provider):
    contribution = with_saved_card(stripe_provider, NEEDS_AUTHENTICATION, frequency="once")

    result = charge(stripe_provider, make_payment(contribution))

    assert result.status == "requires_action"
    assert result.client_secret.startswith(result.reference + "_secret_")


def test_charge_without_a_saved_card_is_a_provider_error(stripe_provider):
    contribution = make_contribution()
    stripe_provider.begin(contribution)

    with pytest.raises(ProviderError) as error:
        charge(stripe_provider, make_payment(contribution))
    assert error.value.code == "no_payment_method"


def test_unreachable_stripe_is_a_provider_error(stripe_provider, monthly_donor, settings):
    settings.STRIPE_API_BASE = "http://127.0.0.1:9"  # discard: nothing listens

    with pytest.raises(ProviderError):
        charge(stripe_provider, make_payment(monthly_donor))


def test_unconfigured_provider_says_so(settings):
    settings.STRIPE_SECRET_KEY = ""
    provider = StripeProvider()

    assert not provider.is_configured()
    with pytest.raises(ProviderError):
        provider.begin(make_contribution())


# Finding, fetching, refunding -------------------------------------------------------------


def test_find_charge_finds_the_payment_intent_made_for_a_payment(stripe_provider, monthly_donor):
    first, second = make_payment(monthly_donor), make_payment(monthly_donor, period=1)
    made = charge(stripe_provider, first)

    found = stripe_provider.find_charge(first)

    assert found.reference == made.reference
    assert found.status == "succeeded"
    assert stripe_provider.find_charge(second) is None


def test_find_charge_ignores_an_earlier_failed_attempt(stripe_provider):
    contribution = with_saved_card(stripe_provider, DECLINED_WHEN_CHARGED)
    payment = make_payment(contribution, period=1)
    failed = charge(stripe_provider, payment, off_session=True)
    assert stripe_provider.find_charge(payment).reference == failed.reference

    payment.attempts = 2  # a retry that crashed before it reached Stripe

    assert stripe_provider.find_charge(payment) is None


def test_find_charge_uses_a_known_reference(stripe_provider, monthly_donor):
    payment = make_payment(monthly_donor)
    payment.provider_reference = charge(stripe_provider, payment).reference

    assert stripe_provider.find_charge(payment).reference == payment.provider_reference


def test_partial_refund_and_fetch(stripe_provider, monthly_donor):
    payment = make_payment(monthly_donor, amount=2500)
    made = charge(stripe_provider, payment)

    refund = stripe_provider.refund(payment, Money(1000, "USD"))
    rest = stripe_provider.refund(payment)

    with stripe_client() as client:
        assert client.v1.refunds.retrieve(refund).amount == 1000
        assert client.v1.refunds.retrieve(rest).amount == 2500  # localstripe: the full charge
    [fact] = stripe_provider.fetch(refund)
    assert (fact.kind, fact.charge_reference, fact.amount) == (
        "refund",
        made.reference,
        Money(1000, "USD"),
    )
    assert fact.payment == str(payment.pk)
    [charged] = stripe_provider.fetch(made.reference)
    assert (charged.kind, charged.reference, charged.amount) == (
        "charge",
        made.reference,
        Money(2500, "USD"),
    )
    assert charged.contribution == str(monthly_donor.pk)


def test_refund_in_another_currency_is_refused(stripe_provider, monthly_donor):
    payment = make_payment(monthly_donor)
    charge(stripe_provider, payment)

    with pytest.raises(ProviderError):
        stripe_provider.refund(payment, Money(100, "EUR"))


def test_events_the_emulator_made_become_facts(stripe_provider, monthly_donor):
    made = charge(stripe_provider, make_payment(monthly_donor))

    with stripe_client() as client:
        events = client.v1.events.list(params={"type": "payment_intent.succeeded", "limit": 100})
        [event] = [
            e.to_dict() for e in events.auto_paging_iter() if e.data.object["id"] == made.reference
        ]
    [fact] = stripe_provider.facts_from_payload(event)

    assert (fact.kind, fact.reference, fact.contribution) == (
        "charge",
        made.reference,
        str(monthly_donor.pk),
    )


# Webhooks ---------------------------------------------------------------------------------

EVENT = {"id": "evt_1", "object": "event", "type": "payment_intent.succeeded", "data": {}}


def test_parse_webhook_accepts_a_correctly_signed_payload(stripe_settings):
    body, headers = signed_webhook(EVENT)

    event = StripeProvider().parse_webhook(body, headers)

    assert (event.id, event.type, event.payload) == ("evt_1", "payment_intent.succeeded", EVENT)


def test_parse_webhook_finds_the_header_in_any_case(stripe_settings):
    body, headers = signed_webhook(EVENT)
    lower = {"stripe-signature": headers["Stripe-Signature"]}
    meta = {"HTTP_STRIPE_SIGNATURE": headers["Stripe-Signature"]}

    assert StripeProvider().parse_webhook(body, lower).id == "evt_1"
    assert StripeProvider().parse_webhook(body, meta).id == "evt_1"


@pytest.mark.parametrize(
    "tamper",
    [
        pytest.param(lambda body, headers: (body, {}), id="no signature"),
        pytest.param(
            lambda body, headers: signed_webhook(EVENT, secret="whsec_someone_else"),
            id="wrong secret",
        ),
        pytest.param(
            lambda body, headers: (body.replace(b"evt_1", b"evt_2"), headers), id="tampered body"
        ),
        pytest.param(
            lambda body, headers: signed_webhook(EVENT, timestamp=int(time.time()) - 3600),
            id="replayed an hour later",
        ),
        pytest.param(
            lambda body, headers: sign(b"not json"),
            id="signed but not json",
        ),
    ],
)
def test_parse_webhook_rejects_what_stripe_did_not_sign(stripe_settings, tamper):
    body, headers = tamper(*signed_webhook(EVENT))

    with pytest.raises(InvalidWebhook):
        StripeProvider().parse_webhook(body, headers)


class _Inbox(http.server.BaseHTTPRequestHandler):
    received: list = []

    def do_POST(self):  # noqa: N802 - http.server's name
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.received.append((body, dict(self.headers)))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


def test_webhook_sent_by_the_emulator_is_verified(stripe_emulator, stripe_provider, monthly_donor):
    payment = make_payment(monthly_donor)
    inbox = http.server.HTTPServer(("127.0.0.1", 0), _Inbox)
    thread = threading.Thread(target=inbox.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{inbox.server_port}/"
    try:
        with emulator_webhook(stripe_emulator, url, ["payment_intent.succeeded"]):
            made = charge(stripe_provider, payment)
            deadline = time.monotonic() + 10
            while not _delivered(made.reference) and time.monotonic() < deadline:
                time.sleep(0.05)  # localstripe sends about a second after the event
    finally:
        inbox.shutdown()
        inbox.server_close()
        thread.join()
    body, headers = next(
        (body, headers) for body, headers in _Inbox.received if made.reference.encode() in body
    )

    event = stripe_provider.parse_webhook(body, headers)

    [fact] = stripe_provider.facts_from_payload(event.payload)
    assert (fact.kind, fact.reference, fact.payment) == ("charge", made.reference, str(payment.pk))
    assert fact.contribution == str(monthly_donor.pk)


def _delivered(reference: str) -> bool:
    return any(reference.encode() in body for body, _ in _Inbox.received)


# Facts from stored events -----------------------------------------------------------------

CREATED = 1767225600  # 2026-01-01T00:00:00Z
OURS = {"contribution": "0b9c5e1e-0000-4000-8000-000000000001", "payment": "42", "period": "0"}


def event(type_, obj, created=CREATED):
    return {"id": "evt_x", "object": "event", "type": type_, "created": created,
            "data": {"object": obj}}  # fmt: skip


def intent(status="succeeded", **extra):
    return {
        "id": "pi_1",
        "object": "payment_intent",
        "amount": 1061,
        "amount_received": 1061 if status == "succeeded" else 0,
        "currency": "usd",
        "created": CREATED - 60,
        "status": status,
        "metadata": OURS,
        "payment_method": "pm_1",
        "last_payment_error": None,
        **extra,
    }


@pytest.fixture
def provider():
    return StripeProvider()


def test_payment_intent_succeeded_is_a_charge(provider):
    [fact] = provider.facts_from_payload(event("payment_intent.succeeded", intent()))

    assert fact.kind == "charge"
    assert fact.reference == "pi_1"
    assert (fact.contribution, fact.payment) == (OURS["contribution"], "42")
    assert fact.amount == Money(1061, "USD")
    assert fact.occurred_at == datetime(2026, 1, 1, tzinfo=UTC)


def test_payment_failed_carries_the_decline_code(provider):
    error = {"code": "card_declined", "decline_code": "insufficient_funds"}
    failed = intent("requires_payment_method", last_payment_error=error)

    [fact] = provider.facts_from_payload(event("payment_intent.payment_failed", failed))

    assert (fact.kind, fact.reference, fact.failure_code) == (
        "charge_failed",
        "pi_1",
        "insufficient_funds",
    )


def test_payment_failed_without_a_decline_code_carries_the_error_code(provider):
    failed = intent("requires_payment_method", last_payment_error={"code": "expired_card"})

    [fact] = provider.facts_from_payload(event("payment_intent.payment_failed", failed))

    assert fact.failure_code == "expired_card"


def test_requires_action_is_reported(provider):
    [fact] = provider.facts_from_payload(
        event("payment_intent.requires_action", intent("requires_action"))
    )

    assert (fact.kind, fact.reference, fact.payment) == ("requires_action", "pi_1", "42")


def test_setup_intent_succeeded_is_a_saved_card(provider):
    setup = {
        "id": "seti_1",
        "object": "setup_intent",
        "status": "succeeded",
        "payment_method": "pm_9",
        "metadata": {"contribution": OURS["contribution"]},
    }

    [fact] = provider.facts_from_payload(event("setup_intent.succeeded", setup))

    assert (fact.kind, fact.reference, fact.payment_method, fact.contribution) == (
        "card_saved",
        "seti_1",
        "pm_9",
        OURS["contribution"],
    )


def _refund(id_, amount, status="succeeded"):
    return {
        "id": id_,
        "object": "refund",
        "amount": amount,
        "currency": "usd",
        "charge": "ch_1",
        "payment_intent": "pi_1",
        "status": status,
        "created": CREATED + 100,
        "metadata": {},
    }


def test_charge_refunded_twice_partially_is_one_charge_and_two_refunds(provider):
    charge_ = {
        "id": "ch_1",
        "object": "charge",
        "amount": 1061,
        "amount_refunded": 800,
        "currency": "usd",
        "created": CREATED - 50,
        "payment_intent": "pi_1",
        "metadata": OURS,
        "refunds": {"object": "list", "data": [_refund("re_1", 500), _refund("re_2", 300)]},
    }

    facts = provider.facts_from_payload(event("charge.refunded", charge_))

    assert [(f.kind, f.reference, f.amount.amount) for f in facts] == [
        ("charge", "pi_1", 1061),
        ("refund", "re_1", 500),
        ("refund", "re_2", 300),
    ]
    assert {f.charge_reference for f in facts[1:]} == {"pi_1"}
    assert {f.contribution for f in facts} == {OURS["contribution"]}


def test_refund_event_is_a_refund_once_it_succeeded(provider):
    [fact] = provider.facts_from_payload(event("refund.created", _refund("re_3", 200)))
    pending = provider.facts_from_payload(event("refund.created", _refund("re_4", 1, "pending")))

    assert (fact.kind, fact.reference, fact.charge_reference) == ("refund", "re_3", "pi_1")
    assert pending == []


def test_dispute_is_reported_against_its_payment_intent(provider):
    dispute = {
        "id": "dp_1",
        "object": "dispute",
        "amount": 1061,
        "currency": "usd",
        "charge": "ch_1",
        "payment_intent": "pi_1",
        "reason": "fraudulent",
        "created": CREATED + 500,
        "metadata": {},
    }

    [fact] = provider.facts_from_payload(event("charge.dispute.created", dispute))

    assert (fact.kind, fact.reference, fact.charge_reference, fact.amount) == (
        "dispute",
        "dp_1",
        "pi_1",
        Money(1061, "USD"),
    )


@pytest.mark.parametrize("type_", ["customer.created", "invoice.paid", "balance.available"])
def test_other_events_report_nothing(provider, type_):
    assert provider.facts_from_payload(event(type_, {"id": "x", "object": "thing"})) == []


# Covering the fee -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "fee"),
    [
        (1000, 61),  # $10.00: (1000 + 30) / 0.971 = 1060.76… → 1061
        (500, 46),  # $5.00: 530 / 0.971 = 545.83… → 546
        (2500, 106),  # $25.00: 2530 / 0.971 = 2605.56… → 2606
        (1, 31),  # 31 / 0.971 = 31.92… → 32
        (0, 0),
    ],
)
def test_fee_estimate_grosses_up_so_the_newsroom_receives_the_gift(provider, amount, fee):
    assert provider.fee_estimate(Money(amount, "USD")) == Money(fee, "USD")


def test_fee_estimate_follows_the_settings(provider, settings):
    settings.READERFUND_FEE_PERCENT_BP = 140
    settings.READERFUND_FEE_FIXED = 25

    # (1000 + 25) / 0.986 = 1039.55… → 1040
    assert provider.fee_estimate(Money(1000, "EUR")) == Money(40, "EUR")


@given(st.integers(min_value=1, max_value=10**18), st.integers(0, 9999), st.integers(0, 10**4))
def test_fee_estimate_is_exact_for_any_amount(amount, percent, fixed):
    """Exact where floats are not (amounts beyond 2**53): the smallest total from which,
    after Stripe keeps its share, at least `amount` is left."""
    from django.test import override_settings

    with override_settings(READERFUND_FEE_PERCENT_BP=percent, READERFUND_FEE_FIXED=fixed):
        fee = StripeProvider().fee_estimate(Money(amount, "USD"))

    assert isinstance(fee.amount, int)
    total = amount + fee.amount
    kept = Fraction(percent, 10_000)
    assert total - total * kept - fixed >= amount
    assert (total - 1) - (total - 1) * kept - fixed < amount
