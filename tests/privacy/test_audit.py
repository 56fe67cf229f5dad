"""The audit log: staff's and donors' actions on money and personal data, kept without any
personal data, never changed, visible to staff allowed to see it."""

import json
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client

from contributions.services.refunds import RefundRefused, refund_payment
from privacy import audit
from privacy.models import AuditEvent, AuditLogIsAppendOnly
from tests.contributions.stripe_helpers import give

DONOR = "vera.donor@example.org"


@pytest.fixture
def finance(db):
    user = get_user_model().objects.create_superuser("finance", "f@example.org", "pw")
    client = Client()
    client.force_login(user)
    return client, user


def events():
    return list(AuditEvent.objects.order_by("pk").values_list("action", "via", "actor", "target"))


def nothing_personal(event):
    text = json.dumps([event.target, event.details])
    assert "@" not in text and "Vera" not in text


def test_a_refund_is_audited_with_who_what_and_how_much(finance, stripe_settings):
    client, user = finance
    contribution, _ = give("once", 2500, email=DONOR, name="Vera Donor")
    payment = contribution.payments.get()
    client.post(f"/admin/giving/payments/{payment.pk}/refund/", {"amount": "5", "confirm": "on"})
    assert events() == [("refund", "admin", user.pk, f"payment:{payment.pk}")]
    event = AuditEvent.objects.get()
    assert event.details == {"amount": 500, "currency": "USD", "status": "done"}
    nothing_personal(event)


def test_a_refused_refund_is_audited_too(finance, stripe_settings, monkeypatch):
    from contributions import providers
    from contributions.providers.base import ProviderError

    _, user = finance
    contribution, _ = give("once", 2500, email=DONOR)
    provider = providers.get("stripe")

    def refuses(*args, **kwargs):  # localstripe refunds whatever it is asked
        raise ProviderError("no", code="charge_disputed")

    monkeypatch.setattr(type(provider), "refund", refuses)
    with pytest.raises(RefundRefused):
        refund_payment(contribution.payments.get(), 500, user)
    assert AuditEvent.objects.get().details["status"] == "failed"


def test_an_offline_gift_is_audited(finance):
    client, user = finance
    client.post(
        "/admin/giving/offline/",
        {"email": DONOR, "name": "Vera", "amount": "150.00", "currency": "EUR",
         "received_on": "2026-11-20", "reference": "SEPA 4411"},
    )  # fmt: skip
    event = AuditEvent.objects.get()
    assert (event.action, event.via, event.actor) == ("offline_gift", "admin", user)
    assert event.details == {"amount": 15000, "currency": "EUR"}
    nothing_personal(event)


def test_an_erasure_by_command_is_audited_with_counts_only(stripe_settings, db, monkeypatch):
    give("monthly", 1000, email=DONOR, name="Vera Donor")
    monkeypatch.setattr("sys.stdin", StringIO(DONOR))
    call_command("erase-donor", stdout=StringIO())
    event = AuditEvent.objects.get()
    assert (event.action, event.via, event.actor) == ("erasure", "command", None)
    assert event.details["contributors"] == 1
    nothing_personal(event)
    monkeypatch.setattr("sys.stdin", StringIO(DONOR))
    call_command("erase-donor", stdout=StringIO())  # nothing left: nothing to audit
    assert AuditEvent.objects.count() == 1


def test_an_export_with_donors_is_audited_and_one_without_is_not(stripe_settings, db):
    give("once", 1000, email=DONOR)
    call_command("export-ledger", "--since", "2000-01-01", stdout=StringIO(), stderr=StringIO())
    assert not AuditEvent.objects.exists()
    call_command(
        "export-ledger", "--since", "2000-01-01", "--with-donors",
        stdout=StringIO(), stderr=StringIO(),
    )  # fmt: skip
    event = AuditEvent.objects.get()
    assert (event.action, event.via) == ("export_donors", "command")
    assert event.details == {"since": "2000-01-01", "until": "", "entries": 1}


def test_the_audit_log_refuses_an_email_address(db):
    with pytest.raises(ValueError):
        audit.record(audit.Action.STOP, via=audit.Via.ADMIN, target="someone@example.org")
    with pytest.raises(ValueError):
        audit.record(audit.Action.STOP, via=audit.Via.ADMIN, note="write to a@b.example")
    assert not AuditEvent.objects.exists()


def test_audit_events_are_never_changed_nor_deleted(db):
    event = audit.record(audit.Action.STOP, via=audit.Via.DONOR, target="contribution:x")
    event.target = "changed"
    with pytest.raises(AuditLogIsAppendOnly):
        event.save()
    with pytest.raises(AuditLogIsAppendOnly):
        event.delete()


def test_staff_who_may_see_it_read_the_log_and_cannot_edit_it(finance, db):
    client, _ = finance
    audit.record(audit.Action.STOP, via=audit.Via.DONOR, target="contribution:abc")
    page = client.get("/admin/audit-log/")
    assert page.status_code == 200
    assert "Stopped a recurring contribution" in page.content.decode()
    assert client.get("/admin/audit-log/new/").status_code in (302, 403)


def test_editors_without_the_permission_do_not_see_the_log(db):
    from django.contrib.auth.models import Permission

    editor = get_user_model().objects.create_user("editor", "e@example.org", "pw")
    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client = Client()
    client.force_login(editor)
    assert client.get("/admin/audit-log/").status_code in (302, 403)


def test_a_donor_stopping_and_erasing_through_their_link_is_audited(stripe_settings, db):
    from tests.contributions.manage_helpers import post, signed_in

    contribution, _ = give("monthly", 1000, email=DONOR)
    client = signed_in(contribution.contributor)
    assert post(client, f"/support/manage/stop/{contribution.pk}/").status_code == 303
    assert post(client, "/support/manage/erase/", {"confirm": "yes"}).status_code == 200
    assert events() == [
        ("stop", "donor", None, f"contribution:{contribution.pk}"),
        ("erasure", "donor", None, ""),
    ]
    for event in AuditEvent.objects.all():
        nothing_personal(event)
