"""Browser fixtures: ``streamlit run`` on 127.0.0.1 driven by Playwright on Debian's chromium.

A test that needs the browser is skipped, with the reason, where Playwright or chromium is not
installed (.ci/run installs both). Screenshots go to test-artifacts/, or to docs/ with
HUB_UPDATE_SCREENSHOTS=1.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from benchmarks.app_start import CHROMIUM_ARGS, chromium, serve
from hub.config import PROJECT_ROOT, Settings
from tests.conftest import Backend, Template

CHROMIUM = chromium()
SHOTS = PROJECT_ROOT / ("docs" if os.environ.get("HUB_UPDATE_SCREENSHOTS") else "test-artifacts")
TIMEOUT_MS = 120_000


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """One headless chromium for the whole session; each test opens its own context."""
    sync_api = pytest.importorskip(
        "playwright.sync_api", reason="Playwright is not installed (requirements-dev.txt)"
    )
    if CHROMIUM is None:
        pytest.skip("chromium is not installed: apt-get install chromium (.ci/run does)")
    with sync_api.sync_playwright() as driver:
        launched = driver.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@contextmanager
def served(
    backend: Backend, template: Template, folder: Path, *, demo_mode: bool = True
) -> Iterator[tuple[str, Settings]]:
    """A real Streamlit server over a private copy of ``template``: its URL and its settings."""
    with (
        backend.copy(template, folder) as settings,
        serve(folder, demo_mode=demo_mode, database_url=settings.resolved_database_url) as url,
    ):
        yield url, settings


@pytest.fixture(scope="module")
def server(
    backend: Backend, tmp_path_factory: pytest.TempPathFactory, indexed_template: Template
) -> Iterator[str]:
    """A real Streamlit server over a copy of the indexed demo data."""
    with served(backend, indexed_template, tmp_path_factory.mktemp("browser") / "data") as (url, _):
        yield url


@pytest.fixture
def page(browser: object, server: str) -> Iterator[object]:
    """The home page, open in a fresh browser context."""
    context = browser.new_context(viewport={"width": 1440, "height": 1000})
    opened = context.new_page()
    opened.set_default_timeout(TIMEOUT_MS)
    opened.goto(server)
    opened.get_by_role("heading", name="HubMatch").wait_for()
    yield opened
    context.close()


def shot(page: object, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.wait_for_timeout(800)  # let plotly finish its transitions
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=False)


def go(page: object, link: str, heading: str) -> None:
    page.get_by_role("link", name=link).click()
    page.get_by_role("heading", name=heading).wait_for()
