"""The Greenfield stand-in for the tests: BTCPay Server (a .NET application with a Bitcoin
node) cannot run here, so `greenfield` starts contributions/providers/btcpay/standin.py on
loopback, a real HTTP server answering BTCPay's documented invoice endpoints and signing its
webhooks as BTCPay does, and points the BTCPAY_* settings at it for one test."""

import pytest

from contributions import providers
from contributions.providers.btcpay import standin


@pytest.fixture
def greenfield(settings):
    server, state = standin.serve(0)
    settings.BTCPAY_URL = state.base
    settings.BTCPAY_API_KEY = standin.API_KEY
    settings.BTCPAY_STORE_ID = standin.STORE
    settings.BTCPAY_WEBHOOK_SECRET = standin.WEBHOOK_SECRET
    settings.BTCPAY_CURRENCIES = []
    providers.get.cache_clear()
    yield state
    server.shutdown()
    server.server_close()
    providers.get.cache_clear()


def post_delivery(client, delivery, *, capture):
    """POST one webhook delivery (body, headers) the stand-in made to /webhooks/btcpay, and
    run what the answer enqueues (the drain)."""
    body, headers = delivery
    with capture(execute=True):
        return client.post(
            "/webhooks/btcpay",
            body,
            content_type="application/json",
            headers={"BTCPay-Sig": headers["BTCPay-Sig"]},
        )


def give_form(client, *, provider, frequency="once", amount=1500, currency="USD", **fields):
    """The checkout page's plain form for a way without a card (no JavaScript)."""
    data = {
        "provider": provider,
        "frequency": frequency,
        "amount": str(amount),
        "currency": currency,
        **fields,
    }
    return client.post("/support/give/", data)
