"""Accessibility checks with axe-core (RGAA relies on WCAG 2.1 A and AA).

axe-core comes from npm (``node_modules/axe-core/axe.min.js``, ``settings.NODE_MODULES_DIR``). It is
evaluated through the DevTools protocol (``page.evaluate``) rather than ``add_script_tag``: an inline
``<script>`` without the page's nonce is refused by our Content Security Policy, and bypassing the CSP
for the whole context would hide the refusals the browser tests are meant to catch.
"""

from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings
from playwright.sync_api import Page

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING_IMPACTS = ("critical", "serious")
MAX_NODES_SHOWN = 3


@cache
def axe_source() -> str:
    path = Path(settings.NODE_MODULES_DIR) / "axe-core" / "axe.min.js"
    if not path.is_file():
        raise FileNotFoundError(f"axe-core introuvable : {path} (lancez « npm ci » ou « make install »).")
    return path.read_text(encoding="utf-8")


def axe_run(page: Page) -> dict[str, Any]:
    """Run axe-core on the current document with the WCAG 2.1 A/AA rules; return its raw results."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(axe_source())
    results: dict[str, Any] = page.evaluate(
        "async (tags) => await window.axe.run(document,"
        " {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        WCAG_TAGS,
    )
    return results


def format_violations(violations: list[dict[str, Any]]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"- [{violation['impact']}] {violation['id']}: {violation['help']} ({violation['helpUrl']})")
        for node in violation["nodes"][:MAX_NODES_SHOWN]:
            target = " ".join(str(part) for part in node["target"])
            lines.append(f"    → {target}")
        hidden = len(violation["nodes"]) - MAX_NODES_SHOWN
        if hidden > 0:
            lines.append(f"    … et {hidden} autre(s) élément(s)")
    return "\n".join(lines)


def assert_accessible(page: Page, where: str = "") -> None:
    """Fail on every axe-core violation of impact ``serious`` or ``critical`` in the current page."""
    violations = [
        violation for violation in axe_run(page)["violations"] if violation.get("impact") in BLOCKING_IMPACTS
    ]
    where = where or page.url
    assert not violations, (
        f"Accessibilité (axe-core, WCAG 2.1 A/AA) : {len(violations)} violation(s) graves ou critiques "
        f"sur {where} / serious or critical accessibility violations:\n{format_violations(violations)}"
    )
