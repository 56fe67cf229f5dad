"""Money is an integer number of minor units with an ISO 4217 currency code. Never a float."""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.utils.formats import number_format

# Minor-unit exponents where they are not 2 (ISO 4217).
EXPONENTS = {"JPY": 0, "KRW": 0, "ISK": 0, "CLP": 0, "VND": 0, "BHD": 3, "KWD": 3, "OMR": 3}
SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "RUB": "₽", "CHF": "CHF ", "JPY": "¥"}


class MoneyError(ValueError):
    """An amount that cannot be money: too many decimals, not a number, negative."""


def exponent(currency: str) -> int:
    return EXPONENTS.get(currency.upper(), 2)


@dataclass(frozen=True, order=True)
class Money:
    amount: int  # minor units: cents, pence, kopecks
    currency: str

    def __post_init__(self):
        if not isinstance(self.amount, int) or isinstance(self.amount, bool):
            raise MoneyError(f"amount must be an int of minor units, not {self.amount!r}")
        if len(self.currency) != 3 or not self.currency.isupper():
            raise MoneyError(f"currency must be an ISO 4217 code, not {self.currency!r}")

    def __add__(self, other: "Money") -> "Money":
        self._same_currency(other)
        return Money(self.amount + other.amount, self.currency)

    def __sub__(self, other: "Money") -> "Money":
        self._same_currency(other)
        return Money(self.amount - other.amount, self.currency)

    def _same_currency(self, other: "Money") -> None:
        if other.currency != self.currency:
            raise MoneyError(f"cannot mix {self.currency} and {other.currency}")

    @property
    def major(self) -> Decimal:
        """The amount in major units, exactly (for display and CSV only)."""
        return Decimal(self.amount).scaleb(-exponent(self.currency))

    def format(self) -> str:
        """'$10.00', '€25.00', '£5.00', in the active language's number format."""
        places = exponent(self.currency)
        number = number_format(self.major, decimal_pos=places, use_l10n=True, force_grouping=True)
        symbol = SYMBOLS.get(self.currency)
        if symbol:
            return f"-{symbol}{number.lstrip('-')}" if self.amount < 0 else f"{symbol}{number}"
        return f"{number} {self.currency}"

    def __str__(self) -> str:
        return self.format()


def parse_major(text: str, currency: str) -> Money:
    """'25', '25.5' or '25.50' in major units → Money(2550, currency). Rejects floats' junk."""
    try:
        value = Decimal(str(text).strip().replace(",", "."))
    except InvalidOperation:
        raise MoneyError(f"{text!r} is not an amount") from None
    if not value.is_finite():
        raise MoneyError(f"{text!r} is not an amount")
    places = exponent(currency)
    minor = value.scaleb(places)
    if minor != minor.to_integral_value():
        raise MoneyError(f"{text!r} has more than {places} decimals")
    if minor < 0:
        raise MoneyError("an amount cannot be negative")
    return Money(int(minor), currency.upper())
