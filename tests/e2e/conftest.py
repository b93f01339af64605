"""Browser tests: a live server, Chromium from Debian, axe-core and screenshots.

* ``live_server`` (pytest-django) serves Mutual from a thread on the test database (the
  rows of the data migrations are there again after each flush, see ``tests/conftest.py``).
* ``browser`` is one Chromium for the session, launched from ``/usr/bin/chromium`` (no
  browser is ever downloaded); without it the tests skip, and under ``CI=true`` a skip
  is a failure (see ``tests/conftest.py``).
* ``axe_check(page)`` runs axe-core on the page and fails on any serious or critical
  violation; ``screenshot(page, name)`` saves the page at 390px and 1280px wide under
  ``var/screenshots/`` (or ``MUTUAL_SCREENSHOTS``).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

# Playwright's sync API runs an event loop in the test's thread; the test's own ORM calls
# are plain synchronous ones.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
# WhiteNoise warns (an error under our warning filter) when the static root is missing.
Path(os.environ["MUTUAL_VAR_DIR"], "static").mkdir(parents=True, exist_ok=True)

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path(
    os.environ.get(
        "MUTUAL_SCREENSHOTS", Path(__file__).resolve().parents[2] / "var" / "screenshots"
    )
)
WIDTHS = (390, 1280)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        pytest.skip("Chromium is not installed at /usr/bin/chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def server(live_server: Any) -> str:
    """The live server's base address, with the caches empty (no throttle or mail limit
    carried over from an earlier test)."""
    from django.core.cache import caches

    for alias in caches:
        caches[alias].clear()
    return str(live_server.url)


@pytest.fixture
def new_context(browser: Any) -> Iterator[Callable[[], Any]]:
    """Open a fresh browser context (a separate person's browser); closed at the end."""
    contexts: list[Any] = []

    def make() -> Any:
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


SERIOUS = {"serious", "critical"}


@pytest.fixture(scope="session")
def axe_check() -> Callable[[Any], None]:
    """Run axe-core on a page; fail listing every serious or critical violation."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()

    def check(page: Any) -> None:
        results = axe.run(page)
        bad = [v for v in results.response["violations"] if v.get("impact") in SERIOUS]
        detail = "; ".join(
            f"{v['id']} ({v['impact']}): {v['help']} at "
            + ", ".join(str(n["target"]) for n in v["nodes"][:3])
            for v in bad
        )
        assert not bad, f"axe found problems on {page.url}: {detail}"

    return check


@pytest.fixture(scope="session")
def screenshot() -> Callable[[Any, str], list[Path]]:
    """Save full-page screenshots of ``page`` at 390px and 1280px wide."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def shoot(page: Any, name: str) -> list[Path]:
        original = page.viewport_size
        paths = []
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            path = SCREENSHOTS / f"{name}-{width}.png"
            page.screenshot(path=str(path), full_page=True)
            paths.append(path)
        if original:
            page.set_viewport_size(original)
        return paths

    return shoot
