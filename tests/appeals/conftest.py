import pytest

from appeals.models import Appeal, AppealVariant
from tests.funding.conftest import euro_rate, frozen, giving, monthly_cost  # noqa: F401


def make_appeal(slug="ad-free-modal", kind=Appeal.Kind.MODAL, variants=("a",), **fields):
    """An active appeal with variants of equal weight (or (key, weight) pairs)."""
    appeal = Appeal(name=fields.pop("name", slug), slug=slug, kind=kind, **fields)
    appeal.variants = [
        AppealVariant(
            key=spec if isinstance(spec, str) else spec[0],
            weight=1 if isinstance(spec, str) else spec[1],
            heading=f"Heading {spec if isinstance(spec, str) else spec[0]}",
            body="<p>Since {ad_free_since}, no ads. It costs {monthly_cost} a month.</p>",
        )
        for spec in variants
    ]
    appeal.save()
    return appeal


@pytest.fixture
def modal(db):
    return make_appeal(variants=("a", "b"), show_ticker=True, min_articles=3)


@pytest.fixture
def letter(db):
    return make_appeal(
        "editors-letter",
        Appeal.Kind.LETTER,
        variants=("a",),
        name="Letter",
    )
