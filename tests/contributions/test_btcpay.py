"""Crypto through BTCPay Server, against the Greenfield stand-in (tests/contributions/
btcpay_helpers.py: BTCPay cannot run here; the stand-in answers the documented invoice
endpoints over real HTTP and signs webhooks with BTCPay-Sig as BTCPay's documentation says).
"""

import json
import re
from datetime import datetime, time, timedelta

import pytest
import time_machine
from django.utils import timezone

from contributions.models import Contribution, LedgerEntry, Payment, ProviderEvent
from contributions.money import Money
from contributions.providers.base import ProviderError
from contributions.providers.btcpay.provider import sign, to_money
from contributions.services.renewals import charge_due
from tests.contributions.btcpay_helpers import give_form, post_delivery
from tests.processes import free_port


def anonymous_gift(client, greenfield) -> tuple[Contribution, dict]:
    response = give_form(client, provider="btcpay", email="", anonymous="on", name="Ivan")
    assert response.status_code == 303, response.content
    contribution = Contribution.objects.get()
    assert response["Location"] == f"/support/thanks/{contribution.pk}/"
    [invoice] = greenfield.invoices.values()
    return contribution, invoice


def test_an_anonymous_crypto_gift_needs_no_email_and_asks_btcpay_for_an_invoice(
    client, db, greenfield
):
    contribution, invoice = anonymous_gift(client, greenfield)
    assert (invoice["amount"], invoice["currency"]) == ("15.00", "USD")
    # BTCPay learns amounts and our opaque ids, never who gives.
    assert set(invoice["metadata"]) == {"orderId", "readerfundPayment", "readerfundContribution"}
    assert "Ivan" not in json.dumps(invoice)
    assert contribution.contributor.email == ""
    assert contribution.name is None  # anonymous: the name is not kept
    page = client.get(f"/support/thanks/{contribution.pk}/").content.decode()
    assert f'href="{greenfield.base}/i/{invoice["id"]}"' in page
    assert '<script src="http' not in page  # no BTCPay script on our pages


def test_a_settled_invoice_writes_one_charge_whatever_the_redeliveries(
    client, db, greenfield, mailbox, django_capture_on_commit_callbacks
):
    contribution, invoice = anonymous_gift(client, greenfield)
    settled = greenfield.settle(invoice["id"])
    greenfield.redeliver(settled)
    greenfield.redeliver(settled)
    for delivery in greenfield.deliveries + greenfield.deliveries[:1]:
        answer = post_delivery(client, delivery, capture=django_capture_on_commit_callbacks)
        assert answer.status_code == 200, answer.content
    [charge] = LedgerEntry.objects.all()
    assert (charge.source, charge.kind, charge.amount, charge.reference) == (
        "btcpay",
        "charge",
        1500,
        invoice["id"],
    )
    assert ProviderEvent.objects.count() == 1  # redeliveries name the original delivery
    contribution.refresh_from_db()
    assert contribution.status == Contribution.Status.PAID
    assert mailbox.messages == []  # no address, no email: the page is the receipt
    thanks = client.get(f"/support/thanks/{contribution.pk}/").content.decode()
    assert f'href="/support/receipt/{contribution.pk}/"' in thanks
    receipt = client.get(f"/support/receipt/{contribution.pk}/")
    payment = Payment.objects.get()
    assert receipt.status_code == 200
    assert f"RF-{payment.pk:08d}" in receipt.content.decode()


def test_a_gift_with_an_email_gets_its_receipt_by_email(
    client, db, greenfield, mailbox, django_capture_on_commit_callbacks
):
    give_form(client, provider="btcpay", email="reader@example.org")
    [invoice] = greenfield.invoices.values()
    post_delivery(
        client,
        greenfield.settle(invoice["id"]) and greenfield.deliveries[-1],
        capture=django_capture_on_commit_callbacks,
    )
    [receipt] = mailbox.wait_for(1)
    assert receipt["To"] == "reader@example.org"


@pytest.mark.parametrize(
    ("outcome", "code"),
    [("expire", "expired"), ("expire-partial", "partially_paid"), ("invalidate", "invalid")],
)
def test_an_expired_or_invalid_invoice_ends_the_payment(
    client, db, greenfield, django_capture_on_commit_callbacks, outcome, code
):
    contribution, invoice = anonymous_gift(client, greenfield)
    if outcome == "expire-partial":
        greenfield.expire(invoice["id"], partially_paid=True)
    else:
        getattr(greenfield, outcome)(invoice["id"])
    post_delivery(client, greenfield.deliveries[-1], capture=django_capture_on_commit_callbacks)
    payment = Payment.objects.get()
    contribution.refresh_from_db()
    assert (payment.status, payment.failure_code) == (Payment.Status.FAILED, code)
    assert contribution.status == Contribution.Status.FAILED
    assert not LedgerEntry.objects.exists()


