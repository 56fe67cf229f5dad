"""Donors change, resume and restart their giving, and read their receipts, on their own
pages; annual donors are told a week before a renewal. Charges run against localstripe."""

import io
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from pypdf import PdfReader

from contributions.models import Contribution, CurrencyOption, Delivery, LedgerEntry, Payment
from contributions.services.renewals import charge_due, notify_annual_renewals
from privacy.models import AuditEvent
from tests.contributions.factories import make_contribution, make_contributor, make_payment
from tests.contributions.manage_helpers import PAGE, post, signed_in
from tests.contributions.stripe_helpers import give

DONOR = "giver@example.org"


def change(client, contribution, **data):
    return post(client, f"/support/manage/change/{contribution.pk}/", data)


def frozen(day: date, hour=10):
    return time_machine.travel(datetime(day.year, day.month, day.day, hour, tzinfo=UTC), tick=False)


def state(contribution):
    contribution.refresh_from_db()
    return contribution.status, contribution.amount, contribution.frequency


# 1. Change amount and frequency ------------------------------------------------------------


def test_a_change_takes_effect_from_the_next_period_and_charges_nothing_now(
    stripe_settings, mailbox, django_capture_on_commit_callbacks, db
):
    with frozen(date(2026, 3, 5)), django_capture_on_commit_callbacks(execute=True):
        contribution, _ = give("monthly", 1000, email=DONOR)
    mailbox.wait_for(1)  # the first receipt
    next_on = contribution.next_charge_on
    assert next_on == date(2026, 4, 5)
    ledger_before = list(LedgerEntry.objects.values_list("pk", "amount"))
    client = signed_in(contribution.contributor)
    form = client.get(f"/support/manage/change/{contribution.pk}/").content.decode()
    assert 'value="10.00"' in form and "From $2.00 to $10,000.00." in form

    with django_capture_on_commit_callbacks(execute=True):
        response = change(client, contribution, amount="15", frequency="annual")
    assert response.status_code == 303
    assert response["Location"] == f"{PAGE}?changed={contribution.pk}"
    assert "changed from the next payment on" in client.get(response["Location"]).content.decode()
    assert state(contribution) == ("active", 1500, "annual")
    assert contribution.next_charge_on == next_on
    assert list(LedgerEntry.objects.values_list("pk", "amount")) == ledger_before
    assert Payment.objects.filter(contribution=contribution).count() == 1

    confirmation = mailbox.wait_for(2)[-1]
    assert confirmation["To"] == DONOR and "changed" in confirmation["Subject"]
    text = confirmation.get_body(("plain",)).get_content()
    assert "$15.00 every year" in text and "Nothing was charged now" in text
    [event] = AuditEvent.objects.filter(action="change")
    assert event.via == "donor" and event.target == f"contribution:{contribution.pk}"
    assert event.details == {
        "amount": 1500, "currency": "USD", "frequency": "annual",
        "previous_amount": 1000, "previous_frequency": "monthly",
    }  # fmt: skip
    assert DONOR not in str(event.details)

    with frozen(next_on):
        assert charge_due()["succeeded"] == 1
    renewal = Payment.objects.get(contribution=contribution, period=1)
    assert (renewal.amount, renewal.status) == (1500, "succeeded")
    assert contribution.ledger.filter(kind="charge").count() == 2
    assert contribution.ledger.filter(kind="charge", payment=renewal).get().amount == 1500
    contribution.refresh_from_db()
    assert contribution.next_charge_on == date(2027, 4, 5)  # a year on, not a month
    with frozen(next_on + timedelta(days=40)):
        assert charge_due()["claimed"] == 0


@pytest.mark.parametrize(
    "data, field, message",
    [
        ({"amount": "1", "frequency": "monthly"}, "amount", "The smallest amount is $2.00."),
        ({"amount": "10001", "frequency": "monthly"}, "amount", "The largest amount is"),
        ({"amount": "ten", "frequency": "monthly"}, "amount", "Enter an amount as a number"),
        ({"amount": "", "frequency": "monthly"}, "amount", "Choose an amount"),
        ({"amount": "-5", "frequency": "monthly"}, "amount", "Enter an amount"),
        ({"amount": "15", "frequency": "once"}, "frequency", "Choose monthly or annual."),
        ({"amount": "15", "frequency": "weekly"}, "frequency", "Choose once, monthly or annual."),
        ({"amount": "1e9", "frequency": "annual"}, "amount", "The largest amount is"),
    ],
)
def test_a_change_out_of_bounds_is_a_400_with_the_fields_message_and_changes_nothing(
    db, mailbox, data, field, message, django_capture_on_commit_callbacks
):
    contribution = make_contribution(
        make_contributor(email=DONOR), status="active", next_charge_on=date(2026, 12, 1)
    )
    client = signed_in(contribution.contributor)
    with django_capture_on_commit_callbacks(execute=True):
        response = change(client, contribution, **data)
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page and f'id="change-{field}-error"' in page
    assert state(contribution) == ("active", 1000, "monthly")
    assert not AuditEvent.objects.exists() and mailbox.messages == []


