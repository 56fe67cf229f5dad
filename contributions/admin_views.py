"""Staff views beyond the generic lists: recording a gift that arrived offline, refunds,
importing bank statements, switching ways to give on and off."""

from django import forms
from django.contrib import messages
from django.core import signing
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from wagtail.admin.auth import permission_required

from contributions import providers, tasks
from contributions.forms import currency_options
from contributions.models import LedgerEntry, Payment
from contributions.money import Money, MoneyError, parse_major
from contributions.services import refunds, statements, switching
from contributions.services.offline import record_offline_gift
from privacy import audit


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
                source=refunds.STAFF, reference=data["reference"], kind=LedgerEntry.Kind.CHARGE
            ).exists()
        ):
            self.add_error("reference", _("A gift with this reference is already recorded."))
        return data


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
    left = refunds.refundable(payment)
    initial = {"amount": Money(left, payment.currency).major}
    form = RefundForm(request.POST or None, payment=payment, left=left, initial=initial)
    back = reverse("giving_contributions:inspect", args=[payment.contribution_id])
    if request.method == "POST" and form.is_valid():
        try:
            done = refunds.refund_payment(payment, form.cleaned_data["amount"], request.user)
        except refunds.RefundRefused as refused:
            form.add_error(None, str(refused))
        else:
            amount = Money(done.amount, done.currency).format()
            if done.status == done.Status.REQUESTED:
                messages.warning(
                    request,
                    _(
                        "The refund of %(amount)s is waiting for the provider, which did not "
                        "answer. It is checked again within the hour: do not refund again."
                    )
                    % {"amount": amount},
                )
            else:
                messages.success(request, _("%(amount)s refunded.") % {"amount": amount})
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


# Bank statements ----------------------------------------------------------------------------

MAX_STATEMENT_BYTES = 10 * 1024 * 1024


class StatementForm(forms.Form):
    provider = forms.ChoiceField(label=_("Bank account"))
    file = forms.FileField(
        label=_("Statement"),
        help_text=_(
            "A CSV file with the columns set in READERFUND_BANK_CSV_COLUMNS, or a "
            "CAMT.053 XML file. Importing the same statement again changes nothing."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        names = statements.statement_providers()
        self.fields["provider"].choices = [(n, providers.get(n).verbose_name) for n in names]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_STATEMENT_BYTES:
            raise forms.ValidationError(_("The file is larger than 10 MB."))
        return upload


@permission_required("contributions.add_contribution")
def import_statement(request):
    """Upload a statement: matched lines become charges (once), unmatched ones are listed
    with a field each for the contribution's reference code."""
    form = StatementForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = statements.import_statement(
                form.cleaned_data["provider"], upload.read(), upload.name
            )
        except ValueError as error:
            form.add_error("file", str(error))
        else:
            tasks.apply_pending_events.call()
            _audit_import(request.user, result)
    return _statement_page(request, form, result)


def _audit_import(user, result) -> None:
    audit.record(
        audit.Action.STATEMENT_IMPORT,
        via=audit.Via.ADMIN,
        actor=user,
        lines=result.lines,
        new=result.new,
        already=result.already,
        unmatched=len(result.unmatched),
    )


def _statement_page(request, form, result, status=None):
    unmatched = [
        {"line": line, "token": statements.sign_line(line)}
        for line in (result.unmatched if result else [])
    ]
    context = {
        "form": form,
        "result": result,
        "unmatched": unmatched,
        "provider": form.data.get("provider") or "",
        "page_title": _("Import a bank statement"),
    }
    return TemplateResponse(
        request,
        "contributions/admin/import_statement.html",
        context,
        status=status or (400 if form.errors else 200),
    )


@permission_required("contributions.add_contribution")
@require_POST
def match_statement_line(request):
    """Staff match an unmatched line to a contribution by its reference code."""
    try:
        line = statements.unsign_line(request.POST.get("line", ""))
    except signing.BadSignature:
        messages.error(request, _("This line cannot be matched: import the statement again."))
        return redirect("contributions_import_statement")
    name = request.POST.get("provider", "")
    if name not in statements.statement_providers():
        messages.error(request, _("Choose the bank account the statement is from."))
        return redirect("contributions_import_statement")
    stored = statements.match_by_hand(name, line, request.POST.get("code", ""))
    if stored is None:
        messages.error(request, _("No contribution has this reference code in this currency."))
    else:
        tasks.apply_pending_events.call()
        audit.record(
            audit.Action.STATEMENT_MATCH,
            via=audit.Via.ADMIN,
            actor=request.user,
            target=f"line:{line.id}"[:100],
        )
        messages.success(
            request,
            _("The line is matched and recorded.")
            if stored
            else _("This line was recorded already."),
        )
    return redirect("contributions_import_statement")


# Switching providers off ----------------------------------------------------------------------


@permission_required("contributions.change_contribution")
def payment_providers(request):
    """Each way to give, on or off; switching one off takes effect at once."""
    if request.method == "POST":
        name, enabled = request.POST.get("provider", ""), request.POST.get("enabled") == "on"
        if name in providers.at_checkout_names():
            told = switching.switch(name, enabled=enabled, staff_user=request.user)
            if enabled:
                messages.success(request, _("Readers are offered this way to give again."))
            else:
                messages.success(
                    request,
                    _(
                        "Switched off. %(count)s recurring donors are told "
                        "they can continue another way."
                    )
                    % {"count": told},
                )
        return redirect("contributions_payment_providers")
    off = providers.switched_off()
    rows = [
        {
            "name": name,
            "label": providers.get(name).verbose_name,
            "configured": providers.get(name).is_configured(),
            "enabled": name not in off,
            "recurring": switching.recurring(name).count(),
        }
        for name in providers.at_checkout_names()
    ]
    context = {"rows": rows, "page_title": _("Ways to give")}
    return TemplateResponse(request, "contributions/admin/payment_providers.html", context)
