"""axe-core (from the npm registry: tests/e2e/package.json, installed by `make axe`) injected
by Playwright into the page under test, and what a story asserts with it.

Every rule axe runs by default (WCAG 2.0–2.2 A and AA and best practices) counts; a
violation of impact moderate, serious or critical fails the story with each rule, its help
text and the elements it names. Minor ones are reported by axe but not asserted.
"""

from pathlib import Path

import pytest

AXE = Path(__file__).resolve().parent / "node_modules" / "axe-core" / "axe.min.js"
FAILING_IMPACTS = {"moderate", "serious", "critical"}


def axe_source() -> str:
    if not AXE.exists():
        pytest.fail(f"axe-core is missing at {AXE}: run `make axe` (npm ci in tests/e2e).")
    return AXE.read_text()


def violations(page) -> list[dict]:
    """axe's violations of impact moderate or above on the page as it is now."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        # Through the DevTools protocol, so the page's Content-Security-Policy (no inline or
        # outside scripts) does not stop it, and nothing is added to the page's own scripts.
        page.evaluate(axe_source())
    found = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
    )
    return [v for v in found if v["impact"] in FAILING_IMPACTS]


def describe(found: list[dict]) -> str:
    lines = []
    for violation in found:
        lines.append(f"{violation['impact']}: {violation['id']}: {violation['help']}")
        lines += [f"    {node['target']}: {node['failureSummary']}" for node in violation["nodes"]]
    return "\n".join(lines)


def assert_no_violations(page, where: str = "") -> None:
    found = violations(page)
    assert not found, f"axe on {where or page.url}:\n{describe(found)}"
