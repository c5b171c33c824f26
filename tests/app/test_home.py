from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from streamlit.testing.v1 import AppTest

from tests.app.conftest import shown
from tests.conftest import Backend


def test_first_start_on_an_empty_machine_loads_demo_data_and_builds_the_index(
    app_env: Path, backend: Backend, make_app: Callable[[], AppTest]
) -> None:
    app = make_app().run()
    assert not app.exception
    if backend.name == "sqlite":
        assert (app_env / "hub.db").exists()  # the embedded database, made in the data folder
    assert (app_env / "index" / "projects" / "manifest.json").exists()
    metrics = {m.label: m.value for m in app.metric}
    assert metrics["Published projects"] != "0"
    assert metrics["Active investors"] != "0"


def test_home_shows_headline_figures_and_charts(
    seeded_app_env: Path, make_app: Callable[[], AppTest]
) -> None:
    app = make_app().run()
    assert not app.exception
    assert app.title[0].value == "HubMatch"
    metrics = {m.label: m.value for m in app.metric}
    assert set(metrics) == {
        "Published projects", "Active investors", "Capital sought", "Ticket capacity", "Countries · regions",
    }  # fmt: skip
    assert metrics["Countries · regions"].startswith("6 · ")
    charts = app.get("plotly_chart")
    assert len(charts) == 2
    bars = json.loads(charts[0].proto.spec)["data"][0]
    assert bars["type"] == "bar" and "Kazakhstan" in bars["y"]


def test_the_quick_search_opens_explore_with_the_query(
    seeded_app_env: Path, make_app: Callable[[], AppTest]
) -> None:
    app = make_app().run()
    app.text_input(key="home_query").input("telemedicine for rural clinics")
    app.button[0].click().run()
    assert not app.exception
    assert [shown(t.value) for t in app.title] == ["Explore projects"]
    assert app.text_input(key="explore_query").value == "telemedicine for rural clinics"
