"""Emails that matter are tried until sent or refused for good, with back-off and a sweep;
a failure is kept as a reason code, never the address. Real SMTP (aiosmtpd) behind a real
TCP proxy that refuses connections while the "server is down"."""

from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from contributions import notices
from contributions.models import Delivery, Payment, Refund
from privacy.crypto import email_index
from tests.contributions.factories import make_contribution, make_contributor, make_payment
from tests.faults.drill_helpers import staff_user

CANARY = "canary.delivery@refused.example"  # the test SMTP server refuses this domain


@pytest.fixture
def refund(db):
    contribution = make_contribution(make_contributor("donor@example.org"), status="paid")
    payment = make_payment(contribution, status="succeeded", reference="pi_d1")
    Payment.objects.filter(pk=payment.pk).claim_receipt()  # its receipt went long ago
    return Refund.objects.create(
        payment=payment, amount=500, currency="USD", staff_user=staff_user(), status="done"
    )


def test_a_notice_waits_out_a_mail_outage_with_back_off_then_goes_once(refund, faulty_smtp):
    proxy, mailbox = faulty_smtp
    proxy.fail("refuse")  # the mail server is down
    assert notices.send_refund_notice.call(refund.pk) == "retry"
    delivery = Delivery.objects.get(kind="refund_notice")
    assert (delivery.status, delivery.attempts, delivery.reason) == (
        "pending",
        1,
        "server_unavailable",
    )
    assert notices.sweep_deliveries()["deliveries"] == 0  # not before its back-off
    with time_machine.travel(timezone.now() + timedelta(minutes=6)):
        notices.sweep_deliveries()  # still down: the second attempt fails too
    delivery.refresh_from_db()
    assert (delivery.attempts, delivery.status) == (2, "pending")
    proxy.heal()
    with time_machine.travel(timezone.now() + timedelta(minutes=25)):
        assert notices.sweep_deliveries()["deliveries"] == 1
        assert notices.sweep_deliveries()["deliveries"] == 0
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("sent", 3)
    assert len(mailbox.wait_for(1)) == 1
    assert notices.send_refund_notice.call(refund.pk) == "busy"  # never twice
    assert len(mailbox.messages) == 1


def test_an_address_refused_for_good_is_kept_as_a_reason_code_and_not_retried(mailbox, db):
    contribution = make_contribution(make_contributor(CANARY), status="lapsed")
    assert notices.send_lapsed_notice.call(str(contribution.pk)) == "refused"
    delivery = Delivery.objects.get(kind="lapsed_notice")
    assert (delivery.status, delivery.reason) == ("refused", "recipient_refused")
    with time_machine.travel(timezone.now() + timedelta(days=1)):
        assert notices.sweep_deliveries()["deliveries"] == 0
    assert mailbox.messages == []


def test_a_delivery_gives_up_after_about_two_days_of_failures(refund, faulty_smtp):
    proxy, _ = faulty_smtp
    proxy.fail("refuse")
    notices.send_refund_notice.call(refund.pk)
    with time_machine.travel(timezone.now(), tick=False) as clock:
        for wait in notices.RETRY_AFTER:
            clock.shift(wait + timedelta(seconds=1))
            notices.sweep_deliveries()
    delivery = Delivery.objects.get(kind="refund_notice")
    assert (delivery.status, delivery.reason) == ("refused", "gave_up")
    assert delivery.attempts == len(notices.RETRY_AFTER) + 1


def test_a_lost_worker_s_attempt_is_taken_up_by_the_sweep_after_its_lease(refund, mailbox):
    Delivery.objects.create(kind="refund_notice", key=str(refund.pk))
    assert Delivery.objects.filter(kind="refund_notice").claim(notices.LEASE) == 1  # then died
    assert notices.sweep_deliveries()["deliveries"] == 0
    with time_machine.travel(timezone.now() + notices.LEASE + timedelta(seconds=1)):
        assert notices.sweep_deliveries()["deliveries"] == 1
    assert len(mailbox.wait_for(1)) == 1


def test_failing_email_tasks_keep_no_address_in_their_results(mailbox, settings, transactional_db):
    """Issue 13 (item 2): run by the real database queue and worker, a task whose email the
    server refuses finishes without raising; its row holds a reason code, not the address."""
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    contributor = make_contributor(CANARY)
    contribution = make_contribution(contributor, status="lapsed")
    payment = make_payment(contribution, status="succeeded", reference="pi_canary")
    notices.send_receipt.enqueue(payment.pk)
    notices.send_lapsed_notice.enqueue(str(contribution.pk))
    notices.send_manage_link.enqueue(email_index(CANARY))
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)
    rows = list(DBTaskResult.objects.values())
    assert len(rows) == 3
    assert {row["status"] for row in rows} == {"SUCCESSFUL"}
    text = repr(rows).lower()
    assert "refused.example" not in text and "canary" not in text
    reasons = set(Delivery.objects.values_list("kind", "reason"))
    assert reasons == {
        ("receipt", "recipient_refused"),
        ("lapsed_notice", "recipient_refused"),
        ("manage_link", "recipient_refused"),
    }
    assert mailbox.messages == []
