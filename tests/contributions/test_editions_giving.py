"""One install, two editions, one ledger: a gift made from a Russian page is receipted in
Russian with links to the Russian edition, one from an English page in English; both count
towards the same funding figures."""

import json
import re

import pytest
from django.urls import reverse
from django.utils import translation

from contributions.forms import CheckoutForm
from contributions.models import Contribution, LedgerEntry
from tests.contributions.stripe_helpers import save_card
from tests.factories import make_edition


@pytest.fixture
def two_editions(newsroom, stripe_settings, mailbox):
    make_edition(newsroom["home"], name="Тестовый вестник")
    return newsroom


def give_from(client, capture, page: str, email: str) -> Contribution:
    """What the checkout page's script does: POST /api/checkout with the page's language,
    save the card at the provider, then complete."""
    html = client.get(page).content.decode()
    (language,) = re.findall(r'<html lang="([^"]+)">', html)
    gift = {"frequency": "monthly", "amount": 1000, "currency": "USD", "email": email,
            "provider": "stripe", "language": language}  # fmt: skip
    with capture(execute=True):
        started = client.post("/api/checkout", json.dumps(gift), content_type="application/json")
        assert started.status_code == 201, started.content
        body = started.json()
        save_card(body["reference"])
        done = client.post(
            f"/api/contributions/{body['contribution']}/complete",
            json.dumps({"reference": body["reference"]}),
            content_type="application/json",
        )
    assert done.status_code == 200, done.content
    return Contribution.objects.get(pk=body["contribution"])


def text_of(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def test_a_gift_from_a_russian_page_is_receipted_in_russian_and_an_english_one_in_english(
    client, two_editions, mailbox, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    russian = give_from(client, capture, "/ru/support/checkout/?amount=1000", "ru@example.org")
    english = give_from(client, capture, "/support/checkout/?amount=1000", "en@example.org")
    assert (russian.language, english.language) == ("ru", "en")

    by_address = {m["To"].addresses[0].addr_spec: m for m in mailbox.wait_for(2)}
    russian_text = text_of(by_address["ru@example.org"])
    english_text = text_of(by_address["en@example.org"])
    assert "Спасибо, что поддерживаете" in russian_text and "10,00\xa0$" in russian_text
    assert "Тестовый вестник" in by_address["ru@example.org"]["Subject"]
    assert "http://testserver/ru/support/manage/" in russian_text
    assert "Thank you for supporting" in english_text and "$10.00" in english_text
    assert "The Test Ledger" in by_address["en@example.org"]["Subject"]
    assert "/ru/" not in english_text and "Спасибо" not in english_text
    # One ledger for both editions.
    assert LedgerEntry.objects.filter(kind="charge").count() == 2


def test_the_no_script_form_keeps_the_language_of_the_page_it_is_posted_from(two_editions):
    """/ru/support/give/ (the form for ways that need no card) is read in Russian: the gift
    made there is written to in Russian."""
    gift = {"frequency": "once", "amount": 1000, "currency": "USD", "email": "ru@example.org",
            "provider": "stripe"}  # fmt: skip
    for language, give_url in [("ru", "/ru/support/give/"), ("en", "/support/give/")]:
        with translation.override(language):
            assert reverse("contributions:give") == give_url
            form = CheckoutForm(gift)
            assert form.is_valid(), form.errors
        assert form.cleaned_data["language"] == language


def test_a_language_no_edition_speaks_is_refused_with_a_field_message(client, two_editions):
    gift = {"frequency": "once", "amount": 1000, "currency": "USD", "email": "x@example.org",
            "language": "de"}  # fmt: skip
    response = client.post("/api/checkout", json.dumps(gift), content_type="application/json")
    assert response.status_code == 400
    assert "language" in response.json()["errors"]


def test_the_api_answers_a_russian_page_in_russian(client, two_editions):
    """Field messages and a declined card's message are shown on the checkout page: in its
    language, though the API is one for both editions."""
    bad = {"frequency": "once", "amount": 1000, "currency": "USD", "email": "нет",
           "provider": "stripe", "language": "ru"}  # fmt: skip
    response = client.post("/api/checkout", json.dumps(bad), content_type="application/json")
    assert response.status_code == 400
    (message,) = response.json()["errors"]["email"]
    assert re.search("[а-я]", message) and not re.search("[A-Za-z]", message)

    gift = bad | {"email": "ru@example.org"}
    started = client.post("/api/checkout", json.dumps(gift), content_type="application/json")
    body = started.json()
    save_card(body["reference"], number="4000000000000341")  # saves; its charge is declined
    done = client.post(
        f"/api/contributions/{body['contribution']}/complete",
        json.dumps({"reference": body["reference"]}),
        content_type="application/json",
    )
    assert done.status_code == 402
    assert done.json()["message"].startswith("Ваш банк отклонил карту")
