"""What readers send to ask for a reminder: every error is a message next to its field."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from contributions.choice import TRACKING_ID
from contributions.forms import currency_options
from contributions.models import Frequency
from contributions.money import Money
from reminders import dates


class ReminderForm(forms.Form):
    """POST /api/reminders and the /reminders/new/ page. The amount is in minor units."""

    email = forms.EmailField(max_length=254)
    remind_on = forms.DateField(input_formats=["%Y-%m-%d"])
    frequency = forms.ChoiceField(choices=Frequency.choices, required=False)
    amount = forms.IntegerField(required=False, min_value=1)
    currency = forms.CharField(max_length=3, required=False)
    appeal = forms.RegexField(rf"^{TRACKING_ID.pattern}\Z", required=False)
    variant = forms.RegexField(rf"^{TRACKING_ID.pattern}\Z", required=False)

    CHOICE_FIELDS = ("frequency", "amount", "currency", "appeal", "variant")

    def clean_remind_on(self):
        day = self.cleaned_data["remind_on"]
        today = timezone.localdate()
        if day <= today:
            raise forms.ValidationError(_("Choose a day after today."), code="past")
        if day > dates.latest(today):
            raise forms.ValidationError(_("Choose a day within a year from today."), code="too_far")
        return day

    def clean_currency(self):
        code = self.cleaned_data["currency"].strip().upper()
        if code and code not in currency_options():
            raise forms.ValidationError(_("We do not accept this currency."), code="currency")
        return code

    def clean(self):
        data = super().clean()
        amount, code = data.get("amount"), data.get("currency")
        if amount is None or "currency" in self.errors:
            return data
        if not code:
            self.add_error("currency", _("Give the currency of the amount."))
            return data
        option = currency_options()[code]
        if not option.minimum <= amount <= option.maximum:
            self.add_error(
                "amount",
                _("Choose an amount from %(min)s to %(max)s.")
                % {"min": Money(option.minimum, code), "max": Money(option.maximum, code)},
            )
        return data
