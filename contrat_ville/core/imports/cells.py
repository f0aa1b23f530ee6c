"""Reading one cell: text, numbers written the French or the English way, whole numbers.

A numeric column holding text (INSEE ``NB_COM`` = « neuf ») is a fault of the file with its line and column,
never an empty value stored over a good one: callers turn the ``ValueError`` into an issue with
``not_a_number(text)``.
"""

from __future__ import annotations

import re
from typing import Any

_SPACES = re.compile(r"[\s\u00a0\u202f]")


def cell_text(cell: Any) -> str:
    """A cell as text: ``None`` is empty, ``2021.0`` is « 2021 », surrounding spaces go. The ``'`` the platform's
    exports put before a text starting with ``=``, ``+``, ``-`` or ``@`` (``core.spreadsheets.safe_cell``) goes
    too, so that an exported workbook imports back as it was."""
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    text = str(cell).strip()
    if text[:1] == "'" and text[1:2] in ("=", "+", "-", "@"):
        return text[1:]
    return text


def parse_number(cell: Any) -> float:
    """A number written the French or the English way: « 1 234,5 », « 1234.5 », « -3 »; ``ValueError`` otherwise.

    NaN and infinities are refused: no official file holds them, and they would poison every computation.
    """
    if isinstance(cell, bool):
        raise ValueError(str(cell))
    if isinstance(cell, int | float):
        number = float(cell)
    else:
        text = str(cell).strip()
        try:
            number = float(text)
        except ValueError:
            text = _SPACES.sub("", text)
            if text.count(",") == 1 and "." not in text:
                text = text.replace(",", ".")
            elif text.count(",") >= 1 and text.count(".") == 1 and text.rfind(",") < text.rfind("."):
                text = text.replace(",", "")  # 1,234.5
            number = float(text)
    if number != number or number in (float("inf"), float("-inf")):
        raise ValueError(str(cell))
    return number


def parse_whole_number(cell: Any) -> int:
    """A whole number (« 12 », 12.0); ``ValueError`` for « 12,5 » or « douze »."""
    number = parse_number(cell)
    if not number.is_integer():
        raise ValueError(str(cell))
    return int(number)


def not_a_number(text: Any, *, whole: bool = False) -> str:
    """The French detail of a numeric cell holding something else."""
    shown = cell_text(text)
    return f"« {shown} » n'est pas un nombre{' entier' if whole else ''}"
