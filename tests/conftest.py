"""Shared fixtures: reference data and the demo data set are built once per session;
every test that writes gets its own temporary database."""

from __future__ import annotations

import io
import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from hub.config import PROJECT_ROOT, Settings
from hub.context import Hub, open_hub
from hub.demo import DemoData, build_demo, seed_demo
from hub.reference import Reference, load_reference

DATA = PROJECT_ROOT / "data"
POSTGRES_ENV = "HUB_TEST_POSTGRES_URL"


@pytest.fixture(scope="session")
def reference() -> Reference:
    return load_reference(DATA)


@pytest.fixture(scope="session")
def demo(reference: Reference) -> DemoData:
    return build_demo(reference, DATA, seed=2017)


def _settings(tmp: Path, url: str | None = None) -> Settings:
    return Settings(data_dir=tmp, database_url=url or f"sqlite:///{tmp / 'hub.db'}", reference_dir=DATA)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Settings pointing at an empty SQLite file of this test's own."""
    return _settings(tmp_path)


@pytest.fixture
def hub(settings: Settings) -> Iterator[Hub]:
    opened = open_hub(settings)
    yield opened
    opened.engine.dispose()


@pytest.fixture(scope="session")
def seeded_template(tmp_path_factory: pytest.TempPathFactory, reference: Reference) -> Path:
    """An SQLite file holding the demo data, seeded once per test session."""
    folder = tmp_path_factory.mktemp("seeded")
    opened = open_hub(_settings(folder))
    seed_demo(opened.sessions, reference, DATA, seed=2017)
    opened.engine.dispose()
    return folder / "hub.db"


@pytest.fixture
def seeded_hub(tmp_path: Path, seeded_template: Path) -> Iterator[Hub]:
    """A private copy of the seeded demo database."""
    shutil.copy(seeded_template, tmp_path / "hub.db")
    opened = open_hub(_settings(tmp_path))
    yield opened
    opened.engine.dispose()


@pytest.fixture
def seeded_settings(tmp_path: Path, seeded_template: Path) -> Settings:
    """Settings over a private copy of the seeded demo database (no index yet)."""
    shutil.copy(seeded_template, tmp_path / "hub.db")
    return _settings(tmp_path)


@pytest.fixture(scope="session")
def indexed_template(tmp_path_factory: pytest.TempPathFactory, seeded_template: Path) -> Path:
    """A data folder with the demo database and its search indexes (real model), built once."""
    from hub.cli import main

    folder = tmp_path_factory.mktemp("indexed")
    shutil.copy(seeded_template, folder / "hub.db")
    main(["reindex"], settings=_settings(folder), out=io.StringIO())
    return folder


@pytest.fixture
def indexed_settings(tmp_path: Path, indexed_template: Path) -> Settings:
    """Settings over a private copy of the indexed demo data folder."""
    target = tmp_path / "data"
    shutil.copytree(indexed_template, target)
    return _settings(target)


def _postgres_database() -> Iterator[str]:
    admin_url = os.environ.get(POSTGRES_ENV)
    if not admin_url:
        pytest.skip(
            f"PostgreSQL tests need {POSTGRES_ENV} (e.g. postgresql+psycopg://postgres@127.0.0.1/test)"
        )
    name = f"hubmatch_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def any_hub(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Hub]:
    """An empty database on each supported backend: SQLite always, PostgreSQL when configured."""
    if request.param == "sqlite":
        opened = open_hub(_settings(tmp_path))
        yield opened
        opened.engine.dispose()
        return
    for url in _postgres_database():
        opened = open_hub(_settings(tmp_path, url))
        yield opened
        opened.engine.dispose()
