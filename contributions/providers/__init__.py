"""Payment providers, registered by name and loaded lazily (healthchecks' TRANSPORTS)."""

from functools import cache

from django.utils.module_loading import import_string

PROVIDERS = {
    "stripe": "contributions.providers.stripe.StripeProvider",
    "offline": "contributions.providers.offline.OfflineProvider",
}


@cache
def get(name: str):
    """The provider registered as `name`. Raises KeyError for an unknown name."""
    return import_string(PROVIDERS[name])()


def choices():
    return [(name, get(name).verbose_name) for name in PROVIDERS]
