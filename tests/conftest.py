"""Shared fixtures: reference data and the demo data set are built once per session;
every test that writes gets its own temporary database, on each backend (``backend``)."""

from __future__ import annotations

import io
import os
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
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
POSTGRES_EXAMPLE = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


@pytest.fixture(scope="session")
def reference() -> Reference:
    return load_reference(DATA)


@pytest.fixture(scope="session")
def demo(reference: Reference) -> DemoData:
    return build_demo(reference, DATA, seed=2017)


def _settings(folder: Path, url: str | None = None) -> Settings:
    return Settings(data_dir=folder, database_url=url or f"sqlite:///{folder / 'hub.db'}", reference_dir=DATA)


@dataclass(frozen=True)
class Template:
    """A database built once per session and the data folder that goes with it (its index, if
    any). On SQLite the database is the folder's ``hub.db``; on PostgreSQL it is the database
    ``database``, which accepts no connections: it is only copied."""

    folder: Path
    database: str | None = None


class Backend:
    """The database server the tests run on: ``sqlite`` (a file in the test's data folder) or
    ``postgresql`` (a database of its own per test on the server named by HUB_TEST_POSTGRES_URL,
    made with ``CREATE DATABASE`` and dropped afterwards)."""

    def __init__(self, name: str, admin_url: str | None = None) -> None:
        self.name = name
        self._admin_url = admin_url
        self._admin = None if admin_url is None else create_engine(admin_url, isolation_level="AUTOCOMMIT")

    def __repr__(self) -> str:
        return self.name

    @contextmanager
    def empty(self, folder: Path) -> Iterator[Settings]:
        """Settings over ``folder`` and an empty database of its own (no schema yet)."""
        folder.mkdir(parents=True, exist_ok=True)
        if self._admin is None:
            yield _settings(folder)
            return
        with self._database() as url:
            yield _settings(folder, url)

    @contextmanager
    def copy(self, template: Template, folder: Path) -> Iterator[Settings]:
        """Settings over a private copy of ``template``: its folder copied to ``folder`` and, on
        PostgreSQL, a new database made from the template database (a file copy on the server)."""
        shutil.copytree(template.folder, folder, dirs_exist_ok=True)
        if self._admin is None:
            yield _settings(folder)
            return
        with self._database(template.database) as url:
            yield _settings(folder, url)

    def freeze(self, settings: Settings) -> Template:
        """Make the database of ``settings`` (built, and its engines disposed) a template."""
        if self._admin is None:
            return Template(settings.data_dir)
        name = make_url(settings.resolved_database_url).database
        with self._admin.connect() as connection:
            connection.execute(text(f'ALTER DATABASE "{name}" WITH ALLOW_CONNECTIONS false'))
            connection.execute(  # CREATE DATABASE ... TEMPLATE needs a template nobody is connected to
                text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :name"),
                {"name": name},
            )
        return Template(settings.data_dir, name)

    @contextmanager
    def _database(self, template: str | None = None) -> Iterator[str]:
        assert self._admin is not None and self._admin_url is not None
        name = f"hubmatch_test_{uuid.uuid4().hex[:12]}"
        source = template or "template0"  # template0: nobody else may be connected to it
        with self._admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{source}"'))
        try:
            yield make_url(self._admin_url).set(database=name).render_as_string(hide_password=False)
        finally:
            with self._admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))

    def close(self) -> None:
        if self._admin is not None:
            self._admin.dispose()


@pytest.fixture(scope="session", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def backend(request: pytest.FixtureRequest) -> Iterator[Backend]:
    """The database every database fixture uses: each test that needs one runs on SQLite and on
    PostgreSQL (``test_x[sqlite]``, ``test_x[postgresql]``); the PostgreSQL runs are skipped, with
    the reason, when HUB_TEST_POSTGRES_URL is unset. ``-m "not postgres"`` leaves them out."""
    if request.param == "sqlite":
        yield Backend("sqlite")
        return
    admin_url = os.environ.get(POSTGRES_ENV)
    if not admin_url:
        pytest.skip(f"PostgreSQL tests need {POSTGRES_ENV} (e.g. {POSTGRES_EXAMPLE})")
    made = Backend("postgresql", admin_url)
    yield made
    made.close()


def only_on(*names: str) -> pytest.MarkDecorator:
    """Mark a test that is about one backend itself (the SQLite file, processes racing on a
    PostgreSQL server): its variants for the other backends are not collected. Say why beside it."""
    return pytest.mark.only_on(*names)


sqlite_only = only_on("sqlite")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Drop the variants a test's ``only_on`` excludes. (Parametrizing ``backend`` on the test
    instead would number its one backend 0, as SQLite is, and pytest would then interleave the two
    backends' tests, building the session templates again at each switch.)"""
    items[:] = [item for item in items if _runs_on_its_backend(item)]


def _runs_on_its_backend(item: pytest.Item) -> bool:
    marker = item.get_closest_marker("only_on")
    params = getattr(item, "callspec", None)
    if marker is None or params is None or "backend" not in params.params:
        return True
    return params.params["backend"] in marker.args


@pytest.fixture
def settings(backend: Backend, tmp_path: Path) -> Iterator[Settings]:
    """Settings over this test's own folder and empty database."""
    with backend.empty(tmp_path) as made:
        yield made


@pytest.fixture
def hub(settings: Settings) -> Iterator[Hub]:
    """An empty database of this test's own, its schema created."""
    opened = open_hub(settings)
    yield opened
    opened.engine.dispose()


@pytest.fixture(scope="session")
def seeded_template(
    backend: Backend, tmp_path_factory: pytest.TempPathFactory, reference: Reference
) -> Iterator[Template]:
    """The demo data in a database seeded once per test session (per backend)."""
    with backend.empty(tmp_path_factory.mktemp("seeded")) as settings:
        opened = open_hub(settings)
        seed_demo(opened.sessions, reference, DATA, seed=2017)
        opened.engine.dispose()
        yield backend.freeze(settings)


@pytest.fixture
def seeded_settings(backend: Backend, tmp_path: Path, seeded_template: Template) -> Iterator[Settings]:
    """Settings over a private copy of the seeded demo database (no index yet)."""
    with backend.copy(seeded_template, tmp_path) as made:
        yield made


@pytest.fixture
def seeded_hub(seeded_settings: Settings) -> Iterator[Hub]:
    """A private copy of the seeded demo database."""
    opened = open_hub(seeded_settings)
    yield opened
    opened.engine.dispose()


@pytest.fixture(scope="session")
def indexed_template(
    backend: Backend, tmp_path_factory: pytest.TempPathFactory, seeded_template: Template
) -> Iterator[Template]:
    """The demo database and a data folder with its search indexes (real model), built once."""
    from hub.cli import main

    with backend.copy(seeded_template, tmp_path_factory.mktemp("indexed")) as settings:
        main(["reindex"], settings=settings, out=io.StringIO())
        yield backend.freeze(settings)


@pytest.fixture
def indexed_settings(backend: Backend, tmp_path: Path, indexed_template: Template) -> Iterator[Settings]:
    """Settings over a private copy of the indexed demo database and data folder."""
    with backend.copy(indexed_template, tmp_path / "data") as made:
        yield made


def execute(url: str, statement: str, **params: object) -> list[tuple]:
    """Run one SQL statement on the database at ``url`` and commit; the rows it returns."""
    engine = create_engine(url)
    try:
        with engine.begin() as connection:
            result = connection.execute(text(statement), params)
            return [tuple(row) for row in result] if result.returns_rows else []
    finally:
        engine.dispose()