def test_the_limits_are_those_of_the_contributions_currency(db):
    CurrencyOption.objects.filter(code="EUR").update(minimum=500)
    contribution = make_contribution(
        make_contributor(email=DONOR), currency="EUR", status="active",
        next_charge_on=date(2026, 12, 1),
    )  # fmt: skip
    client = signed_in(contribution.contributor)
    assert change(client, contribution, amount="4", frequency="monthly").status_code == 400
    assert change(client, contribution, amount="5", frequency="monthly").status_code == 303
    contribution.refresh_from_db()
    assert (contribution.amount, contribution.currency) == (500, "EUR")


def test_a_covered_fee_is_worked_out_again_for_the_new_amount(stripe_settings, db):
    contribution = make_contribution(
        make_contributor(email=DONOR), status="active", next_charge_on=date(2026, 12, 1)
    )
    Contribution.objects.filter(pk=contribution.pk).update(fee_amount=59)
    change(signed_in(contribution.contributor), contribution, amount="20", frequency="monthly")
    contribution.refresh_from_db()
    assert contribution.amount == 2000 and contribution.fee_amount not in (0, 59)


@pytest.mark.parametrize("status", ["cancelled", "lapsed", "pending", "failed"])
def test_only_an_active_contribution_can_be_changed(db, status):
    contribution = make_contribution(make_contributor(email=DONOR), status=status)
    response = change(signed_in(contribution.contributor), contribution, amount="15",
                      frequency="monthly")  # fmt: skip
    assert response.status_code == 400
    assert "Only an active contribution can be changed." in response.content.decode()
    assert state(contribution) == (status, 1000, "monthly")


def test_a_donor_cannot_change_someone_elses_contribution(db):
    mine = make_contribution(make_contributor(email=DONOR), status="active")
    theirs = make_contribution(make_contributor(email="other@example.org"), status="active")
    response = change(signed_in(mine.contributor), theirs, amount="15", frequency="monthly")
    assert response.status_code == 404
    assert state(theirs) == ("active", 1000, "monthly")


def test_a_one_off_gift_cannot_be_changed(db):
    once = make_contribution(make_contributor(email=DONOR), frequency="once", status="paid")
    response = change(signed_in(once.contributor), once, amount="15", frequency="monthly")
    assert response.status_code == 400
    assert state(once) == ("paid", 1000, "once")


# 3. Resume and restart ---------------------------------------------------------------------


def test_a_stopped_contribution_resumes_without_charging_its_paid_period_twice(
    stripe_settings, mailbox, django_capture_on_commit_callbacks, db
):
    with frozen(date(2026, 3, 5)), django_capture_on_commit_callbacks(execute=True):
        contribution, _ = give("monthly", 1000, email=DONOR)
    client = signed_in(contribution.contributor)
    with frozen(date(2026, 3, 10)), django_capture_on_commit_callbacks(execute=True):
        post(client, f"/support/manage/stop/{contribution.pk}/")
        page = client.get(PAGE).content.decode()
        assert "Resume this contribution" in page
        response = post(client, f"/support/manage/resume/{contribution.pk}/")
    assert response["Location"] == f"{PAGE}?resumed={contribution.pk}"
    contribution.refresh_from_db()
    assert contribution.status == "active"
    assert contribution.next_charge_on == date(2026, 4, 5)  # the paid month runs to its end
    assert AuditEvent.objects.filter(action="resume").get().details == {"was": "cancelled"}
    messages = mailbox.wait_for(3)  # receipt, stopped, changed
    assert "$10.00 every month" in messages[-1].get_body(("plain",)).get_content()
    with frozen(date(2026, 4, 5)):
        assert charge_due()["succeeded"] == 1
    assert contribution.ledger.filter(kind="charge").count() == 2


def test_resuming_long_after_stopping_charges_from_today(db):
    contribution = make_contribution(make_contributor(email=DONOR), status="cancelled")
    make_payment(contribution, status="succeeded", due_on=date(2026, 1, 5))
    with frozen(date(2026, 6, 20)):
        post(signed_in(contribution.contributor), f"/support/manage/resume/{contribution.pk}/")
    contribution.refresh_from_db()
    assert (contribution.status, contribution.next_charge_on) == ("active", date(2026, 6, 20))


