"""How figures read on the platform's pages, the French way (one place for each formatting rule)."""

from __future__ import annotations

NARROW_NO_BREAK_SPACE = "\u202f"


def euros(value: int | None) -> str:
    """« 6 500 € » (thousands grouped with a narrow no-break space, as French typography writes them), « — » when
    unknown."""
    if value is None:
        return "—"
    return f"{value:,}".replace(",", NARROW_NO_BREAK_SPACE) + "\u00a0€"
