"""The reader's choice of gift: what a query string asks for (frequency, amount or other,
currency, appeal, variant) and how it is said ("Give $10.00 monthly").

`read_choice` reads leniently for `/support/` (anything that is not valid is ignored and the
defaults are shown) and strictly for the checkout step (each problem becomes a message next to
its field). The contribution form's template tag (templatetags/giving.py) renders a choice.
"""

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from contributions import providers
from contributions.models import CurrencyOption, Frequency
from contributions.money import Money, MoneyError, parse_major

DEFAULT_FREQUENCY = Frequency.MONTHLY
# Appeal and variant ids travel through URLs into the database: short and plain, or dropped.
TRACKING_ID = re.compile(r"[A-Za-z0-9_.:-]{1,64}")

# "$10.00 monthly": the amount and how often, as the pay button and the summaries say it.
GIVE_PHRASES = {
    Frequency.ONCE: gettext_lazy("Give %(amount)s once"),
    Frequency.MONTHLY: gettext_lazy("Give %(amount)s monthly"),
    Frequency.ANNUAL: gettext_lazy("Give %(amount)s annually"),
}
GIFT_PHRASES = {
    Frequency.ONCE: gettext_lazy("%(amount)s once"),
    Frequency.MONTHLY: gettext_lazy("%(amount)s monthly"),
    Frequency.ANNUAL: gettext_lazy("%(amount)s annually"),
}


def offered_currencies() -> list[CurrencyOption]:
    return list(CurrencyOption.objects.filter(enabled=True).prefetch_related("presets"))


@dataclass
class Choice:
    """What the reader chose (or is offered first): frequency, currency, amount."""

    currencies: list[CurrencyOption]
    frequency: str = DEFAULT_FREQUENCY
    currency: str = ""
    amount: Money | None = None
    other: str = ""  # what the "Other amount" field shows
    appeal: str = ""
    variant: str = ""
    errors: dict[str, list[str]] = field(default_factory=dict)

    @property
    def option(self) -> CurrencyOption | None:
        return next((o for o in self.currencies if o.code == self.currency), None)

    def presets(self, currency: str | None = None, frequency: str | None = None) -> list[Money]:
        preset = _preset(self.currencies, currency or self.currency, frequency or self.frequency)
        code = currency or self.currency
        return [Money(int(value), code) for value in preset.amounts] if preset else []

    @property
    def is_preset(self) -> bool:
        return self.amount is not None and self.amount in self.presets()

    @property
    def give_label(self) -> str:
        return GIVE_PHRASES[self.frequency] % {"amount": self.amount}

    @property
    def gift_label(self) -> str:
        return GIFT_PHRASES[self.frequency] % {"amount": self.amount}

    def query(self) -> dict[str, str]:
        """The query string that asks for this choice again (the checkout's "Change" link)."""
        values = {
            "frequency": self.frequency,
            "amount": str(self.amount.major) if self.amount else "",
            "currency": self.currency,
            "appeal": self.appeal,
            "variant": self.variant,
        }
        return {key: value for key, value in values.items() if value}


def _preset(currencies, currency: str, frequency: str):
    option = next((o for o in currencies if o.code == currency), None)
    if option is None:
        return None
    return next((p for p in option.presets.all() if p.frequency == frequency), None)


def read_choice(query, *, strict: bool = False, currencies=None) -> Choice:
    """The choice a query string asks for (frequency, amount or other, currency, appeal,
    variant). Not strict: what is invalid is ignored. Strict: `errors` says what is wrong."""
    currencies = offered_currencies() if currencies is None else currencies
    choice = Choice(currencies=currencies)
    choice.appeal = _tracking_id(query.get("appeal"))
    choice.variant = _tracking_id(query.get("variant"))
    if not currencies:
        choice.errors["currency"] = [_("Giving online is not open yet.")]
        return choice
    _read_frequency(choice, query.get("frequency"), strict)
    _read_currency(choice, query.get("currency"), strict)
    _read_amount(choice, _text(query.get("other")) or _text(query.get("amount")), strict)
    _follow_frequency(choice, query)
    return choice


def _follow_frequency(choice: Choice, query) -> None:
    """Without JavaScript the preset amounts on the form stay those of the frequency it was
    drawn for (`shown`). A reader who changed only the frequency left that frequency's
    default checked: they get the default of the frequency they chose instead."""
    shown = _text(query.get("shown")).lower()
    if shown not in Frequency.values or shown == choice.frequency or choice.errors:
        return
    if _text(query.get("other")) or choice.amount is None:
        return
    before = _preset(choice.currencies, choice.currency, shown)
    if before and choice.amount.amount == before.default_amount:
        _set_default_amount(choice)
        choice.other = ""


def _text(value) -> str:
    return value.strip()[:32] if isinstance(value, str) else ""


def _tracking_id(value) -> str:
    value = value.strip() if isinstance(value, str) else ""
    return value if TRACKING_ID.fullmatch(value) else ""


def _read_frequency(choice: Choice, value, strict: bool) -> None:
    value = _text(value).lower()
    if value in Frequency.values:
        choice.frequency = value
    elif strict:
        choice.errors["frequency"] = [_("Choose once, monthly or annual.")]


def _read_currency(choice: Choice, value, strict: bool) -> None:
    codes = [option.code for option in choice.currencies]
    value = _text(value).upper()
    if value in codes:
        choice.currency = value
        return
    choice.currency = codes[0]
    if strict and value:
        choice.errors["currency"] = [_("We do not accept this currency.")]


def _read_amount(choice: Choice, text: str, strict: bool) -> None:
    option = choice.option
    problem = None
    try:
        amount = parse_major(text, option.code) if text else None
    except MoneyError:
        amount, problem = None, _("Enter an amount as a number, such as 25 or 25.50.")
    if amount is not None:
        if amount.amount < option.minimum:
            problem = _("The smallest amount is %(min)s.") % {
                "min": Money(option.minimum, option.code)
            }
        elif amount.amount > option.maximum:
            problem = _("The largest amount is %(max)s.") % {
                "max": Money(option.maximum, option.code)
            }
    if not strict:
        if amount is not None and problem is None:
            _set_amount(choice, amount, text)
        else:
            _set_default_amount(choice)
        return
    if problem is None and amount is None:
        problem = _("Choose an amount or enter another one.")
    if problem:
        choice.errors["amount"] = [problem]
        choice.other = text  # shown again, so the reader can correct it
        _set_default_amount(choice, check=False)
    else:
        _set_amount(choice, amount, text)


def _set_amount(choice: Choice, amount: Money, text: str) -> None:
    choice.amount = amount
    choice.other = "" if choice.is_preset else text


def _set_default_amount(choice: Choice, *, check: bool = True) -> None:
    preset = _preset(choice.currencies, choice.currency, choice.frequency)
    if check and preset and preset.default_amount:
        choice.amount = Money(preset.default_amount, choice.currency)


def ways_marks(choice: Choice, names: list[str] | None = None) -> list[dict]:
    """The marks of the enabled ways to give (or of `names`), each with the currencies its
    provider takes among those offered; hidden while another currency is chosen."""
    marks = []
    for name in providers.enabled() if names is None else names:
        provider = providers.get(name)
        codes = [option.code for option in choice.currencies if provider.accepts(option.code)]
        for mark in provider.marks() if codes else []:
            marks.append(
                {
                    "svg": mark.svg,
                    "label": mark.label,
                    "way": name,
                    "currencies": " ".join(codes),
                    "hidden": bool(choice.currency) and choice.currency not in codes,
                }
            )
    return marks
