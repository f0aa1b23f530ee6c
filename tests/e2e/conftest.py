"""Playwright fixtures: Debian's Chromium (never a downloaded browser), one browser per test.

Why one Playwright per test, and not a session-scoped browser
--------------------------------------------------------------
Playwright's sync API runs an asyncio event loop in the calling thread (through greenlets): from
``sync_playwright().start()`` until ``.stop()``, ``asyncio.get_running_loop()`` answers in the test's
thread, and Django's ``@async_unsafe`` guard makes every ORM call there raise
``SynchronousOnlyOperation``. A session-scoped Playwright would keep that loop "running" for the rest
of the session, so every later test touching the database (including pytest-django's own flush at
the end of each transactional test) would fail, depending on test order. Setting
``DJANGO_ALLOW_ASYNC_UNSAFE`` would hide the guard for the whole process instead of fixing the order.

So:
- data is created *before* the browser starts, by fixtures that return plain values (``foundation``);
  ``pytest_collection_modifyitems`` below moves the Playwright fixtures to the end of each browser
  test's fixture list, so this holds whatever order a test lists its arguments in;
- Playwright and Chromium start per test and stop at the test's teardown, *before* pytest-django
  flushes the database (fixtures are torn down in reverse order): the loop is gone by then. Starting
  both costs about 0.5 s per test, measured on these machines;
- the pages are served by pytest-django's ``live_server`` in its own thread (no event loop there),
  with ``StaticFilesHandler``: DSFR and Leaflet come from the finders even with ``DEBUG = False``.
"""

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, Playwright, sync_playwright

from tests.e2e.helpers import PageProblems, watch

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PLAYWRIGHT_FIXTURES = ("playwright", "browser", "browser_context_args", "page", "page_problems")


def chromium_path() -> Path:
    return Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Start the browser last: every data fixture of a browser test runs while the ORM is still usable."""
    for item in items:
        if item.get_closest_marker("browser") is None or not isinstance(item, pytest.Function):
            continue
        names = item.fixturenames
        late = [name for name in PLAYWRIGHT_FIXTURES if name in names]
        names[:] = [name for name in names if name not in late] + late


@pytest.fixture(scope="session")
def browser_launch_options() -> dict[str, Any]:
    """Launch options of Debian's Chromium; skips the browser tests when it is absent."""
    executable = chromium_path()
    if not executable.is_file() or not os.access(executable, os.X_OK):
        pytest.skip(
            f"Chromium introuvable ({executable}) : tests navigateur ignorés. "
            "Installez-le avec « sudo apt-get install -y chromium » ou indiquez CHROMIUM_PATH."
        )
    return {"executable_path": str(executable), "args": CHROMIUM_ARGS, "headless": True}


@pytest.fixture
def playwright(browser_launch_options: dict[str, Any]) -> Iterator[Playwright]:
    """Playwright's sync API, started for one test only (see the module docstring)."""
    with sync_playwright() as running:
        yield running


@pytest.fixture
def browser(playwright: Playwright, browser_launch_options: dict[str, Any]) -> Iterator[Browser]:
    launched = playwright.chromium.launch(**browser_launch_options)
    yield launched
    launched.close()


@pytest.fixture
def browser_context_args() -> dict[str, Any]:
    """Options of each test's browser context; override in a module to change them.

    The page's Content Security Policy stays enforced (no ``bypass_csp``): axe-core is injected through
    the DevTools protocol, which CSP does not govern, so the tests still catch a script the CSP blocks.
    """
    return {"locale": "fr-FR", "viewport": {"width": 1280, "height": 900}}


@pytest.fixture
def page(live_server: Any, browser: Browser, browser_context_args: dict[str, Any]) -> Iterator[Page]:
    """A page in a fresh browser context (no cookies shared between tests), based on the live server's URL."""
    context = browser.new_context(base_url=live_server.url, **browser_context_args)
    context.set_default_timeout(10_000)
    opened = context.new_page()
    yield opened
    context.close()


@pytest.fixture
def page_problems(page: Page) -> PageProblems:
    """Failed sub-resources (4xx/5xx, network failures), console errors and uncaught JS errors of ``page``."""
    return watch(page)