def test_a_partly_paid_invoice_staff_mark_settled_later_is_counted_once(
    client, db, greenfield, django_capture_on_commit_callbacks
):
    contribution, invoice = anonymous_gift(client, greenfield)
    greenfield.expire(invoice["id"], partially_paid=True)
    greenfield.settle(invoice["id"], manually=True)
    expired, settled = greenfield.deliveries
    # Out of order: the settlement first, the expiry after: the gift stays paid.
    for delivery in (settled, expired, settled):
        post_delivery(client, delivery, capture=django_capture_on_commit_callbacks)
    contribution.refresh_from_db()
    assert contribution.status == Contribution.Status.PAID
    assert Payment.objects.get().status == Payment.Status.SUCCEEDED
    assert LedgerEntry.objects.filter(kind="charge").count() == 1


def test_payments_not_yet_settled_are_not_stored(
    client, db, greenfield, django_capture_on_commit_callbacks
):
    _, invoice = anonymous_gift(client, greenfield)
    greenfield.receive_payment(invoice["id"], after_expiration=True)
    answer = post_delivery(
        client, greenfield.deliveries[-1], capture=django_capture_on_commit_callbacks
    )
    assert answer.status_code == 200
    assert not ProviderEvent.objects.exists()
    assert not LedgerEntry.objects.exists()


@pytest.mark.parametrize(
    "tamper, status",
    [  # a signature that does not verify: 403 (as for Stripe); a signed body that is no event: 400
        (lambda body, sig: (body.replace(b'"InvoiceSettled"', b'"InvoiceSettled" '), sig), 403),
        (lambda body, sig: (body, sign(body, "not-the-secret")), 403),
        (lambda body, sig: (body, ""), 403),
        (lambda body, sig: (body, sig.upper()), 403),
        (lambda body, sig: (b"not json", sign(b"not json", "demo-webhook-secret")), 400),
        (lambda body, sig: (b"{}", sign(b"{}", "demo-webhook-secret")), 400),
    ],
    ids=["body-changed", "wrong-secret", "no-signature", "signature-mangled", "not-json", "empty"],
)
def test_a_webhook_without_a_good_signature_or_body_is_refused_and_changes_nothing(
    client, db, greenfield, django_capture_on_commit_callbacks, tamper, status
):
    _, invoice = anonymous_gift(client, greenfield)
    greenfield.settle(invoice["id"])
    body, headers = greenfield.deliveries[-1]
    body, signature = tamper(body, headers["BTCPay-Sig"])
    answer = post_delivery(
        client, (body, {"BTCPay-Sig": signature}), capture=django_capture_on_commit_callbacks
    )
    assert answer.status_code == status
    assert not ProviderEvent.objects.exists()
    assert not LedgerEntry.objects.exists()


def test_without_a_webhook_secret_every_webhook_is_refused(
    client, db, greenfield, settings, django_capture_on_commit_callbacks
):
    _, invoice = anonymous_gift(client, greenfield)
    greenfield.settle(invoice["id"])
    settings.BTCPAY_WEBHOOK_SECRET = ""
    body, _ = greenfield.deliveries[-1]
    answer = post_delivery(
        client, (body, {"BTCPay-Sig": sign(body, "")}), capture=django_capture_on_commit_callbacks
    )
    assert answer.status_code == 403
    assert not LedgerEntry.objects.exists()


def test_btcpay_unreachable_gives_a_clear_error_and_charges_nothing(
    client, db, greenfield, settings
):
    settings.BTCPAY_URL = f"http://127.0.0.1:{free_port()}"
    response = give_form(client, provider="btcpay", email="", anonymous="on")
    assert response.status_code == 503
    assert "Payments are unavailable right now" in response.content.decode()
    assert not LedgerEntry.objects.exists()


def test_an_email_is_needed_unless_the_crypto_gift_is_anonymous(client, db, greenfield):
    response = give_form(client, provider="btcpay", email="")
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert not Contribution.objects.exists()
    assert greenfield.invoices == {}


def test_greenfield_amounts_become_exact_minor_units():
    assert to_money("15.00", "USD") == Money(1500, "USD")
    assert to_money("1500", "JPY") == Money(1500, "JPY")
    assert to_money("0.1", "EUR") == Money(10, "EUR")
    for bad in ("15.001", "NaN", "abc", "Infinity"):
        with pytest.raises(ProviderError):
            to_money(bad, "USD")


