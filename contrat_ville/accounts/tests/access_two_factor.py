"""Rows of the access matrix for the second factor's pages (see tests/access_rows.py): any signed-in user."""

from __future__ import annotations

from typing import Any

from tests.access_rows import SIGNED_IN, Row

ACCESS_ROWS: dict[str, Row] = {
    "accounts:two_factor": Row(SIGNED_IN),
    "accounts:two_factor_verify": Row(SIGNED_IN),
}


def access_objects(contract: Any, objects: dict[str, Any]) -> dict[str, Any]:
    return {}
