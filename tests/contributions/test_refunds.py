"""Staff refund a payment from the admin: the money goes back once, the ledger says so, and
the provider's later report of the same refund changes nothing."""

import pytest
from django.contrib.auth import get_user_model

from contributions import providers
from contributions.models import LedgerEntry, Payment, Refund
from contributions.money import Money
from contributions.providers.base import Fact, ProviderError
from contributions.services.facts import apply_fact
from contributions.services.reconcile import reconcile_refunds
from contributions.services.refunds import RefundRefused, refund_payment, refundable
from tests.contributions.stripe_helpers import give, stripe_client


@pytest.fixture
def finance(client, stripe_settings, db):
    user = get_user_model().objects.create_superuser("finance", "f@example.org", "pw")
    client.force_login(user)
    return client, user


def refunds_in_emulator(payment):
    with stripe_client() as client:
        listed = client.v1.refunds.list(params={"limit": 100})
    return [r.amount for r in listed.data if r.payment_intent == payment.provider_reference]


def ledger(contribution):
    return sorted(
        LedgerEntry.objects.filter(contribution=contribution).values_list("kind", "amount")
    )


def paid_once(amount=2500):
    contribution, result = give("once", amount)
    assert result.status == "succeeded"
    return contribution, contribution.payments.get()


def test_staff_refund_part_then_the_rest_through_the_admin(finance):
    client, _ = finance
    contribution, payment = paid_once(2500)
    url = f"/admin/giving/payments/{payment.pk}/refund/"

    page = client.get(url)
    assert page.status_code == 200 and "$25.00" in page.content.decode()
    inspect = client.get(f"/admin/giving/contributions/inspect/{contribution.pk}/")
    assert url in inspect.content.decode()

    response = client.post(url, {"amount": "10.00", "confirm": "on"})
    assert response.status_code == 302
    assert refundable(payment) == 1500
    response = client.post(url, {"amount": "15.00", "confirm": "on"})
    assert response.status_code == 302

    assert ledger(contribution) == [("charge", 2500), ("refund", -1500), ("refund", -1000)]
    assert sorted(refunds_in_emulator(payment)) == [1000, 1500]
    assert list(Refund.objects.values_list("status", flat=True)) == ["done", "done"]
    # Nothing is left: no refund link, and a further refund is refused with a message.
    inspect = client.get(f"/admin/giving/contributions/inspect/{contribution.pk}/")
    assert url not in inspect.content.decode()
    again = client.post(url, {"amount": "1.00", "confirm": "on"})
    assert again.status_code == 400
    assert "at most $0.00" in again.content.decode()
    assert len(refunds_in_emulator(payment)) == 2


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"amount": "30.00", "confirm": "on"}, "Refund at most $25.00."),
        ({"amount": "0", "confirm": "on"}, "Refund at most $25.00."),
        ({"amount": "ten", "confirm": "on"}, "Enter an amount such as 10.00."),
        ({"amount": "1.001", "confirm": "on"}, "Enter an amount such as 10.00."),
        ({"amount": "10.00"}, "This field is required."),
    ],
)
def test_a_bad_refund_form_is_a_400_and_refunds_nothing(finance, form, message):
    client, _ = finance
    contribution, payment = paid_once(2500)
    response = client.post(f"/admin/giving/payments/{payment.pk}/refund/", form)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Refund.objects.exists()
    assert refunds_in_emulator(payment) == []
    assert ledger(contribution) == [("charge", 2500)]


def test_the_providers_later_report_of_the_refund_changes_nothing(finance):
    _, user = finance
    contribution, payment = paid_once(2500)
    refund = refund_payment(payment, 1000, user)
    # What charge.refunded would say about it (localstripe does not send charge.* events).
    reported = Fact(
        kind="refund",
        reference=refund.provider_reference,
        contribution=str(contribution.pk),
        charge_reference=payment.provider_reference,
        amount=Money(1000, "USD"),
    )
    apply_fact("stripe", reported)
    apply_fact("stripe", reported)
    assert ledger(contribution) == [("charge", 2500), ("refund", -1000)]


def test_a_refund_asked_and_not_yet_answered_counts_against_what_is_left(finance):
    # As if a worker crashed after claiming the refund: the claim alone holds the amount.
    _, user = finance
    _, payment = paid_once(2500)
    Refund.objects.create(payment=payment, amount=2000, currency="USD", staff_user=user)
    with pytest.raises(RefundRefused, match=r"\$5\.00"):
        refund_payment(payment, 1000, user)
    assert refunds_in_emulator(payment) == []


