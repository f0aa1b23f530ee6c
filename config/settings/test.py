"""Test settings: fast hashing, in-memory SQLite unless DATABASE_URL says PostgreSQL."""

import os

import dj_database_url

from config.settings.base import *  # noqa: F403

DEBUG = False
DEMO_MODE = True
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
DATABASES = {
    "default": dj_database_url.parse(os.environ.get("DATABASE_URL", "sqlite:///:memory:")),
}
AXES_ENABLED = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Tests run inside transactions that never commit, so the data version (core.data_version) never moves: a page
# cached in one test would be served to the next. The page cache has its own tests
# (contracts/tests/test_page_cache.py), which switch to a real cache and commit for real.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
# The API's rate limits never answer 429 to the suite (schemathesis, the API tests); their own test lowers them and
# gives the cache a memory (tests/test_api_throttling.py).
API_THROTTLE_RATES = {"anon": "1000000/min", "user": "1000000/min"}
