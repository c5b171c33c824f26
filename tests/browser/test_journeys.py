"""End to end in a real browser: the journeys of an investor, of hub staff and of a new project
owner, and stored hostile text. Fixtures (server, browser, page) are in conftest.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from benchmarks.app_start import serve
from tests.browser.conftest import TIMEOUT_MS, go, served, shot
from tests.conftest import Backend, Template, execute

pytestmark = pytest.mark.browser


def act_as(page: object, role: str, label: str = "Act as") -> None:
    """Choose a demo role in the sidebar (``label``: the selector's name in the page's language)."""
    page.locator('[data-testid="stSelectbox"]').filter(has_text=label).locator("input").click()
    page.get_by_role("option", name=role).click()  # the role's pages appear; go() waits for them


def test_the_investor_journey(page: object) -> None:
    shot(page, "home")
    go(page, "My matches", "My matches")
    page.locator(".js-plotly-plot").nth(2).wait_for()  # the factor legend, then the cards' bars
    page.get_by_role("button", name="Shortlist").first.click()
    # the card now says where the interest stands and offers only the next step
    page.get_by_text("Your interest: Watching (shortlisted)").first.wait_for()
    page.get_by_role("button", name="I'm interested").first.wait_for()
    page.locator(".js-plotly-plot").first.scroll_into_view_if_needed()  # the legend, then the cards
    shot(page, "investor-matches")
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
    assert "project=DEMO-P-" in page.url


def test_the_curation_journey(page: object) -> None:
    act_as(page, "Hub staff")
    go(page, "Curation", "Curation")
    card = page.locator('[data-testid="stForm"]').first
    card.wait_for()
    # the card carries the proposal itself: its ask, owner and the admission criteria
    page.get_by_text("Funding ask:").first.wait_for()
    page.get_by_text("Admission criteria").first.wait_for()
    page.get_by_text("Full description").first.wait_for()
    page.get_by_text("Funding ask:").first.scroll_into_view_if_needed()
    shot(page, "curation-queue")
    card.get_by_role("button", name="Apply").click()  # no decision chosen: nothing happens
    page.get_by_text("Choose a decision first").wait_for()
    card.get_by_text("Published").click()
    card.get_by_role("button", name="Apply").click()
    page.get_by_text("Done: Published").wait_for()
    page.get_by_role("tab", name="Audit log").click()
    page.locator('[data-testid="stDataFrame"]').last.wait_for()
    # the grid draws on a canvas; its cells stay in the DOM for screen readers
    page.wait_for_function("document.body.innerHTML.includes('project.published')")


@pytest.fixture(scope="module")
def live_server(
    backend: Backend, tmp_path_factory: pytest.TempPathFactory, indexed_template: Template
) -> Iterator[str]:
    """The app as deployed on a configured database: no demo mode, only sign-in."""
    folder = tmp_path_factory.mktemp("browser_live") / "data"
    with served(backend, indexed_template, folder, demo_mode=False) as (url, _):
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
    browser: object, backend: Backend, tmp_path: Path, indexed_template: Template
) -> None:
    payload = (
        '<script>window.__hacked = 1</script> <img src=x onerror="window.__hacked = 2"> '
        '<iframe srcdoc="<script>parent.__hacked = 3</script>"></iframe> [phish](http://evil.example) '
    )
    with backend.copy(indexed_template, tmp_path / "data") as settings:
        database = settings.resolved_database_url
        ((external_id,),) = execute(
            database, "select external_id from projects where status = 'published' limit 1"
        )
        execute(
            database,
            "update projects set description = :payload || description where external_id = :id",
            payload=payload,
            id=external_id,
        )
        with serve(settings.data_dir, database_url=database) as url:
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


def test_a_project_published_since_the_last_visit_is_announced_and_badged(
    browser: object, backend: Backend, tmp_path: Path, indexed_template: Template
) -> None:
    from datetime import UTC, datetime, timedelta

    from playwright.sync_api import expect

    from hub.context import open_encoder, open_hub
    from hub.engine import open_engine
    from hub.services import Services
    from hub.vocab import Role

    with backend.copy(indexed_template, tmp_path / "data") as settings:
        hub = open_hub(settings.model_copy(update={"demo_mode": True}))
        investor = Services(hub).demo_accounts(Role.INVESTOR)[0]  # whom the demo acts as first
        matcher = open_engine(hub, open_encoder(hub.settings)).matcher
        fitting = matcher.projects_for_investor(investor.investor_id, top=50).items
        newest = fitting[-1]  # the lowest-ranked project that fits the mandate
        hub.engine.dispose()
        now = datetime.now(UTC).replace(tzinfo=None)
        database = settings.resolved_database_url
        execute(database, "update projects set published_at = :at", at=str(now - timedelta(days=60)))
        execute(
            database,
            "update projects set published_at = :at where id = :id",
            at=str(now - timedelta(days=1)),
            id=newest.id,
        )
        execute(
            database,
            "update accounts set matches_seen_at = :at where id = :id",
            at=str(now - timedelta(days=7)),
            id=investor.account_id,
        )
        with serve(settings.data_dir, database_url=database) as url:
            context = browser.new_context(viewport={"width": 1440, "height": 1000})
            page = context.new_page()
            page.set_default_timeout(TIMEOUT_MS)
            page.goto(url)
            page.get_by_role("heading", name="HubMatch").wait_for()
            go(page, "My matches · 1 new", "My matches")  # the count in the navigation
            page.get_by_text("Only new since your last visit (1)").click()
            page.get_by_text("New since your last visit").first.wait_for()
            page.get_by_text(newest.label).first.wait_for()
            expect(page.get_by_role("button", name="Open project")).to_have_count(1)  # the new card only
            shot(page, "investor-new-matches")
            context.close()


CUT = "nodes => nodes.filter(n => [n, ...n.querySelectorAll('*')].some(e => e.scrollWidth > e.clientWidth + 1)).map(n => n.innerText)"


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_the_app_reads_in_russian_and_kazakh_and_the_text_fits(
    browser: object, server: str, language: str
) -> None:
    from hub.i18n import t

    context = browser.new_context(viewport={"width": 1440, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(f"{server}/?lang={language}")
    page.get_by_text(t("app.tagline", language)).wait_for()
    page.locator('[data-testid="stMetricValue"]').nth(4).wait_for()
    page.wait_for_timeout(500)
    assert not page.locator('[data-testid="stMetricValue"], [data-testid="stMetricLabel"]').evaluate_all(CUT)
    shot(page, f"home-{language}")
    go(page, t("nav.matches", language), t("matches.title", language))
    page.locator(".js-plotly-plot").nth(2).wait_for()
    assert not page.locator('[data-testid="stSidebarNav"] a').evaluate_all(CUT)  # no label cut
    shot(page, f"investor-matches-{language}")
    act_as(page, t("role.hub_staff", language), t("actor.role", language))
    go(page, t("nav.queue", language), t("queue.title", language))
    page.get_by_text(t("queue.criteria", language)).first.wait_for()
    assert not page.locator('[data-testid="stTab"]').evaluate_all(CUT)
    shot(page, f"curation-queue-{language}")
    context.close()
