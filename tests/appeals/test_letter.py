"""The end-of-article letter every reader's page carries: one default variant, plain text and
a link to /support/ without JavaScript; and the hidden header message and modal markup."""

import re

import pytest

from appeals.models import Appeal
from tests.appeals.conftest import make_appeal

pytestmark = pytest.mark.django_db


def get(client, article, **headers):
    response = client.get(article.url, **headers)
    assert response.status_code == 200
    return response


def test_the_article_carries_the_default_letter_with_a_link_to_support(client, article, letter):
    text = get(client, article).content.decode()
    assert 'data-appeal-kind="letter" data-appeal-id="editors-letter"' in text
    assert "Heading a" in text
    assert 'href="/support/?appeal=editors-letter"' in text
    assert 'href="/reminders/new/?appeal=editors-letter"' in text
    # The form is there for appeals.js to reveal; without JavaScript it stays hidden.
    assert '<div class="appeal-letter__form" data-appeal-form hidden>' in text
    assert 'name="appeal" value="editors-letter"' in text


def test_the_letter_is_the_first_by_priority_and_skips_paused_variants(client, article):
    make_appeal("second", Appeal.Kind.LETTER, priority=5)
    make_appeal("first", Appeal.Kind.LETTER, variants=(("paused", 0), ("live", 1)), priority=1)
    text = get(client, article).content.decode()
    assert 'data-appeal-id="first"' in text
    assert "Heading live" in text


def test_no_letter_without_an_active_one(client, article):
    make_appeal("off", Appeal.Kind.LETTER, live=False)
    assert "appeal-letter" not in get(client, article).content.decode().split("</article>")[1]


def test_header_message_and_modal_are_in_every_page_hidden(client, article, modal):
    text = get(client, article).content.decode()
    assert '<aside class="appeal-header" data-appeal-kind="header"' in text
    assert 'data-appeal-kind="modal"' in text
    header = text.split('<aside class="appeal-header"')[1].split(">")[0]
    modal_tag = text.split('<dialog class="appeal-modal"')[1].split(">")[0]
    assert " hidden" in header and " hidden" in modal_tag
    assert "appeals/appeals.js" in text
    assert "contributions/support.js" in text


def test_the_article_is_byte_identical_for_two_readers(client, article, letter, modal):
    first = get(client, article, HTTP_USER_AGENT="Reader/1", HTTP_ACCEPT_LANGUAGE="ru")
    client.cookies["returning"] = "1"
    second = get(client, article, HTTP_USER_AGENT="Reader/2", HTTP_CF_IPCOUNTRY="RU")
    assert first.content == second.content
    assert not first.cookies and not second.cookies


def test_the_page_loads_no_inline_script_or_style(client, article, letter, modal):
    text = get(client, article).content.decode()
    assert "<style" not in text
    assert ' style="' not in text
    scripts = [chunk.split(">")[0] for chunk in text.split("<script")[1:]]
    assert all(" src=" in tag or 'type="application/json"' in tag for tag in scripts)


def test_giving_pages_run_no_appeal(client, newsroom, modal):
    text = client.get("/support/").content.decode()
    assert "appeals/appeals.js" not in text


def test_the_demo_letter_asks_for_no_less_than_the_smallest_monthly_amount(db):
    from appeals import demo
    from appeals.models import AppealVariant
    from contributions.models import AmountPreset

    demo.load()
    body = AppealVariant.objects.get(appeal__slug="editors-letter", key="a").body
    smallest = min(AmountPreset.objects.get(currency__code="USD", frequency="monthly").amounts)
    [named] = re.findall(r"monthly starting from just \$(\d+)", body)
    assert int(named) * 100 == smallest
