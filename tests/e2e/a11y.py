"""axe-core in the page, at a desktop and a phone width: serious and critical violations fail.

axe is evaluated through the DevTools protocol rather than added as a <script>: the app's
Content-Security-Policy allows no inline script, and the check must not need it to.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from playwright.sync_api import Page

AXE = Path(__file__).parent / "axe" / "axe.min.js"
WIDTHS = ({"width": 1366, "height": 900}, {"width": 375, "height": 812})
RUN = """async () => (await axe.run(document, {
    runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']},
    resultTypes: ['violations'],
  })).violations
  .filter((v) => v.impact === 'serious' || v.impact === 'critical')
  .map((v) => ({id: v.id, help: v.help, nodes: v.nodes.slice(0, 4)
    .map((n) => n.target.join(' ') + ' :: ' + n.failureSummary)}))"""


@cache
def _axe_source() -> str:
    return AXE.read_text()


def assert_accessible(page: Page) -> None:
    """No serious or critical axe violation at 1366×900 nor at 375×812 (the page is left at the
    size it had)."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(_axe_source())
    before = page.viewport_size
    found = {}
    for size in WIDTHS:
        page.set_viewport_size(size)
        page.wait_for_timeout(100)  # let the layout settle at the new width
        violations = page.evaluate(RUN)
        if violations:
            found[f"{size['width']} px"] = violations
    if before is not None:
        page.set_viewport_size(before)
    assert found == {}, f"{page.url}: {found}"
