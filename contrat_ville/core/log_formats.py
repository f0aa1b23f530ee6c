"""Log formats: one JSON object per line in production (``LOG_FORMAT=json``), a readable line in development.

Fields of the JSON line: ``time`` (ISO 8601, UTC), ``level``, ``logger``, ``message``, ``request_id``, ``path``,
``status``, ``duration_ms``, ``user_id`` and ``exception`` (the traceback) when there is one. Never an e-mail
address nor a name: the user is only their id.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from typing import Any

from contrat_ville.core.request_context import context_fields

EXTRA_FIELDS = ("status", "duration_ms", "method")


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            **context_fields(record),
            # django.request's own records (404 warnings, 500 errors) carry ``status_code``.
            "status": getattr(record, "status", None) or getattr(record, "status_code", None),
            "duration_ms": getattr(record, "duration_ms", None),
        }
        if getattr(record, "method", None):
            entry["method"] = record.method  # type: ignore[attr-defined]
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        elif record.exc_text:
            entry["exception"] = record.exc_text
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


class HumanFormatter(logging.Formatter):
    """``12:03:04 INFO contrat_ville.requests [3f2a…] GET /contrats/ 200`` then the traceback, if any."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s [%(request_label)s] %(message)s", "%H:%M:%S")

    def format(self, record: logging.LogRecord) -> str:
        request_id = context_fields(record)["request_id"]
        record.request_label = request_id[:8] if request_id else "-"
        return super().format(record)
