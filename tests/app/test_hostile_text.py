"""Hostile listing text shown on every page: it reads as typed, and nothing in it becomes a
link, an image, a heading, coloured text or HTML (README, "Safety rules")."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from tests.app.conftest import query, shown

PAGES = "hub/ui/pages"
TITLE = "[Win a prize](http://evil.example) :red[URGENT] <b>bold</b> $x$ "
SUMMARY = "![tracker](http://evil.example/pixel.png) <script>alert(1)</script> "
DESCRIPTION = '# Giant heading\n<iframe srcdoc="<script>alert(2)</script>"></iframe>\n<style>body{display:none}</style>\n'
OWNER = "**Owner** `code` "
DANGEROUS = ("](http", "![", "<script", "<iframe", "<style", "<b>", ":red[", "\n# ", "**Owner**", "`code`")
MARKDOWN_ELEMENTS = (
    "markdown",
    "caption",
    "info",
    "warning",
    "success",
    "error",
    "title",
    "subheader",
    "header",
)


def _hostile() -> None:
    query(
        "update projects set title = :title || title, summary = :summary || summary, "
        "description = :description || description, owner_name = :owner || owner_name, "
        "updated_at = '2026-11-30 23:59:59'",
        title=TITLE,
        summary=SUMMARY,
        description=DESCRIPTION,
        owner=OWNER,
    )
    query("update investors set name = :owner || name", owner=OWNER)
    st.cache_resource.clear()


def _rendered(app: AppTest) -> list[str]:
    return [str(e.value) for kind in MARKDOWN_ELEMENTS for e in getattr(app, kind)]


def _check(app: AppTest, where: str) -> str:
    assert not app.exception, where
    for value in _rendered(app):
        live = re.sub(r"\\.", "\x00", value)  # what markdown still reads as syntax: escapes blanked out
        for danger in DANGEROUS:
            assert danger not in live, f"{where}: {danger!r} reaches markdown unescaped in {value[:120]!r}"
    return "\n".join(shown(v) for v in _rendered(app))


@pytest.fixture
def hostile_app(seeded_app_env: Path, make_app: Callable[[], AppTest]) -> AppTest:
    _hostile()
    app = make_app()
    app.run()
    assert not app.exception
    return app


def test_hostile_listing_text_is_shown_as_typed_on_every_page(hostile_app: AppTest) -> None:
    app = hostile_app
    for page in ("home", "explore", "aifc", "insights", "investor_matches", "investor_profile"):
        app.switch_page(f"{PAGES}/{page}.py").run()
        _check(app, page)
    ((project_id,),) = query("select id from projects where status = 'published' limit 1")
    app.session_state["project_id"] = project_id
    app.switch_page(f"{PAGES}/project.py").run()
    seen = _check(app, "project")
    assert "[Win a prize](http://evil.example) :red[URGENT] <b>bold</b>" in seen  # shown literally
    assert '<iframe srcdoc="<script>alert(2)</script>"></iframe>' in seen

    app.selectbox(key="actor_role").set_value("project_owner").run()
    app.switch_page(f"{PAGES}/owner_proposals.py").run()
    _check(app, "owner_proposals")
    app.selectbox(key="actor_role").set_value("hub_staff").run()
    app.switch_page(f"{PAGES}/staff_queue.py").run()
    seen = _check(app, "staff_queue")
    assert "[Win a prize](http://evil.example)" in seen
