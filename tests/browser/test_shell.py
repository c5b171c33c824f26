"""The shell around the pages, in a real browser: nothing is fetched from another host, no Deploy
button, headline figures shown whole, and the first start explains itself on a full page."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from benchmarks.app_start import serve
from hub.config import Settings
from hub.i18n import t
from tests.browser.conftest import SHOTS, TIMEOUT_MS

pytestmark = pytest.mark.browser

LOCAL_HOSTS = {"127.0.0.1", "localhost"}
PUBLIC_PAGES = [("", "HubMatch"), ("explore", "Explore projects"), ("aifc", "AIFC-linked listings"),
                ("insights", "Insights")]  # fmt: skip
SHELL_VIEWPORT = {"width": 1280, "height": 800}


def _foreign(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme not in {"data", "blob", "about"} and parts.hostname not in LOCAL_HOSTS


def test_the_public_pages_fetch_nothing_from_another_host(browser: object, server: str) -> None:
    context = browser.new_context(viewport=SHELL_VIEWPORT)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    asked: list[str] = []
    page.on("request", lambda request: asked.append(request.url))
    page.on("websocket", lambda socket: asked.append(socket.url))
    for path, heading in PUBLIC_PAGES:
        page.goto(f"{server}/{path}")
        page.get_by_role("heading", name=heading).first.wait_for()
        page.get_by_role("link", name="Insights").wait_for()  # the navigation, with its icons
        if path == "insights":
            page.locator(".js-plotly-plot .geo").first.wait_for()  # the map and its shapes
        page.wait_for_timeout(1000)  # fonts, favicon and images requested once drawn
    context.close()
    assert any(urlsplit(url).path == "/_stcore/stream" for url in asked)  # the recording works
    offenders = sorted({url for url in asked if _foreign(url)})
    assert not offenders, "requests to other hosts:\n" + "\n".join(offenders)


def _home(browser: object, server: str) -> tuple[object, object]:
    """The home page at 1280 x 800 with its headline figures drawn, and its context to close."""
    context = browser.new_context(viewport=SHELL_VIEWPORT)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(server)
    page.get_by_role("heading", name="HubMatch").wait_for()
    page.locator('[data-testid="stMetricValue"]').nth(4).wait_for()
    page.wait_for_timeout(500)  # the toolbar and the metrics' final layout
    return context, page


def test_there_is_no_deploy_button(browser: object, server: str) -> None:
    context, page = _home(browser, server)
    page.locator('[data-testid="stSidebarNav"]').wait_for()  # the shell is drawn
    assert page.locator('[data-testid="stAppDeployButton"]').count() == 0
    assert page.get_by_role("button", name="Deploy").count() == 0
    assert page.get_by_text("Deploy", exact=True).count() == 0
    context.close()


def test_the_headline_figures_show_whole_at_1280_px(browser: object, server: str) -> None:
    context, page = _home(browser, server)
    shown = page.locator('[data-testid="stMetricValue"]').evaluate_all(
        """nodes => nodes.map(node => ({
            text: node.innerText,
            cut: [node, ...node.querySelectorAll('*')].some(e => e.scrollWidth > e.clientWidth),
        }))"""
    )
    context.close()
    assert len(shown) == 5
    cut = [value["text"] for value in shown if value["cut"] or "…" in value["text"]]
    assert not cut, f"headline figures cut short at 1280 px: {cut}"
    assert sum("$" in value["text"] for value in shown) == 2  # the money figures are there


def test_the_sector_filter_spans_the_width_so_long_sector_names_fit(browser: object, server: str) -> None:
    # sector names are the longest labels a filter holds ("Healthcare and public health"): in a
    # third of the width their chips were cut to "ealthcare and…"; the sector filter has a row of its own
    context, page = _home(browser, server)
    page.get_by_role("link", name="Explore projects").click()
    page.get_by_role("heading", name="Explore projects").wait_for()
    page.get_by_text("Filters").first.click()
    selects = page.locator('[data-testid="stMultiSelect"]')
    sector = selects.filter(has_text="Sector").first
    country = selects.filter(has_text="Country").first
    sector.wait_for()
    sector_width = sector.bounding_box()["width"]
    country_width = country.bounding_box()["width"]
    context.close()
    assert sector_width > 2.5 * country_width, (sector_width, country_width)


def test_the_first_start_explains_itself_then_shows_the_home_page(
    browser: object, settings: Settings
) -> None:
    # an empty data folder and database: what a new machine (or a new database server) starts from
    with serve(settings.data_dir, database_url=settings.resolved_database_url) as url:
        context = browser.new_context(viewport=SHELL_VIEWPORT)
        page = context.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        page.goto(url)
        page.get_by_text(t("start.explain")).wait_for()
        assert page.get_by_role("heading", name="HubMatch").is_visible()
        assert page.get_by_text(t("start.keep_open")).is_visible()
        assert page.locator('[data-testid="stMetricValue"]').count() == 0  # not the home page yet
        page.get_by_text("Demo data loaded (").wait_for()
        page.get_by_text("Search index built:").first.wait_for()  # projects indexed, the rest under way
        page.get_by_text("Embedding ").first.wait_for()
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / "first-start.png"))

        page.locator('[data-testid="stMetricValue"]').nth(4).wait_for()  # the home page proper
        assert page.get_by_text(t("start.explain")).count() == 0
        assert page.get_by_text("Search index built:").count() == 0
        assert page.locator('[data-testid="stProgress"]').count() == 0
        assert page.get_by_role("heading", name="HubMatch").count() == 1
        context.close()
