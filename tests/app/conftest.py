"""App tests run the real Streamlit script against a data folder and a database of their own,
on each backend (``backend`` in tests/conftest.py)."""

from __future__ import annotations

import gc
import os
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import streamlit as st
from sqlalchemy import event
from sqlalchemy.pool import Pool
from streamlit.testing.v1 import AppTest

from hub.config import PROJECT_ROOT, Settings, get_settings
from tests.conftest import Backend, Template, execute


def shown(value: object) -> str:
    """What a reader sees of an element's markdown: ``hub.ui.safe.plain`` escapes undone."""
    return re.sub(r"\\(.)", r"\1", str(value)).replace("  \n", "\n")


# The app keeps its database engine for the life of the server process. A test ends that life by
# clearing Streamlit's caches, and PostgreSQL connections the garbage collector then finds open
# warn (ResourceWarning, an error here): the app's connections are held here and closed instead.
_opened: list[Any] = []


def _hold(dbapi_connection: Any, _record: object) -> None:
    if type(dbapi_connection).__module__.startswith("psycopg"):
        _opened.append(dbapi_connection)


def _reset() -> None:
    get_settings.cache_clear()
    st.cache_resource.clear()
    st.cache_data.clear()
    gc.collect()  # the app's engines go now, their connections still held
    while _opened:
        _opened.pop().close()


def query(statement: str, **params: object) -> list[tuple]:
    """Run SQL on the database of the app under test (committed); the rows it returns."""
    return execute(os.environ["HUB_DATABASE_URL"], statement, **params)


@contextmanager
def _pointed_at(monkeypatch: pytest.MonkeyPatch, settings: Settings) -> Iterator[Path]:
    """The app (read from HUB_* variables) over the data folder and database of ``settings``."""
    monkeypatch.setenv("HUB_DATABASE_URL", settings.resolved_database_url)
    monkeypatch.setenv("HUB_DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("HUB_DEMO_MODE", "true")  # the "act as" selector: tests act as demo accounts
    _reset()
    event.listen(Pool, "connect", _hold)
    try:
        yield settings.data_dir
    finally:
        _reset()
        event.remove(Pool, "connect", _hold)


@pytest.fixture
def app_env(monkeypatch: pytest.MonkeyPatch, settings: Settings) -> Iterator[Path]:
    """An empty data folder and database: the app starts as on a new machine."""
    with _pointed_at(monkeypatch, settings) as folder:
        yield folder


@pytest.fixture
def seeded_app_env(
    monkeypatch: pytest.MonkeyPatch, backend: Backend, tmp_path: Path, indexed_template: Template
) -> Iterator[Path]:
    """A private copy of the demo database with its search indexes and embedding cache."""
    with (
        backend.copy(indexed_template, tmp_path / "data") as settings,
        _pointed_at(monkeypatch, settings) as folder,
    ):
        yield folder


@pytest.fixture
def make_app() -> Callable[[], AppTest]:
    def make() -> AppTest:
        return AppTest.from_file(str(PROJECT_ROOT / "streamlit_app.py"), default_timeout=180)

    return make
