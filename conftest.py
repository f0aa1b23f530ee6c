from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import resolve


@pytest.fixture(autouse=True)
def _reset_axes_cache(settings):
    """Each test starts with no login failures counted (django-axes keeps them in the database)."""
    settings.AXES_ENABLED = True
    yield


class QueryCount:
    """Counts SQL queries, so that a test can show that a page's cost does not grow with the data.

    ``with query_count() as queries: …`` captures a block (``len(queries)``, ``queries.captured_queries``);
    ``query_count.page(client, url)`` gets a page, checks its status and returns what it cost (the response stays
    in ``query_count.response``). A page measured this way must be named in the test's
    ``@pytest.mark.query_count("app:url_name", …)`` marker, and every page the marker names must be measured:
    ``tests/test_conventions.py`` reads the markers to check that every list and detail page has its query-count
    test.
    """

    def __init__(self) -> None:
        self.measured: set[str] = set()
        self.response: Any = None  # the last page measured (a test client response)

    @contextmanager
    def __call__(self) -> Iterator[CaptureQueriesContext]:
        with CaptureQueriesContext(connection) as queries:
            yield queries

    def page(self, client: Client, path: str, data: dict[str, Any] | None = None, *, status: int = 200) -> int:
        path = str(path)  # a reverse_lazy() URL
        with self() as queries:
            response = client.get(path, data)
        assert response.status_code == status, f"{path} : {response.status_code} au lieu de {status}"
        self.measured.add(resolve(urlsplit(path).path).view_name)
        self.response = response
        return len(queries)


@pytest.fixture
def query_count(request: pytest.FixtureRequest) -> Iterator[QueryCount]:
    """The one query counter of the suite (see ``QueryCount``)."""
    marker = request.node.get_closest_marker("query_count")
    declared = set(marker.args) if marker else set()
    counter = QueryCount()
    yield counter
    undeclared = sorted(counter.measured - declared)
    unmeasured = sorted(declared - counter.measured)
    if undeclared:
        pytest.fail(f"Pages mesurées absentes du marqueur @pytest.mark.query_count : {', '.join(undeclared)}")
    if unmeasured:
        pytest.fail(f"Pages du marqueur @pytest.mark.query_count jamais mesurées : {', '.join(unmeasured)}")
