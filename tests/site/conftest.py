"""Browser fixtures: Debian's Chromium driven by pytest-playwright, never a downloaded browser."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args, tmp_path_factory):
    """Launch /usr/bin/chromium headless, with its crash reports in a temporary folder."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: apt-get install chromium to run the browser tests")
    import os

    config_home = tmp_path_factory.mktemp("xdg-config")
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "headless": True,
        "args": CHROMIUM_ARGS,
        "env": {**os.environ, "XDG_CONFIG_HOME": str(config_home)},
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": DESKTOP, "locale": "en-GB"}


@pytest.fixture(scope="session")
def screenshots() -> Path:
    folder = Path(settings.BASE_DIR) / "test-artifacts" / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def shoot(page, screenshots):
    """Save the page at desktop and phone widths as <name>-desktop.png and <name>-phone.png."""

    def take(name: str) -> None:
        page.set_viewport_size(DESKTOP)
        page.screenshot(path=screenshots / f"{name}-desktop.png", full_page=True)
        page.set_viewport_size(PHONE)
        page.screenshot(path=screenshots / f"{name}-phone.png", full_page=True)
        page.set_viewport_size(DESKTOP)

    return take


@pytest.fixture
def site_data(request, transactional_db):
    """The demo corpus when fixtures/*.json exist, else the factories' small tracker."""
    if list((Path(settings.BASE_DIR) / "fixtures").glob("*.json")):
        request.getfixturevalue("corpus")
        return "corpus"
    from tests.site.data import build_site_data

    build_site_data()
    return "factories"
