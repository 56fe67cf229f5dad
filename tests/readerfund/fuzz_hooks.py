"""Schemathesis hooks for tests/readerfund/test_api_fuzz.py, loaded by the `st` process
(SCHEMATHESIS_HOOKS). After a checkout starts, the card is saved at localstripe as Stripe.js
does in the reader's browser, so that the stateful phase's next step, /complete, charges it
as it would for a reader: no browser runs in the fuzz, and without this every /complete would
be a refused charge."""

import json
import os
import urllib.parse
import urllib.request

import schemathesis

CARD = {
    "payment_method_data[type]": "card",
    "payment_method_data[card][number]": "4242424242424242",
    "payment_method_data[card][exp_month]": "12",
    "payment_method_data[card][exp_year]": "2030",
    "payment_method_data[card][cvc]": "123",
}


@schemathesis.hook
def after_call(context, case, response):
    if case.operation.path != "/api/checkout" or response.status_code != 201:
        return
    started = json.loads(response.content)
    if started.get("action") == "save_card":
        _confirm(started["reference"])


def _confirm(setup_intent: str) -> None:
    request = urllib.request.Request(
        f"{os.environ['FUZZ_STRIPE_API']}/v1/setup_intents/{setup_intent}/confirm",
        data=urllib.parse.urlencode(CARD).encode(),
        headers={"Authorization": f"Bearer {os.environ['FUZZ_STRIPE_KEY']}"},
    )
    with urllib.request.urlopen(request, timeout=10) as answer:
        answer.read()
