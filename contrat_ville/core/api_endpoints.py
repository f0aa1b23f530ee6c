"""The endpoints of an app's API router, declared the same way everywhere.

An endpoint is a read (GET: 200, or ``READ_ERRORS`` unless it says which), a creation (POST: 201, or
``WRITE_ERRORS``), another write (200, or ``WRITE_ERRORS``) or a removal (204 and no body, or ``WRITE_ERRORS``). Its
Django URL name is ``<app>_<function name>`` (« governance_body_list »), which the tests reverse, or the function
name alone when it already starts with ``<app>_`` (« contract_detail »). Its OpenAPI description is its docstring, in
French since API users read it, folded into one paragraph.

One function may serve several operations (the same five for the pillars and for the transversal axes): each then
gives its ``name``, and its URL name and OpenAPI ``operationId`` are both ``<app>_<name>`` (« contract_axis_list »).
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

    def reads(
        self, path: str, out: Any, *, summary: str, errors: dict[int, Any] = READ_ERRORS, name: str | None = None
    ) -> Callable[[View], View]:
        """A GET endpoint answering ``out``; ``errors`` when it cannot give all of ``READ_ERRORS``, or more."""
        return self._operation("GET", path, {200: out, **errors}, summary, name)

    def creates(self, path: str, out: Any, *, summary: str, name: str | None = None) -> Callable[[View], View]:
        """A POST endpoint that creates: 201 with ``out``."""
        return self._operation("POST", path, {201: out, **WRITE_ERRORS}, summary, name)

    def writes(
        self, method: str, path: str, out: Any, *, summary: str, name: str | None = None
    ) -> Callable[[View], View]:
        """Another write (``method``: « PATCH », « PUT », « POST »…) answering ``out``."""
        return self._operation(method, path, {200: out, **WRITE_ERRORS}, summary, name)

    def removes(
        self, method: str, path: str, *, summary: str, name: str | None = None, description: str | None = None
    ) -> Callable[[View], View]:
        """A deletion (« DELETE ») or an archiving (« POST »): 204 without a body. ``description`` stands for the
        docstring when several removals share one."""
        return self._operation(method, path, {204: None, **WRITE_ERRORS}, summary, name, description)

    def url_name(self, name: str) -> str:
        """The URL name of the operation named ``name`` (a function name or a given name)."""
        return name if name.startswith(f"{self.app}_") else f"{self.app}_{name}"

    def _operation(
        self,
        method: str,
        path: str,
        response: dict[int, Any],
        summary: str,
        name: str | None,
        description: str | None = None,
    ) -> Callable[[View], View]:
        def register(view: View) -> View:
            text = description or view.__doc__
            return self.router.api_operation(
                [method],
                path,
                response=response,
                url_name=self.url_name(name or view.__name__),
                operation_id=self.url_name(name) if name else None,
                summary=summary,
                description=" ".join(text.split()) if text else None,
            )(view)

        return register
