"""The ways to give come from the providers switched on for the reader's currency: their
marks under Continue (local SVGs), their forms on the checkout page; staff switch one off
at once, its renewals pause and its recurring donors are told once."""

import re
from datetime import date, timedelta

import pytest
from django.utils import timezone

from contributions import providers
from contributions.models import Contribution, Delivery, Payment
from contributions.services.renewals import charge_due
from tests.contributions.btcpay_helpers import give_form
from tests.contributions.factories import make_contribution, make_contributor, make_payment

MARKS = re.compile(r'<li data-currencies="([^"]*)" data-way="(\w+)"( hidden)?>')


@pytest.fixture
def three_ways(settings, greenfield):
    settings.STRIPE_SECRET_KEY = "sk_test_configured"
    settings.BANK_IBAN = "XX00 0000 0000 0000 0000 00"
    settings.BANK_CURRENCIES = ["EUR"]
    providers.get.cache_clear()


def marks(page: str) -> dict[str, tuple[str, bool]]:
    """way → (its currencies, hidden now)."""
    return {way: (codes, bool(hidden)) for codes, way, hidden in MARKS.findall(page)}


def test_the_marks_under_continue_are_exactly_the_ways_switched_on(client, db, three_ways):
    page = client.get("/support/").content.decode()
    found = marks(page)
    assert set(found) == {"stripe", "btcpay", "bank"}
    assert found["bank"] == ("EUR", True)  # shown when the reader picks EUR (support.js)
    assert found["btcpay"] == ("USD EUR GBP", False)
    assert 'aria-label="Bitcoin"' in page and 'aria-label="Visa"' in page
    assert "<img" not in page.split("data-payment-marks")[1].split("</ul>")[0]  # inline SVG
    euro = marks(client.get("/support/?currency=EUR").content.decode())
    assert euro["bank"] == ("EUR", False)


def test_a_way_not_set_up_has_no_mark(client, db, settings):
    settings.STRIPE_SECRET_KEY = ""
    settings.BANK_IBAN = ""
    settings.BTCPAY_URL = ""
    assert marks(client.get("/support/").content.decode()) == {}


def test_the_checkout_page_offers_each_way_without_javascript(client, db, three_ways):
    page = client.get("/support/checkout/?frequency=once&amount=15&currency=EUR")
    body = page.content.decode()
    forms = re.findall(
        r'<form class="checkout-form way" method="post" action="/support/give/" '
        r'data-way="(\w+)"',
        body,
    )
    assert forms == ["btcpay", "bank"]
    dollars = client.get("/support/checkout/?frequency=once&amount=15&currency=USD")
    assert 'data-way="bank"' not in dollars.content.decode().split("other-ways")[1]


def test_a_switched_off_way_disappears_at_once_and_takes_no_gift(
    client, admin_client, db, three_ways, greenfield
):
    admin_client.post("/admin/giving/providers/", {"provider": "btcpay", "enabled": "off"})
    assert "btcpay" not in marks(client.get("/support/").content.decode())
    checkout = client.get("/support/checkout/?frequency=once&amount=15&currency=USD")
    assert 'data-way="btcpay"' not in checkout.content.decode()
    response = give_form(client, provider="btcpay", email="", anonymous="on")
    assert response.status_code == 400
    assert "We do not take payments this way." in response.content.decode()
    assert greenfield.invoices == {} and not Contribution.objects.exists()
    admin_client.post("/admin/giving/providers/", {"provider": "btcpay", "enabled": "on"})
    assert "btcpay" in marks(client.get("/support/").content.decode())


def test_switching_off_pauses_renewals_and_tells_each_recurring_donor_once(
    admin_client, db, three_ways, mailbox, django_capture_on_commit_callbacks
):
    today = timezone.localdate()
    by_bank = [
        make_contribution(
            make_contributor(f"donor{i}@example.org"),
            provider="bank",
            status="active",
            currency="EUR",
            amount=1200,
            next_charge_on=today,
            frequency=frequency,
        )
        for i, frequency in enumerate(["monthly", "annual"])
    ]
    carded = make_contribution(
        make_contributor("card@example.org"), status="active", next_charge_on=date(2099, 1, 1)
    )
    make_contribution(
        make_contributor("stopped@example.org"), provider="bank", status="cancelled", currency="EUR"
    )
    for enabled in ("off", "on", "off"):
        with django_capture_on_commit_callbacks(execute=True):
            admin_client.post("/admin/giving/providers/", {"provider": "bank", "enabled": enabled})
    told = mailbox.wait_for(2)
    assert sorted(m["To"] for m in told) == ["donor0@example.org", "donor1@example.org"]
    assert "another way" in told[0].get_body(("plain",)).get_content()
    assert Delivery.objects.filter(kind="way_closed_notice").count() == 2
    assert charge_due()["claimed"] == 0  # paused: no period claimed
    assert not Payment.objects.filter(contribution__in=by_bank).exists()
    assert Contribution.objects.get(pk=carded.pk).status == "active"
    dashboard = admin_client.get("/admin/funding/").content.decode()
    assert "Monthly revenue at risk" in dashboard
    assert "€13.00" in dashboard  # 12.00 a month + 12.00 a year / 12


def test_only_staff_with_permission_switch_ways(client, db, three_ways):
    response = client.post("/admin/giving/providers/", {"provider": "bank", "enabled": "off"})
    assert response.status_code in (302, 403)
    assert "bank" not in providers.switched_off()


def test_switched_on_again_renewals_resume_without_charging_the_paused_periods(
    admin_client, db, three_ways
):
    today = timezone.localdate()
    contribution = make_contribution(
        provider="bank", status="active", currency="EUR", next_charge_on=today - timedelta(days=40)
    )
    make_payment(contribution, period=0, status="succeeded", due_on=today - timedelta(days=70))
    admin_client.post("/admin/giving/providers/", {"provider": "bank", "enabled": "off"})
    assert charge_due()["claimed"] == 0
    admin_client.post("/admin/giving/providers/", {"provider": "bank", "enabled": "on"})
    contribution.refresh_from_db()
    assert today <= contribution.next_charge_on < today + timedelta(days=32)


def test_the_funding_figures_count_every_way(
    client, db, three_ways, greenfield, settings, django_capture_on_commit_callbacks
):
    from contributions import tasks
    from contributions.services import statements
    from funding import services as funding
    from tests.contributions.btcpay_helpers import post_delivery

    settings.BANK_CURRENCIES = ["USD"]
    settings.READERFUND_BASE_CURRENCY = "USD"
    give_form(client, provider="btcpay", email="", anonymous="on")
    [invoice] = greenfield.invoices.values()
    greenfield.settle(invoice["id"])
    post_delivery(client, greenfield.deliveries[-1], capture=django_capture_on_commit_callbacks)
    give_form(client, provider="bank", amount=2500, email="reader@example.org")
    code = Contribution.objects.get(provider="bank").payment_method
    line = f"Date,Amount,Currency,Reference\n{timezone.localdate()},25.00,USD,{code}\n"
    with django_capture_on_commit_callbacks(execute=True):
        statements.import_statement("bank", line.encode(), "s.csv")
        tasks.apply_pending_events.call()
    month = funding.month_start(timezone.localdate())
    [figures] = funding.monthly_figures(month, month)
    assert figures.revenue == 1500 + 2500
    assert figures.supporters == 2