def test_a_lapsed_contribution_restarts_and_its_old_failed_period_is_not_charged(db):
    contribution = make_contribution(make_contributor(email=DONOR), status="lapsed")
    make_payment(contribution, status="succeeded", due_on=date(2026, 1, 5))
    make_payment(contribution, period=1, status="failed", due_on=date(2026, 2, 5))
    client = signed_in(contribution.contributor)
    assert "Restart this contribution" in client.get(PAGE).content.decode()
    with frozen(date(2026, 3, 20)):
        post(client, f"/support/manage/resume/{contribution.pk}/")
    contribution.refresh_from_db()
    assert (contribution.status, contribution.next_charge_on) == ("active", date(2026, 3, 20))
    assert Payment.objects.get(contribution=contribution, period=1).status == "failed"


@pytest.mark.parametrize("status", ["active", "pending", "failed", "paid"])
def test_only_a_stopped_or_lapsed_contribution_resumes(db, status):
    contribution = make_contribution(make_contributor(email=DONOR), status=status)
    response = post(signed_in(contribution.contributor),
                    f"/support/manage/resume/{contribution.pk}/", follow=True)  # fmt: skip
    assert "could not be resumed" in response.content.decode()
    contribution.refresh_from_db()
    assert contribution.status == status and not AuditEvent.objects.exists()


def test_resuming_twice_changes_nothing_the_second_time(db):
    contribution = make_contribution(make_contributor(email=DONOR), status="cancelled")
    client = signed_in(contribution.contributor)
    with frozen(date(2026, 6, 20)):
        post(client, f"/support/manage/resume/{contribution.pk}/")
    with frozen(date(2026, 6, 25)):
        again = post(client, f"/support/manage/resume/{contribution.pk}/")
    assert again["Location"].endswith(f"not_resumed={contribution.pk}")
    contribution.refresh_from_db()
    assert contribution.next_charge_on == date(2026, 6, 20)
    assert AuditEvent.objects.filter(action="resume").count() == 1


# 5. The notice before an annual renewal ---------------------------------------------------


def test_the_annual_notice_goes_out_once_seven_days_before(
    db, mailbox, django_capture_on_commit_callbacks
):
    contribution = make_contribution(
        make_contributor(email=DONOR), frequency="annual", amount=12000, status="active",
        next_charge_on=date(2027, 3, 5),
    )  # fmt: skip
    monthly = make_contribution(
        make_contributor(email="monthly@example.org"), status="active",
        next_charge_on=date(2027, 3, 5),
    )  # fmt: skip
    for day in (date(2027, 2, 25), date(2027, 2, 26)):  # 8 and 7 days before... and again
        with frozen(day), django_capture_on_commit_callbacks(execute=True):
            notify_annual_renewals()
            notify_annual_renewals()
    with frozen(date(2027, 3, 1)), django_capture_on_commit_callbacks(execute=True):
        assert notify_annual_renewals() == 0
    [notice] = mailbox.wait_for(1)
    assert notice["To"] == DONOR and "renews soon" in notice["Subject"]
    text = notice.get_body(("plain",)).get_content()
    assert "$120.00" in text and "March 5, 2027" in text
    assert "/support/manage/" in text
    assert Delivery.objects.filter(kind="renewal_notice").get().key == (
        f"{contribution.pk}.2027-03-05"
    )
    assert not Delivery.objects.filter(key__startswith=str(monthly.pk)).exists()


def test_no_notice_for_a_renewal_that_was_stopped_before_it_was_sent(db, mailbox):
    from contributions import notices

    contribution = make_contribution(
        make_contributor(email=DONOR), frequency="annual", status="active",
        next_charge_on=date(2027, 3, 5),
    )  # fmt: skip
    Contribution.objects.filter(pk=contribution.pk).stop()
    assert notices.send_renewal_notice.call(str(contribution.pk), "2027-03-05") == "dropped"
    assert mailbox.messages == []


# 4. Receipts and the yearly statement -----------------------------------------------------


def paid(contribution, period, day: date, amount=None, reference=None):
    payment = make_payment(contribution, period=period, status="succeeded", due_on=day)
    LedgerEntry.objects.create(
        kind="charge", contribution=contribution, payment=payment,
        amount=amount or payment.amount, currency=payment.currency,
        occurred_at=datetime(day.year, day.month, day.day, 12, tzinfo=UTC),
        source="stripe", reference=reference or f"ch_{contribution.pk}_{period}",
    )  # fmt: skip
    return payment


