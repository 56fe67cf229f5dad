"""Money is an integer number of minor units with an ISO 4217 currency code. Never a float."""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from readerfund.lib import l10n

# Minor-unit exponents where they are not 2 (ISO 4217).
EXPONENTS = {"JPY": 0, "KRW": 0, "ISK": 0, "CLP": 0, "VND": 0, "BHD": 3, "KWD": 3, "OMR": 3}


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
        """'$10.00' in English, '10,00 $' in Russian: the active language's CLDR format."""
        return l10n.money(self.major, self.currency, exponent(self.currency))

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


def short_money(money: Money) -> str:
    """'$25' for a whole amount, '$25.50' otherwise: what a preset button shows."""
    places = exponent(money.currency)
    whole = money.amount % (10**places) == 0
    return l10n.money(money.major, money.currency, 0 if whole else places)
