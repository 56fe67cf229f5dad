"""Payment providers, registered by name and loaded lazily (healthchecks' TRANSPORTS).

Which of them readers are offered is decided here, for every page and form alike: a
provider readers give through at checkout, configured, not switched off by staff
(`ProviderSwitch`), and taking the reader's currency."""

from functools import cache

from django.utils.module_loading import import_string

PROVIDERS = {
    "stripe": "contributions.providers.stripe.StripeProvider",
    "btcpay": "contributions.providers.btcpay.BTCPayProvider",
    "bank": "contributions.providers.bank.BankTransferProvider",
    "offline": "contributions.providers.offline.OfflineProvider",
}


@cache
def get(name: str):
    """The provider registered as `name`. Raises KeyError for an unknown name."""
    return import_string(PROVIDERS[name])()


def at_checkout_names() -> list[str]:
    """The providers readers give through at checkout, in the registry's order."""
    return [name for name in PROVIDERS if get(name).at_checkout]


def at_checkout() -> str:
    """The provider the checkout page offers: the first readers can give through."""
    return at_checkout_names()[0]


def switched_off() -> set[str]:
    """The providers staff have switched off: offered to no one, renewals paused."""
    from contributions.models import ProviderSwitch

    return set(ProviderSwitch.objects.filter(enabled=False).values_list("name", flat=True))


def enabled(currency: str | None = None) -> list[str]:
    """The providers readers are offered now (for `currency` when given), in order."""
    off = switched_off()
    return [
        name
        for name in at_checkout_names()
        if name not in off
        and get(name).is_configured()
        and (currency is None or get(name).accepts(currency))
    ]


def takes(name: str, currency: str = "") -> bool:
    """True when readers may give through `name` (in `currency`, when given): registered for
    checkout and not switched off. (Whether it is configured, the provider says when asked.)"""
    if name not in at_checkout_names() or name in switched_off():
        return False
    return not currency or get(name).accepts(currency)