def test_a_monthly_crypto_gift_emails_a_fresh_invoice_each_period_and_lapses_unpaid(
    client, db, greenfield, mailbox, django_capture_on_commit_callbacks
):
    give_form(client, provider="btcpay", frequency="monthly", email="reader@example.org")
    [first] = greenfield.invoices.values()
    post_delivery(
        client,
        (greenfield.settle(first["id"]), greenfield.deliveries[-1])[1],
        capture=django_capture_on_commit_callbacks,
    )
    contribution = Contribution.objects.get()
    assert contribution.status == Contribution.Status.ACTIVE
    mailbox.wait_for(1)  # the receipt
    mailbox.clear()
    moment = timezone.make_aware(datetime.combine(contribution.next_charge_on, time(9)))
    invoices_seen = {first["id"]}
    for wait in [0, 1, 3, 7]:  # the first invoice, then the retries after 1, 3, 7 days
        moment += timedelta(days=wait)
        with time_machine.travel(moment, tick=False):
            with django_capture_on_commit_callbacks(execute=True):
                assert charge_due()["requires_action"] == 1
            [due] = mailbox.wait_for(1)
            mailbox.clear()
            assert "is due" in due["Subject"]
            link = re.search(
                r"http://testserver(/support/authenticate/\S+/)",
                due.get_body(("plain",)).get_content(),
            ).group(1)  # noqa: E501
            [invoice] = [i for i in greenfield.invoices.values() if i["id"] not in invoices_seen]
            invoices_seen.add(invoice["id"])
            page = client.get(link).content.decode()
            assert f'href="{greenfield.base}/i/{invoice["id"]}"' in page
            assert "<script" not in page.split("</main>")[0].split("<main")[-1]
            greenfield.expire(invoice["id"])
            post_delivery(
                client, greenfield.deliveries[-1], capture=django_capture_on_commit_callbacks
            )
    contribution.refresh_from_db()
    assert contribution.status == Contribution.Status.LAPSED
    assert LedgerEntry.objects.filter(kind="charge").count() == 1
    [lapsed] = mailbox.wait_for(1)
    assert "stopped" in lapsed["Subject"]


def test_a_renewal_paid_on_its_invoice_is_one_charge_for_its_period(
    client, db, greenfield, django_capture_on_commit_callbacks
):
    give_form(client, provider="btcpay", frequency="monthly", email="", anonymous="on")
    [first] = greenfield.invoices.values()
    post_delivery(
        client,
        (greenfield.settle(first["id"]), greenfield.deliveries[-1])[1],
        capture=django_capture_on_commit_callbacks,
    )
    contribution = Contribution.objects.get()
    moment = timezone.make_aware(datetime.combine(contribution.next_charge_on, time(9)))
    with time_machine.travel(moment, tick=False):
        charge_due()
        charge_due()  # a second run the same day makes no second invoice
    assert len(greenfield.invoices) == 2
    second = [i for i in greenfield.invoices.values() if i["id"] != first["id"]][0]
    settled = greenfield.settle(second["id"])
    for delivery in (
        greenfield.deliveries[-1],
        greenfield.redeliver(settled) and greenfield.deliveries[-1],
    ):  # noqa: E501
        post_delivery(client, delivery, capture=django_capture_on_commit_callbacks)
    periods = LedgerEntry.objects.filter(kind="charge").values_list("payment__period", flat=True)
    assert sorted(periods) == [0, 1]


def test_invoice_creation_is_rate_limited_like_checkout(client, db, greenfield, monkeypatch):
    from readerfund.lib import ratelimit

    monkeypatch.setattr(ratelimit, "CHECKOUT_LIMIT", 2)
    answers = [
        give_form(client, provider="btcpay", email="", anonymous="on").status_code for _ in range(3)
    ]
    assert answers == [303, 303, 429]
    assert len(greenfield.invoices) == 2


def test_an_invoice_whose_answer_never_came_is_found_not_made_twice(
    client, db, greenfield, settings, django_capture_on_commit_callbacks
):
    settings.READERFUND_PROVIDER_TIMEOUT = 0.3
    greenfield.answer_delay = 1.0  # BTCPay makes the invoice; its answer comes too late
    response = give_form(client, provider="btcpay", email="", anonymous="on")
    assert response.status_code == 303  # not a failure: we are checking
    payment = Payment.objects.get()
    assert payment.status == Payment.Status.UNKNOWN
    greenfield.answer_delay = 0
    from contributions.services.reconcile import reconcile

    reconcile(older_than=timedelta(0))
    payment.refresh_from_db()
    [invoice] = greenfield.invoices.values()  # one invoice, never a second
    assert (payment.status, payment.provider_reference) == ("requires_action", invoice["id"])
    page = client.get(f"/support/thanks/{payment.contribution_id}/").content.decode()
    assert f'href="{greenfield.base}/i/{invoice["id"]}"' in page


def test_a_signed_webhook_about_an_invoice_that_is_not_ours_changes_nothing(
    client, db, greenfield, django_capture_on_commit_callbacks
):
    greenfield.invoices["elsewhere"] = {"id": "elsewhere", "metadata": {}, "status": "New"}
    greenfield.settle("elsewhere")
    answer = post_delivery(
        client, greenfield.deliveries[-1], capture=django_capture_on_commit_callbacks
    )
    assert answer.status_code == 200
    assert not LedgerEntry.objects.exists()
