"""Staff views beyond the generic lists: recording a gift that arrived offline, refunds."""

from datetime import time

from django import forms
from django.contrib import messages
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.auth import permission_required

from contributions import ledger, services
from contributions.forms import currency_options
from contributions.models import Contribution, Contributor, Frequency, LedgerEntry, Payment
from contributions.money import Money, MoneyError, parse_major
from privacy import audit
from privacy.crypto import email_index


class OfflineGiftForm(forms.Form):
    email = forms.EmailField(label=_("Donor's email"), help_text=_("For the receipt."))
    name = forms.CharField(label=_("Name"), required=False, max_length=200)
    anonymous = forms.BooleanField(label=_("Anonymous"), required=False)
    amount = forms.CharField(label=_("Amount"), help_text=_("For example 25.00"))
    currency = forms.ChoiceField(label=_("Currency"))
    received_on = forms.DateField(
        label=_("Received on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    reference = forms.CharField(
        label=_("Reference"),
        max_length=100,
        help_text=_("The bank transfer's reference or the cheque number: it must be unique."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["currency"].choices = [(code, code) for code in currency_options()]

    def clean(self):
        data = super().clean()
        if "amount" in data and "currency" in data:
            try:
                data["money"] = parse_major(data["amount"], data["currency"])
            except MoneyError as error:
                self.add_error("amount", str(error))
        if (
            "reference" in data
            and LedgerEntry.objects.filter(
                source="staff", reference=data["reference"], kind="charge"
            ).exists()
        ):
            self.add_error("reference", _("A gift with this reference is already recorded."))
        return data


@transaction.atomic
def record_offline_gift(data: dict, staff_user) -> Contribution:
    """Store an offline gift as a paid one-off contribution with its ledger entry."""
    index = email_index(data["email"])
    contributor, _ = Contributor.objects.get_or_create(
        email_index=index, defaults={"email": data["email"].strip()}
    )
    if data["name"] and not data["anonymous"]:
        contributor.name = data["name"]
        contributor.save(update_fields=["name"])
    money = data["money"]
    contribution = Contribution.objects.create(
        contributor=contributor,
        frequency=Frequency.ONCE,
        amount=money.amount,
        currency=money.currency,
        anonymous=data["anonymous"],
        provider="offline",
        status=Contribution.Status.PAID,
    )
    payment = Payment.objects.create(
        contribution=contribution,
        period=0,
        due_on=data["received_on"],
        amount=money.amount,
        currency=money.currency,
        status=Payment.Status.SUCCEEDED,
        provider_reference=data["reference"],
    )
    when = timezone.make_aware(timezone.datetime.combine(data["received_on"], time(12)))
    ledger.record(
        contribution=contribution,
        payment=payment,
        kind=LedgerEntry.Kind.CHARGE,
        amount=money.amount,
        occurred_at=when,
        source="staff",
        reference=data["reference"],
        staff_user=staff_user,
    )
    from contributions import tasks

    transaction.on_commit(lambda: tasks.send_receipt.enqueue(payment.pk))
    audit.record(
        audit.Action.OFFLINE_GIFT,
        via=audit.Via.ADMIN,
        actor=staff_user,
        target=f"contribution:{contribution.pk}",
        amount=money.amount,
        currency=money.currency,
    )
    return contribution


@permission_required("contributions.add_contribution")
def offline_gift(request):
    form = OfflineGiftForm(request.POST or None, initial={"received_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        record_offline_gift(form.cleaned_data, request.user)
        messages.success(request, _("The gift is recorded; a receipt is on its way."))
        return redirect("contributions_offline_gift")
    return TemplateResponse(
        request,
        "contributions/admin/offline_gift.html",
        {"form": form, "page_title": _("Record an offline gift")},
        status=400 if form.errors else 200,
    )


# Refunds ------------------------------------------------------------------------------------


class RefundForm(forms.Form):
    amount = forms.CharField(label=_("Amount to refund"))
    confirm = forms.BooleanField(
        label=_("I have checked the amount: the money goes back to the donor"), required=True
    )

    def __init__(self, *args, payment, left, **kwargs):
        super().__init__(*args, **kwargs)
        self.payment, self.left = payment, left
        self.fields["amount"].help_text = _("In %(currency)s; at most %(most)s.") % {
            "currency": payment.currency,
            "most": Money(left, payment.currency).format(),
        }

    def clean_amount(self):
        try:
            money = parse_major(self.cleaned_data["amount"], self.payment.currency)
        except MoneyError:
            raise forms.ValidationError(_("Enter an amount such as 10.00.")) from None
        if not 0 < money.amount <= self.left:
            raise forms.ValidationError(
                _("Refund at most %(most)s.") % {"most": Money(self.left, money.currency).format()}
            )
        return money.amount


@permission_required("contributions.add_refund")
def refund(request, payment_pk):
    """Give a paid payment back, in full or in part: once, whatever the clicks."""
    payment = get_object_or_404(Payment.objects.select_related("contribution"), pk=payment_pk)
    left = services.refundable(payment)
    initial = {"amount": Money(left, payment.currency).major}
    form = RefundForm(request.POST or None, payment=payment, left=left, initial=initial)
    back = reverse("giving_contributions:inspect", args=[payment.contribution_id])
    if request.method == "POST" and form.is_valid():
        try:
            done = services.refund_payment(payment, form.cleaned_data["amount"], request.user)
        except services.RefundRefused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(
                request,
                _("%(amount)s refunded.") % {"amount": Money(done.amount, done.currency).format()},
            )
            return redirect(back)
    return TemplateResponse(
        request,
        "contributions/admin/refund.html",
        {
            "form": form,
            "payment": payment,
            "left": Money(left, payment.currency),
            "back": back,
            "page_title": _("Refund a payment"),
        },
        status=400 if form.errors else 200,
    )
