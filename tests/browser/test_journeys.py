"""End to end in a real browser: ``streamlit run`` on 127.0.0.1 driven by Playwright on Debian's
chromium. Skipped, with the reason, where Playwright or chromium is not installed (.ci/run
installs both). Screenshots go to test-artifacts/, or to docs/ with HUB_UPDATE_SCREENSHOTS=1.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from benchmarks.app_start import CHROMIUM_ARGS, chromium, serve
from hub.config import PROJECT_ROOT

pytestmark = pytest.mark.browser

playwright_api = pytest.importorskip(
    "playwright.sync_api", reason="Playwright is not installed (requirements-dev.txt)"
)
CHROMIUM = chromium()
if CHROMIUM is None:
    pytest.skip("chromium is not installed: apt-get install chromium (.ci/run does)", allow_module_level=True)

SHOTS = PROJECT_ROOT / ("docs" if os.environ.get("HUB_UPDATE_SCREENSHOTS") else "test-artifacts")
TIMEOUT_MS = 120_000


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, indexed_template: Path) -> Iterator[str]:
    """A real Streamlit server over a copy of the indexed demo data."""
    folder = tmp_path_factory.mktemp("browser") / "data"
    shutil.copytree(indexed_template, folder)
    with serve(folder) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with playwright_api.sync_playwright() as driver:
        launched = driver.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: object, server: str) -> Iterator[object]:
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


def act_as(page: object, role: str) -> None:
    page.locator('[data-testid="stSelectbox"]').filter(has_text="Act as").locator("input").click()
    page.get_by_role("option", name=role).click()  # the role's pages appear; go() waits for them


def test_the_investor_journey(page: object) -> None:
    shot(page, "home")
    go(page, "My matches", "My matches")
    page.locator(".js-plotly-plot").first.wait_for()
    shot(page, "investor-matches")
    page.get_by_role("button", name="Shortlist").first.click()
    page.get_by_text("Shortlisted:").wait_for()
    page.get_by_role("tab", name="My interests").click()
    page.get_by_text("Watching (shortlisted)").first.wait_for()
    go(page, "Insights", "Insights")
    page.locator(".js-plotly-plot .geo").first.wait_for()
    shot(page, "insights-map")
    # a row of the AIFC listings opens that project's page, at an address that can be shared
    go(page, "AIFC-linked listings", "AIFC-linked listings")
    grid = page.locator('[data-testid="stDataFrame"]').first
    grid.scroll_into_view_if_needed()
    page.wait_for_timeout(1000)
    box = grid.bounding_box()
    page.mouse.click(box["x"] + 15, box["y"] + 35 + 18)  # the first row's selection cell, below the header
    page.get_by_role("heading", name="Similar projects").wait_for()
    assert "?project=DEMO-P-" in page.url


def test_the_curation_journey(page: object) -> None:
    act_as(page, "Hub staff")
    go(page, "Curation", "Curation")
    card = page.locator('[data-testid="stForm"]').first
    card.wait_for()
    shot(page, "curation-queue")
    card.get_by_text("Published").click()
    card.get_by_role("button", name="Apply").click()
    page.get_by_text("Done: Published").wait_for()
    page.get_by_role("tab", name="Audit log").click()
    page.locator('[data-testid="stDataFrame"]').last.wait_for()
    # the grid draws on a canvas; its cells stay in the DOM for screen readers
    page.wait_for_function("document.body.innerHTML.includes('project.published')")


@pytest.fixture(scope="module")
def live_server(tmp_path_factory: pytest.TempPathFactory, indexed_template: Path) -> Iterator[str]:
    """The app as deployed on a configured database: no demo mode, only sign-in."""
    folder = tmp_path_factory.mktemp("browser_live") / "data"
    shutil.copytree(indexed_template, folder)
    with serve(folder, demo_mode=False) as url:
        yield url


def test_a_new_owner_signs_up_saves_a_draft_signs_out_and_back_in(browser: object, live_server: str) -> None:
    context = browser.new_context(viewport={"width": 1440, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(live_server)
    page.get_by_role("heading", name="HubMatch").wait_for()
    assert page.get_by_text("Act as").count() == 0  # no demo shortcut outside demo mode

    go(page, "Sign in", "Sign in to HubMatch")
    page.get_by_role("tab", name="Create an account").click()
    form = page.locator('[data-testid="stForm"]').filter(has_text="Password again")
    form.get_by_text("Project owner").click()
    form.get_by_label("Your name").fill("Aigerim Sadykova")
    form.get_by_label("Organisation").fill("Qoly LLP")
    form.get_by_label("Email").fill("aigerim@qoly.example")
    form.get_by_label("Password", exact=True).fill("correct horse battery")
    form.get_by_label("Password again").fill("correct horse battery")
    form.get_by_role("button", name="Create an account").click()
    page.get_by_text("Signed in: Aigerim Sadykova").wait_for()
    shot(page, "signed-up")

    go(page, "Submit a proposal", "Submit a proposal")
    page.get_by_label("Title").fill("Qoly grocery delivery")
    page.get_by_role("button", name="Save draft").click()
    page.get_by_text("Saved as").wait_for()
    go(page, "My proposals", "My proposals")
    page.get_by_text("Qoly grocery delivery").wait_for()
    page.get_by_text("Still needed before it can be submitted").wait_for()

    go(page, "My account", "Sign in to HubMatch")
    page.get_by_role("button", name="Sign out").click()
    page.get_by_text("You are signed out.").wait_for()
    assert page.get_by_role("link", name="My proposals").count() == 0

    form = page.locator('[data-testid="stForm"]').filter(has_text="Sign in").first
    form.get_by_label("Email").fill("aigerim@qoly.example")
    form.get_by_label("Password", exact=True).fill("correct horse battery")
    form.get_by_role("button", name="Sign in").click()
    page.get_by_text("Signed in: Aigerim Sadykova").wait_for()
    go(page, "My proposals", "My proposals")
    page.get_by_text("Qoly grocery delivery").wait_for()
    go(page, "My account", "Sign in to HubMatch")
    page.get_by_role("button", name="Sign out").click()
    page.get_by_text("You are signed out.").wait_for()
    context.close()


def test_stored_script_and_iframe_in_a_listing_show_as_text_and_never_run(
    browser: object, tmp_path_factory: pytest.TempPathFactory, indexed_template: Path
) -> None:
    import sqlite3

    folder = tmp_path_factory.mktemp("browser_hostile") / "data"
    shutil.copytree(indexed_template, folder)
    payload = (
        '<script>window.__hacked = 1</script> <img src=x onerror="window.__hacked = 2"> '
        '<iframe srcdoc="<script>parent.__hacked = 3</script>"></iframe> [phish](http://evil.example) '
    )
    with sqlite3.connect(folder / "hub.db") as db:
        external_id = db.execute(
            "select external_id from projects where status = 'published' limit 1"
        ).fetchone()[0]
        db.execute(
            "update projects set description = ? || description where external_id = ?", (payload, external_id)
        )
    with serve(folder) as url:
        context = browser.new_context(viewport={"width": 1440, "height": 1000})
        page = context.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        page.goto(f"{url}/project?project={external_id}")
        page.get_by_text("<script>window.__hacked = 1</script>", exact=False).first.wait_for()
        page.wait_for_timeout(1500)
        assert page.evaluate("window.__hacked === undefined")
        assert page.locator("iframe[srcdoc]").count() == 0
        # a bare address may become a link to itself (the reader sees where it goes); never
        # a link under other words, as "[phish](http://evil.example)" would make
        for link in page.locator('a[href="http://evil.example"]').all():
            assert link.inner_text() == "http://evil.example"
        assert page.get_by_text("[phish](", exact=False).count() >= 1
        context.close()
