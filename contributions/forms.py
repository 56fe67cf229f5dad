"""Validation of what readers send: every error is a message next to its field."""

from django import forms
from django.conf import settings
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from contributions import providers
from contributions.models import CurrencyOption, Frequency
from contributions.money import Money


def currency_options() -> dict[str, CurrencyOption]:
    return {option.code: option for option in CurrencyOption.objects.filter(enabled=True)}


class CheckoutForm(forms.Form):
    """POST /api/checkout: amount in integer minor units."""

    frequency = forms.ChoiceField(choices=Frequency.choices)
    amount = forms.IntegerField()
    currency = forms.CharField(max_length=3)
    # Required, unless the provider takes anonymous gifts without one (clean below).
    email = forms.EmailField(max_length=254, required=False)
    name = forms.CharField(max_length=200, required=False)
    anonymous = forms.BooleanField(required=False)
    cover_fee = forms.BooleanField(required=False)
    appeal = forms.CharField(max_length=64, required=False)
    variant = forms.CharField(max_length=64, required=False)
    provider = forms.CharField(max_length=20, required=False)
    # The edition the donor gives from: their receipts and notices are written in it. Empty:
    # the request's (the page's, for the form posted from /ru/support/…).
    language = forms.ChoiceField(choices=[("", "")] + settings.LANGUAGES, required=False)

    def clean_language(self):
        return self.cleaned_data["language"] or get_language()

    def clean_provider(self):
        """The provider named (one readers give through at checkout), else the first."""
        named = self.cleaned_data["provider"]
        name = named or providers.at_checkout()
        currency = str(self.data.get("currency") or "").upper()
        # A way named but not set up on this install cannot take the gift: refused here,
        # not after the donor's details are stored (the schema does not offer it either).
        taken = providers.takes(name, currency)
        if not taken or (named and not providers.get(name).is_configured()):
            raise forms.ValidationError(_("We do not take payments this way."), code="provider")
        return name

    def clean_currency(self):
        code = self.cleaned_data["currency"].upper()
        self.option = currency_options().get(code)
        if self.option is None:
            raise forms.ValidationError(_("We do not accept this currency."), code="currency")
        return code

    def clean(self):
        data = super().clean()
        option = getattr(self, "option", None)
        amount = data.get("amount")
        if option is None or amount is None:
            return data
        if amount < option.minimum:
            self.add_error(
                "amount",
                _("The smallest amount is %(min)s.") % {"min": Money(option.minimum, option.code)},
            )
        elif amount > option.maximum:
            self.add_error(
                "amount",
                _("The largest amount is %(max)s.") % {"max": Money(option.maximum, option.code)},
            )
        data["fee_amount"] = 0
        if data.get("cover_fee") and not self.errors:
            provider = providers.get(data["provider"])
            fee = provider.fee_estimate(Money(amount, option.code))
            data["fee_amount"] = fee.amount
        if data.get("anonymous"):
            data["name"] = ""
        self._require_email(data)
        return data

    def _require_email(self, data) -> None:
        """An email is needed for the receipt, except for an anonymous gift through a
        provider that takes one without (the thank-you page is then the receipt)."""
        if data.get("email") or "email" in self.errors:
            return
        provider = data.get("provider")
        if provider and data.get("anonymous") and providers.get(provider).email_optional:
            return
        self.add_error("email", forms.Field.default_error_messages["required"])
