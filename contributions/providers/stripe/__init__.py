"""Cards through Stripe: everything Readerfund knows about Stripe is in this package.

provider.py   StripeProvider: the contract (providers/base.py), through the official SDK
calls.py      calling Stripe: its errors as ours, the opaque ids each object carries
cards.py      the cards we take: brand names and the form's badges
facts.py      what Stripe's objects and webhook events say, as ChargeResults and Facts
browser.py    Stripe.js's address and what the checkout page's policy allows for it
emulator.py   localstripe on loopback, for the tests and the demo (never in production)
"""

from contributions.providers.stripe.provider import StripeProvider

__all__ = ["StripeProvider"]
