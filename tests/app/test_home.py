from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from streamlit.testing.v1 import AppTest


def test_first_start_on_an_empty_database_loads_the_demo_data(
    app_env: Path, make_app: Callable[[], AppTest]
) -> None:
    app = make_app().run()
    assert not app.exception
    assert (app_env / "hub.db").exists()
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
        "Published projects", "Active investors", "Capital sought (USD)", "Ticket capacity (USD)",
    }  # fmt: skip
    charts = app.get("plotly_chart")
    assert len(charts) == 2
    bars = json.loads(charts[0].proto.spec)["data"][0]
    assert bars["type"] == "bar" and "Kazakhstan" in bars["y"]
