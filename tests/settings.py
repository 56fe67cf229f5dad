"""Test settings: the real settings, with a throwaway data dir and, when TEST_DATABASE_URL is
set, PostgreSQL instead of SQLite."""

import os
import tempfile

os.environ["READERFUND_DATA_DIR"] = tempfile.mkdtemp(prefix="readerfund-test-")
os.environ.setdefault("READERFUND_SITE_URL", "http://testserver")
os.environ.setdefault("READERFUND_ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")

from readerfund.settings import *  # noqa: E402,F403
from readerfund.settings import DATA_DIR, DATABASES  # noqa: E402

if os.environ.get("TEST_DATABASE_URL"):
    import dj_database_url

    DATABASES["default"] = dj_database_url.parse(os.environ["TEST_DATABASE_URL"])
    # A name of this run's own, so that two runs on one server never drop each other's.
    DATABASES["default"]["TEST"] = {"NAME": f"test_readerfund_{os.getpid()}"}

CACHES = {
    "default": {
        "BACKEND": "readerfund.lib.cache.FileCache",
        "LOCATION": str(DATA_DIR / "cache"),
    },
    "pages": {
        "BACKEND": "readerfund.lib.cache.FileCache",
        "LOCATION": str(DATA_DIR / "pages"),
    },
    "renditions": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
}
# Tests play several processes in one: each must see a bump at once.
PAGE_CACHE_GENERATION_TTL = 0
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# No flusher thread writing appeal events behind each test's transaction: tests write them
# with appeals.counting.flush() (tests/appeals/test_shutdown.py runs the thread, for real).
APPEAL_EVENTS_FLUSH = None
