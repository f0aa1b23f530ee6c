"""The request id and the request being served, for every log record (docs/operations.md § Journaux).

``RequestIdMiddleware`` (first in ``MIDDLEWARE``) takes the reverse proxy's ``X-Request-ID`` when it looks like an
id, otherwise makes one; it stores it in a context variable, returns it in the ``X-Request-ID`` response header and
writes one log line per request (``contrat_ville.requests``: path, status, duration, user id).
``RequestContextFilter`` copies the id, the path and the user id onto every record a handler emits.
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

from django.http import HttpRequest, HttpResponseBase
from django.utils.functional import empty

REQUEST_ID_HEADER = "X-Request-ID"
# Letters, digits and - _ . : (uuids, nginx's $request_id, most tracing ids), 8 to 128 characters: anything else
# (spaces, line breaks, quotes) would let a client forge log lines.
VALID_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{8,128}")

_request_id: ContextVar[str | None] = ContextVar("request_id", default=None)
_request: ContextVar[HttpRequest | None] = ContextVar("request", default=None)

request_logger = logging.getLogger("contrat_ville.requests")


def current_request_id() -> str | None:
    return _request_id.get()


def incoming_request_id(request: HttpRequest) -> str:
    """The proxy's id when it is valid, otherwise a new one (32 hexadecimal digits)."""
    given = request.headers.get(REQUEST_ID_HEADER, "")
    if VALID_REQUEST_ID.fullmatch(given):
        return given
    return uuid.uuid4().hex


def user_id_of(request: HttpRequest | None) -> int | None:
    """The signed-in user's id, only when the request has already loaded its user (never a query of its own)."""
    if request is None:
        return None
    user = request.__dict__.get("user")
    if user is None or getattr(user, "_wrapped", None) is empty:
        return None
    if not getattr(user, "is_authenticated", False):
        return None
    return getattr(user, "pk", None)


class RequestIdMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        request_id = incoming_request_id(request)
        request.request_id = request_id  # type: ignore[attr-defined]
        id_token = _request_id.set(request_id)
        request_token = _request.set(request)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response[REQUEST_ID_HEADER] = request_id
            request_logger.info(
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                    "method": request.method,
                },
            )
            return response
        finally:
            _request.reset(request_token)
            _request_id.reset(id_token)


class RequestContextFilter(logging.Filter):
    """Adds ``request_id``, ``path`` and ``user_id`` to every record (``None`` outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        request = _request.get()
        record.request_id = getattr(record, "request_id", None) or _request_id.get()
        if not hasattr(record, "path"):
            record.path = request.path if request is not None else None
        if not hasattr(record, "user_id"):
            record.user_id = user_id_of(request)
        return True


def context_fields(record: logging.LogRecord) -> dict[str, Any]:
    """The request fields of ``record``, whether or not the filter ran (the formatters use it)."""
    return {
        "request_id": getattr(record, "request_id", None) or _request_id.get(),
        "path": getattr(record, "path", None),
        "user_id": getattr(record, "user_id", None),
    }
