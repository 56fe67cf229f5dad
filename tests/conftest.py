import pytest
from django.core.cache import cache, caches
from django.test import Client

from readerfund.lib import fragments
from tests import factories

pytest_plugins = [
    "tests.mail_helpers",
    "tests.contributions.stripe_helpers",
    "tests.contributions.btcpay_helpers",
    "tests.faults.proxy_helpers",
    "tests.redis_server",
]


# Fixtures through which a test reaches the test database (pytest-django's, and every fixture
# built on them, which pytest lists among the test's fixtures too).
DATABASE_FIXTURES = {"db", "transactional_db", "django_db_reset_sequences", "live_server"}


def pytest_collection_modifyitems(config, items):
    """A test marked `database_independent` is left out of the PostgreSQL pass (Makefile): one
    that asks for the test database could depend on it, and is refused."""
    wrong = [
        item.nodeid
        for item in items
        if item.get_closest_marker("database_independent")
        and (item.get_closest_marker("django_db") or DATABASE_FIXTURES & set(item.fixturenames))
    ]
    if wrong:
        raise pytest.UsageError(
            "marked database_independent but using the test database: " + ", ".join(wrong)
        )


@pytest.fixture(autouse=True)
def _fresh_cache():
    _clear_caches()
    yield
    _clear_caches()


def _clear_caches():
    # Clearing the cache starts the page generation again, and a test's own transaction
    # never fires the on_commit bumps: forget the kept fragments too, or a test would see
    # the previous one's.
    from readerfund.lib import pagegen

    cache.clear()
    caches["pages"].clear()
    caches["renditions"].clear()  # ids come again after each test's rollback
    pagegen.forget()
    fragments.forget()


@pytest.fixture(autouse=True)
def _fresh_process_memory():
    """Appeal events are counted, mapped and rate-limited in process memory: each test
    starts with nothing there, as with the cache."""
    from appeals import counting, events

    counting.forget()
    events.forget()
    yield
    counting.forget()
    events.forget()


@pytest.fixture(autouse=True)
def _staff_pass_the_second_factor(monkeypatch):
    """A user signed in with `force_login` (and pytest-django's `admin_client`) gets a
    session that has passed the second factor, as staff's does at /admin/2fa/verify/.
    tests/readerfund/test_staff.py signs in without it (`password_only_login`)."""
    from tests.staff_helpers import pass_second_factor

    original = Client.force_login

    def force_login(self, user, backend=None):
        original(self, user, backend)
        pass_second_factor(self, user)

    monkeypatch.setattr(Client, "force_login", force_login)


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
