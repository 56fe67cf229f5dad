import pytest
from django.core.cache import cache

from tests import factories

pytest_plugins = [
    "tests.mail_helpers",
    "tests.contributions.stripe_helpers",
]


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def newsroom(db):
    """A home page with two sections, as a newsroom starts."""
    home = factories.make_home()
    return {
        "home": home,
        "news": factories.make_section(home, "News"),
        "culture": factories.make_section(home, "Culture"),
    }


@pytest.fixture
def author(db):
    return factories.make_author()


@pytest.fixture
def article(newsroom, author):
    image = factories.make_image()
    return factories.make_article(
        newsroom["news"],
        "Dam inquiry opens",
        tags=["courts", "energy"],
        authors=[author],
        image=image,
        credit="Kremlin Archive",
    )
