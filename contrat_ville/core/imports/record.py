"""The record of a run: a ``core.ImportBatch``, built while the file is read, saved when rows are written.

A batch is created unsaved at the start of a run (it gathers the warnings, ignored items and unused columns), and
saved only when the importer writes its rows, inside the import's transaction: a refused or empty file leaves no
batch behind.
"""

from __future__ import annotations

from typing import Any

from contrat_ville.core.models import ImportBatch

OPEN_LICENCE = "Licence Ouverte 2.0"


def import_batch_new(
    *,
    importer: str,
    source_file: str,
    producer: str = "",
    licence: str = "",
    vintage: str = "",
    by: Any = None,
    scope: Any = None,
) -> ImportBatch:
    """An unsaved batch for one run; ``by`` is the user (kept when authenticated), ``scope`` the owner of private
    data (a contract) or None for public data."""
    batch = ImportBatch(
        importer=importer,
        source_file=source_file[:500],
        producer=producer[:255],
        licence=licence[:255],
        vintage=vintage[:16],
        imported_by=by if getattr(by, "is_authenticated", False) else None,
    )
    if scope is not None:
        batch.scope = scope
    return batch
