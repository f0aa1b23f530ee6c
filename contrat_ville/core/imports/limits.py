"""The documented limits of every import (docs/imports.md): beyond them a file is refused with a French message.

They are read at call time (``limits.MAX_ERRORS``, not ``from … import MAX_ERRORS``), so that a test or a deployment
may lower them.
"""

from __future__ import annotations

# Errors collected in one file before it is refused: enough to fix a file in one go, few enough to read.
MAX_ERRORS = 50
# Warnings and ignored items kept in a report (and its ImportBatch); the count beyond is still given.
MAX_WARNINGS = 200
MAX_LISTED = 50

# One field of a delimited file: Python's csv module default (128 Kio). No official file comes near it; a larger
# field means a broken quote or a file of another kind.
MAX_FIELD_CHARS = 131_072
# Delimited text files are streamed: a national long CSV of 28 million values weighs about 1.2 Go.
MAX_TEXT_BYTES = 4 * 1024**3
# Workbooks (XLSX, zipped XML) are streamed row by row; INSEE's largest workbooks weigh a few tens of Mo.
MAX_WORKBOOK_BYTES = 200 * 1024**2
# JSON, GeoJSON, GeoPackage and shapefiles are read whole (geometries): the IGN's national IRIS contours fit.
MAX_DOCUMENT_BYTES = 2 * 1024**3
# Files sent through a web page: the setting IMPORT_UPLOAD_MAX_BYTES, checked by ``core.uploads``.


def size_text(size: int) -> str:
    """« 1,5 Go », « 50 Mo », « 128 Ko » (French units, decimal comma)."""
    for unit, factor in (("Go", 1024**3), ("Mo", 1024**2), ("Ko", 1024)):
        if size >= factor:
            value = size / factor
            text = f"{value:.1f}".rstrip("0").rstrip(".").replace(".", ",")
            return f"{text} {unit}"
    return f"{size} octets"
