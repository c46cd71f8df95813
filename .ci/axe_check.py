"""Run axe-core in Chromium on pages of a live server; exit non-zero on any violation.

Usage: python .ci/axe_check.py AXE_MIN_JS BASE_URL PATH [PATH ...]
"""

from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


def main() -> int:
    axe_source = Path(sys.argv[1]).read_text()
    base, paths = sys.argv[2].rstrip("/"), sys.argv[3:]
    failures = 0
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
        )
        # axe is injected by the test, not served by the site: the page's CSP must not stop it.
        context = browser.new_context(bypass_csp=True)
        page = context.new_page()
        for path in paths:
            page.goto(f"{base}{path}", wait_until="load")
            page.evaluate(axe_source)
            violations = page.evaluate(
                "async () => (await axe.run(document)).violations.map(v => ({id: v.id, "
                "impact: v.impact, help: v.help, nodes: v.nodes.map(n => n.target.join(' '))}))"
            )
            for violation in violations:
                failures += 1
                print(f"AXE {path}: [{violation['impact']}] {violation['id']}: {violation['help']}")
                for target in violation["nodes"][:5]:
                    print(f"    at {target}")
            print(f"axe {path}: {len(violations)} violation(s)")
        browser.close()
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