@pytest.fixture
def two_years_of_giving(db):
    """A monthly USD gift paid in Nov and Dec 2025 and Jan 2026, a EUR one-off in 2026 that
    was half refunded; and someone else's payment."""
    donor = make_contributor(email=DONOR, name="Private Name")
    monthly = make_contribution(donor, status="active", amount=1000)
    payments = [paid(monthly, n, day) for n, day in
                enumerate([date(2025, 11, 3), date(2025, 12, 3), date(2026, 1, 3)])]  # fmt: skip
    once = make_contribution(donor, frequency="once", currency="EUR", amount=5000, status="paid")
    gift = paid(once, 0, date(2026, 2, 14))
    LedgerEntry.objects.create(
        kind="refund", contribution=once, payment=gift, amount=-2000, currency="EUR",
        occurred_at=datetime(2026, 3, 1, tzinfo=UTC), source="stripe", reference="re_1",
    )  # fmt: skip
    LedgerEntry.objects.create(
        kind="fee", contribution=once, payment=gift, amount=-175, currency="EUR",
        occurred_at=datetime(2026, 2, 14, tzinfo=UTC), source="stripe", reference="fee_1",
    )  # fmt: skip
    paid(make_contribution(make_contributor(email="x@example.org"), status="active"), 0,
         date(2026, 1, 9))  # fmt: skip
    return donor, payments, gift


def test_the_receipts_list_shows_every_payment_of_the_donor_only(two_years_of_giving):
    donor, payments, gift = two_years_of_giving
    page = signed_in(donor).get("/support/manage/receipts/").content.decode()
    for payment in [*payments, gift]:
        assert f"RF-{payment.pk:08d}" in page
    assert page.count("RF-") == 4
    assert "/support/manage/statement/2026/" in page and "/support/manage/statement/2025/" in page
    assert DONOR not in page and "Private Name" not in page


def test_a_receipt_prints_with_the_newsrooms_legal_name_and_nothing_personal(
    two_years_of_giving,
):
    from tests.factories import make_home

    make_home()
    from newsroom.models import NewsroomSettings

    NewsroomSettings.objects.update(legal_name="Free Press Foundation gGmbH")
    donor, _, gift = two_years_of_giving
    response = signed_in(donor).get(f"/support/manage/receipts/{gift.pk}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Free Press Foundation gGmbH" in page and f"RF-{gift.pk:08d}" in page
    assert "€50.00" in page and "Refunded" in page
    assert DONOR not in page and "Private Name" not in page
    assert "no-store" in response["Cache-Control"]


def test_someone_elses_receipt_is_not_found(two_years_of_giving):
    donor, _, _ = two_years_of_giving
    other = Payment.objects.exclude(contribution__contributor=donor).get()
    assert signed_in(donor).get(f"/support/manage/receipts/{other.pk}/").status_code == 404
    assert signed_in(donor).get("/support/manage/statement/2019/").status_code == 404


def test_the_yearly_statements_totals_equal_the_ledgers(two_years_of_giving):
    from django.db.models import Sum

    donor, _, _ = two_years_of_giving
    client = signed_in(donor)
    for year in (2025, 2026):
        page = client.get(f"/support/manage/statement/{year}/").content.decode()
        entries = LedgerEntry.objects.filter(
            contribution__contributor=donor, occurred_at__year=year
        ).exclude(kind="fee")
        for row in entries.values("currency").annotate(total=Sum("amount")):
            from contributions.money import Money

            net = Money(row["total"], row["currency"])
            assert f'<td class="statement-total">{net}</td>' in page, (year, net)
    page_2026 = client.get("/support/manage/statement/2026/").content.decode()
    assert "$10.00" in page_2026 and "€30.00" in page_2026 and "−€20.00" in page_2026


def test_the_yearly_statement_is_a_pdf_too(two_years_of_giving):
    donor, _, _ = two_years_of_giving
    response = signed_in(donor).get("/support/manage/statement/2025.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert "no-store" in response["Cache-Control"]
    assert 'filename="statement-2025.pdf"' in response["Content-Disposition"]
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Statement of contributions, 2025" in text
    assert "$20.00" in text  # November and December
    assert DONOR not in text and "Private Name" not in text


def test_notify_renewals_command_takes_a_day_and_refuses_a_bad_one(db):
    from django.core.management import CommandError, call_command

    make_contribution(
        make_contributor(email=DONOR), frequency="annual", status="active",
        next_charge_on=date(2027, 3, 5),
    )  # fmt: skip
    out = io.StringIO()
    call_command("notify-renewals", date="2027-02-20", stdout=out)
    call_command("notify-renewals", date="2027-02-26", stdout=out)
    assert out.getvalue().split("\n")[:2] == ["notices queued 0", "notices queued 1"]
    with pytest.raises(CommandError, match="not a date"):
        call_command("notify-renewals", date="26/02/2027")