def test_a_refund_the_provider_refuses_is_marked_failed_and_frees_the_amount(finance, monkeypatch):
    _, user = finance
    contribution, payment = paid_once(2500)
    provider = providers.get("stripe")

    def refuses(*args, **kwargs):
        # localstripe refunds whatever it is asked; this stands in for Stripe refusing.
        raise ProviderError("Stripe: charge_already_refunded", code="charge_already_refunded")

    monkeypatch.setattr(type(provider), "refund", refuses)
    with pytest.raises(RefundRefused, match="charge_already_refunded"):
        refund_payment(payment, 1000, user)
    assert Refund.objects.get().status == Refund.Status.FAILED
    assert refundable(payment) == 2500
    assert ledger(contribution) == [("charge", 2500)]


def test_an_offline_gift_refund_is_recorded_without_a_provider(finance):
    client, user = finance
    client.post(
        "/admin/giving/offline/",
        {
            "email": "donor@example.org",
            "amount": "150.00",
            "currency": "EUR",
            "received_on": "2026-11-20",
            "reference": "SEPA 4411",
        },
    )
    payment = Payment.objects.get(contribution__provider="offline")
    response = client.post(
        f"/admin/giving/payments/{payment.pk}/refund/", {"amount": "150", "confirm": "on"}
    )
    assert response.status_code == 302
    entry = LedgerEntry.objects.get(kind="refund")
    assert (entry.amount, entry.source, entry.staff_user) == (-15000, "staff", user)


def test_staff_without_the_refund_permission_cannot_refund(client, stripe_settings, db):
    from django.contrib.auth.models import Permission

    editor = get_user_model().objects.create_user("editor", "e@example.org", "pw")
    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(editor)
    _, payment = paid_once(2500)
    response = client.post(
        f"/admin/giving/payments/{payment.pk}/refund/", {"amount": "25", "confirm": "on"}
    )
    assert response.status_code in (302, 403)
    assert not Refund.objects.exists() and refunds_in_emulator(payment) == []


def test_a_refund_left_unfinished_by_a_crash_is_finished_or_released_by_reconcile(finance):
    from datetime import timedelta

    import time_machine
    from django.utils import timezone

    _, user = finance
    contribution, payment = paid_once(2500)
    # Crash after Stripe answered: the claim exists and Stripe made the refund, nothing more.
    answered = Refund.objects.create(payment=payment, amount=1000, currency="USD", staff_user=user)
    providers.get("stripe").refund(
        payment, Money(1000, "USD"), idempotency_key=answered.idempotency_key()
    )
    # Crash before Stripe was asked: only the claim.
    unasked = Refund.objects.create(payment=payment, amount=500, currency="USD", staff_user=user)
    assert refundable(payment) == 1000

    assert reconcile_refunds() == {"refunds_finished": 0, "refunds_released": 0}
    with time_machine.travel(timezone.now() + timedelta(minutes=20), tick=False):
        assert reconcile_refunds() == {"refunds_finished": 1, "refunds_released": 1}
        assert reconcile_refunds() == {"refunds_finished": 0, "refunds_released": 0}

    answered.refresh_from_db()
    unasked.refresh_from_db()
    assert (answered.status, unasked.status) == ("done", "failed")
    assert ledger(contribution) == [("charge", 2500), ("refund", -1000)]
    assert refunds_in_emulator(payment) == [1000]
    assert refundable(payment) == 1500


def test_the_donor_is_told_of_the_refund_unless_they_erased_their_data(
    finance, mailbox, django_capture_on_commit_callbacks
):
    from privacy import erasure

    _, user = finance
    contribution, payment = paid_once(2500)
    mailbox.clear()  # the receipt
    with django_capture_on_commit_callbacks(execute=True):
        refund_payment(payment, 1000, user)
    [message] = mailbox.wait_for(1)
    assert message["To"] == "reader@example.org"
    text = message.get_body(preferencelist=("plain",)).get_content()
    assert "$10.00" in text and f"RF-{payment.pk:08d}" in text
    assert "refunded" in message["Subject"]

    erasure.erase_email("reader@example.org")
    mailbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        refund_payment(payment, 500, user)
    assert mailbox.messages == []  # no address left to write to
    assert refundable(payment) == 1000
