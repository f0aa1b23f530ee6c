"""Settings of the observation benchmark's server (``benchmarks/observation.py``): production-like, DEBUG off.

The database comes from ``DATABASE_URL`` as everywhere; only the URLconf changes, to add the bare yardstick view
(``benchmarks/bench_urls.py``) next to the project's pages, so that both are served by the same process.
"""

import os

from config.settings.base import *  # noqa: F403

DEBUG = False
DEMO_MODE = False
ROOT_URLCONF = "benchmarks.bench_urls"
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]

# ``benchmarks/dashboard.py`` measures the dashboard with and without the page cache (core.page_cache).
if os.environ.get("BENCH_PAGE_CACHE") == "off":
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
