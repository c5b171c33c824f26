"""Migrations: a new database is created at the latest one; a database of the release before
migrations, with data in it, is upgraded without losing a row; instances starting together
upgrade once; a database newer than the release is refused with a clear message."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, MetaData, select, text

from hub import repository
from hub.cli import main
from hub.config import PROJECT_ROOT, Settings
from hub.context import Hub, open_hub
from hub.db import DatabaseUnavailable, head_revision, make_engine, schema_revision
from hub.migrations import baseline
from hub.models import Base
from tests.conftest import Backend, only_on

FIXTURES = Path(__file__).parents[1] / "fixtures"


def _differences(engine: Engine) -> list[Any]:
    """What the database's schema lacks or has beyond the models (empty: identical)."""
    with engine.connect() as connection:
        return compare_metadata(MigrationContext.configure(connection), Base.metadata)


def _rows(engine: Engine) -> dict[str, list[tuple]]:
    """Every row of every table the previous release had, in primary-key order."""
    tables = MetaData()
    tables.reflect(engine, only=list(baseline.metadata.tables))
    with engine.connect() as connection:
        return {
            name: [tuple(row) for row in connection.execute(select(table).order_by(*table.primary_key))]
            for name, table in tables.tables.items()
        }


def _previous_release(source: Hub, target: Settings) -> Engine:
    """The database the release before migrations would hold: its schema exactly as its
    ``create_all`` made it (a dump kept in tests/fixtures), filled with ``source``'s rows."""
    engine = make_engine(target.resolved_database_url)
    dialect = engine.dialect.name
    dump = (FIXTURES / f"schema_release_before_migrations.{dialect}.sql").read_text(encoding="utf-8")
    schema = "\n".join(line for line in dump.splitlines() if not line.startswith("--"))
    with engine.begin() as connection:
        for statement in filter(str.strip, schema.split(";")):
            connection.exec_driver_sql(statement)
        for table in baseline.metadata.sorted_tables:
            with source.engine.connect() as reading:
                rows = [dict(row._mapping) for row in reading.execute(select(table))]
            if rows:
                connection.execute(table.insert(), rows)
            if dialect == "postgresql" and "id" in table.c:  # as if the rows had been inserted one by one
                connection.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), max(id)) FROM {table.name}"
                    )
                )
    return engine


def test_a_new_database_is_created_at_the_latest_migration_exactly_as_the_models_describe_it(
    hub: Hub,
) -> None:
    assert schema_revision(hub.engine) == head_revision()
    assert _differences(hub.engine) == []
    assert hub.upgraded == ()  # made, not upgraded
    with hub.sessions() as session:
        assert repository.change_revision(session) == (0, 0)


def test_a_database_of_the_previous_release_with_data_is_upgraded_and_keeps_every_row(
    backend: Backend, seeded_hub: Hub, tmp_path: Path
) -> None:
    with backend.empty(tmp_path / "old") as settings:
        old = _previous_release(seeded_hub, settings)
        before = _rows(old)
        assert schema_revision(old) is None and sum(map(len, before.values())) > 2_000
        old.dispose()

        out = io.StringIO()
        assert main(["init"], settings=settings, out=out) == 0
        assert "migration 0002 applied" in out.getvalue() and "(schema 0002, the latest)" in out.getvalue()

        upgraded = open_hub(settings)
        assert schema_revision(upgraded.engine) == head_revision()
        assert _differences(upgraded.engine) == []
        assert _rows(upgraded.engine) == before  # not a row lost or changed
        with upgraded.sessions.begin() as session:  # and it takes writes, logged for other instances
            investor = repository.find_investor(session, 1)
            investor.name = f"{investor.name} (renamed)"
        with upgraded.sessions() as session:
            assert repository.change_revision(session)[0] == 1
            assert repository.changes_since(session, 0, 1) == [("investor", 1)]
        upgraded.engine.dispose()


@only_on("postgresql")  # processes racing on one server
def test_instances_starting_at_once_upgrade_the_database_once(
    backend: Backend, seeded_hub: Hub, tmp_path: Path
) -> None:
    with backend.empty(tmp_path / "old") as settings:
        _previous_release(seeded_hub, settings).dispose()
        env = {
            **os.environ,
            "HUB_DATABASE_URL": settings.resolved_database_url,
            "HUB_DATA_DIR": str(tmp_path),
        }
        starts = [
            subprocess.Popen(
                [sys.executable, "-m", "hub", "init"],
                cwd=PROJECT_ROOT,
                env=env,
                stdout=subprocess.PIPE,
                text=True,
            )
            for _ in range(3)
        ]
        outputs = [start.communicate(timeout=120)[0] for start in starts]
        assert [start.returncode for start in starts] == [0, 0, 0], outputs
        assert sum("migration 0002 applied" in output for output in outputs) == 1  # the others found it done
        engine = make_engine(settings.resolved_database_url)
        assert schema_revision(engine) == head_revision() and _differences(engine) == []
        engine.dispose()


def test_a_database_newer_than_this_release_is_refused_with_what_to_do(hub: Hub) -> None:
    with hub.engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '0099'"))
    with pytest.raises(
        DatabaseUnavailable, match=r"migration 0099, newer than this release .* latest is 0002"
    ):
        open_hub(hub.settings)
    out = io.StringIO()
    assert main(["init"], settings=hub.settings, out=out) == 1
    assert "restore a backup taken before the upgrade" in out.getvalue()
    assert main(["health"], settings=hub.settings, out=out) == 1


def test_an_unreachable_database_is_reported_in_one_line_not_a_traceback(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, database_url="postgresql+psycopg://postgres@127.0.0.1:1/nowhere")
    for command in (["init"], ["health"], ["stats"]):
        out = io.StringIO()
        assert main(command, settings=settings, out=out) == 1
        assert "127.0.0.1:1" in out.getvalue() and "Traceback" not in out.getvalue()
        assert len(out.getvalue().strip().splitlines()) == 1


def test_health_says_ok_for_a_current_database_and_changes_nothing(hub: Hub, tmp_path: Path) -> None:
    out = io.StringIO()
    assert main(["health"], settings=hub.settings, out=out) == 0
    assert out.getvalue().startswith("ok: the database at ") and "schema 0002" in out.getvalue()
    with hub.engine.begin() as connection:
        connection.execute(text("DELETE FROM alembic_version"))
    assert main(["health"], settings=hub.settings, out=out) == 1  # needs init; health does not run it
    assert schema_revision(hub.engine) is None
