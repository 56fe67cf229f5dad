"""Staff write, target and preview appeals in the admin (Wagtail snippets)."""

import pytest
from django.core.exceptions import ValidationError

from appeals.models import Appeal, AppealVariant
from tests import factories
from tests.appeals.conftest import make_appeal

pytestmark = pytest.mark.django_db
BASE = "/admin/snippets/appeals/appeal/"


def inline(prefix, rows):
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "1",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        for name, value in row.items():
            data[f"{prefix}-{index}-{name}"] = value
        data[f"{prefix}-{index}-ORDER"] = str(index + 1)
        data[f"{prefix}-{index}-id"] = ""
        data[f"{prefix}-{index}-DELETE"] = ""
    return data


def rich(text):
    import json

    return json.dumps(
        {"blocks": [{"key": "k1", "type": "unstyled", "text": text, "depth": 0,
                     "inlineStyleRanges": [], "entityRanges": []}], "entityMap": {}}
    )  # fmt: skip


def form(**fields):
    data = {
        "name": "Winter drive",
        "slug": "winter-drive",
        "kind": "modal",
        "live": "on",
        "priority": "0",
        "min_articles": "2",
        "every_days": "",
        "dismiss_days": "30",
        "gave_days": "180",
        "countries": "",
    }
    data |= inline(
        "variants",
        [
            {"key": "a", "weight": "1", "heading": "Keep us going", "body": rich("Thank you.")},
            {
                "key": "b",
                "weight": "2",
                "heading": "Fill the gap",
                "body": rich("{percent} so far."),
            },
        ],
    )
    return data | fields


def test_staff_create_an_appeal_with_two_variants(admin_client):
    response = admin_client.post(f"{BASE}add/", form())
    assert response.status_code == 302, response.content.decode()[:3000]
    appeal = Appeal.objects.get(slug="winter-drive")
    assert [(v.key, v.weight) for v in appeal.variants.all()] == [("a", 1), ("b", 2)]
    assert appeal.cap_days == 7


def test_the_listing_links_each_appeal_to_its_statistics(admin_client, modal):
    text = admin_client.get(BASE).content.decode()
    assert "ad-free-modal" in text or modal.name in text
    assert f"/admin/appeals/stats/{modal.pk}/" in text
    assert "a (1), b (1)" in text


def test_an_unknown_placeholder_is_refused_with_the_known_ones_listed():
    variant = AppealVariant(key="a", body="<p>{montly_cost}</p>", appeal=Appeal(kind="modal"))
    with pytest.raises(ValidationError, match=r"\{montly_cost\}.*\{monthly_cost\}"):
        variant.clean()


def test_countries_are_kept_as_upper_case_codes():
    appeal = Appeal(name="x", slug="x", kind="header", countries=" ru,by ")
    appeal.full_clean()
    assert appeal.countries == "RU,BY"
    with pytest.raises(ValidationError):
        Appeal(name="y", slug="y", kind="header", countries="Russia").full_clean()


@pytest.mark.parametrize("mode", ["a", "b"])
def test_the_preview_shows_each_variant_as_readers_see_it(rf, admin_user, modal, mode):
    modal.variants.filter(key="b").update(heading="No ads, no trackers")
    modal.refresh_from_db()
    factories.make_home()
    request = rf.get("/")
    request.user = admin_user

    assert [key for key, _ in modal.preview_modes] == ["a", "b"]
    response = modal.serve_preview(request, mode).render()
    text = response.content.decode()

    heading = "Heading a" if mode == "a" else "No ads, no trackers"
    assert heading in text
    assert 'class="appeal-modal appeal-modal--preview"' in text
    assert f"/support/?appeal=ad-free-modal&amp;variant={mode}" in text
    assert "appeals.js" not in text  # nothing decided or counted in a preview


def test_the_letters_preview_shows_the_form(rf, admin_user, letter):
    factories.make_home()
    request = rf.get("/")
    request.user = admin_user
    text = letter.serve_preview(request, "a").render().content.decode()
    assert "data-contribution-form" in text
    assert "Remind me later." in text
    assert 'name="variant" value="a"' in text


def test_a_header_preview_shows_the_message_band(rf, admin_user):
    header = make_appeal("header", Appeal.Kind.HEADER)
    factories.make_home()
    request = rf.get("/")
    request.user = admin_user
    text = header.serve_preview(request, "a").render().content.decode()
    assert '<aside class="appeal-header"' in text
    assert "no ads" in text.lower()
