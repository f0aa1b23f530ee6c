"""How the registry's figures read (French numbers), for its pages."""

from __future__ import annotations

NARROW_NO_BREAK_SPACE = "\u202f"


def euros(value: int | None) -> str:
    """« 6 500 € » (thousands grouped with a narrow no-break space, as French typography writes them), « — » when
    unknown."""
    if value is None:
        return "—"
    return f"{value:,}".replace(",", NARROW_NO_BREAK_SPACE) + "\u00a0€"
