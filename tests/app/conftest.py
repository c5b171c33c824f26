"""App tests run the real Streamlit script against a data folder of their own."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from hub.config import PROJECT_ROOT, get_settings


def shown(value: object) -> str:
    """What a reader sees of an element's markdown: ``hub.ui.safe.plain`` escapes undone."""
    return re.sub(r"\\(.)", r"\1", str(value)).replace("  \n", "\n")


def _reset() -> None:
    get_settings.cache_clear()
    st.cache_resource.clear()
    st.cache_data.clear()


def _point_at(monkeypatch: pytest.MonkeyPatch, folder: Path) -> None:
    monkeypatch.setenv("HUB_DATABASE_URL", f"sqlite:///{folder / 'hub.db'}")
    monkeypatch.setenv("HUB_DATA_DIR", str(folder))
    monkeypatch.setenv("HUB_DEMO_MODE", "true")  # the "act as" selector: tests act as demo accounts
    _reset()


@pytest.fixture
def app_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Path]:
    """An empty data folder: the app starts as on a new machine."""
    _point_at(monkeypatch, tmp_path)
    yield tmp_path
    _reset()


@pytest.fixture
def seeded_app_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, indexed_template: Path) -> Iterator[Path]:
    """A private copy of the demo database with its search indexes and embedding cache."""
    folder = tmp_path / "data"
    shutil.copytree(indexed_template, folder)
    _point_at(monkeypatch, folder)
    yield folder
    _reset()


@pytest.fixture
def make_app() -> Callable[[], AppTest]:
    def make() -> AppTest:
        return AppTest.from_file(str(PROJECT_ROOT / "streamlit_app.py"), default_timeout=180)

    return make
