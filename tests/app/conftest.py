"""App tests run the real Streamlit script against a database of their own."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from hub.config import PROJECT_ROOT, get_settings


def _reset() -> None:
    get_settings.cache_clear()
    st.cache_resource.clear()


@pytest.fixture
def app_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Path]:
    """Point the app at an empty SQLite file in this test's folder."""
    monkeypatch.setenv("HUB_DATABASE_URL", f"sqlite:///{tmp_path / 'hub.db'}")
    monkeypatch.setenv("HUB_DATA_DIR", str(tmp_path))
    _reset()
    yield tmp_path
    _reset()


@pytest.fixture
def seeded_app_env(app_env: Path, seeded_template: Path) -> Path:
    """As app_env, with the demo data already loaded."""
    shutil.copy(seeded_template, app_env / "hub.db")
    return app_env


@pytest.fixture
def make_app() -> Callable[[], AppTest]:
    def make() -> AppTest:
        return AppTest.from_file(str(PROJECT_ROOT / "streamlit_app.py"), default_timeout=120)

    return make
