"""The endpoints of an app's API router, declared the same way everywhere.

An endpoint is a read (GET: 200, or ``READ_ERRORS``), a creation (POST: 201, or ``WRITE_ERRORS``) or another
write (200, or ``WRITE_ERRORS``). Its Django URL name is ``<app>_<function name>`` (« governance_body_list »),
which the tests reverse; its OpenAPI description is its docstring, in French since API users read it, folded into
one paragraph.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from ninja import Router

from contrat_ville.core.schemas import READ_ERRORS, WRITE_ERRORS

View = TypeVar("View", bound=Callable[..., Any])


@dataclass(frozen=True)
class Endpoints:
    """The endpoints of ``router``, named after ``app`` (« governance »)."""

    router: Router
    app: str

    def reads(self, path: str, out: Any, *, summary: str) -> Callable[[View], View]:
        """A GET endpoint answering ``out``."""
        return self._operation("GET", path, {200: out, **READ_ERRORS}, summary)

    def creates(self, path: str, out: Any, *, summary: str) -> Callable[[View], View]:
        """A POST endpoint that creates: 201 with ``out``."""
        return self._operation("POST", path, {201: out, **WRITE_ERRORS}, summary)

    def writes(self, method: str, path: str, out: Any, *, summary: str) -> Callable[[View], View]:
        """Another write (``method``: « PATCH », « POST »…) answering ``out``."""
        return self._operation(method, path, {200: out, **WRITE_ERRORS}, summary)

    def deletes(self, path: str, *, summary: str) -> Callable[[View], View]:
        """A DELETE endpoint: 204 with no body, or ``WRITE_ERRORS`` (422 with the French reason it was refused)."""
        return self._operation("DELETE", path, {204: None, **WRITE_ERRORS}, summary)

    def _operation(self, method: str, path: str, response: dict[int, Any], summary: str) -> Callable[[View], View]:
        def register(view: View) -> View:
            return self.router.api_operation(
                [method],
                path,
                response=response,
                url_name=f"{self.app}_{view.__name__}",
                summary=summary,
                description=" ".join(view.__doc__.split()) if view.__doc__ else None,
            )(view)

        return register
