"""Engine and session factory, and creation of the schema."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.operations import Operations
from alembic.script import ScriptDirectory
from sqlalchemy import Column, Connection, Engine, MetaData, create_engine, event, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from hub import changes
from hub.i18n import ExplainedError
from hub.migrations import baseline

BUSY_TIMEOUT_MS = 120_000
MIGRATIONS = Path(__file__).with_name("migrations")
BASELINE = "0001"  # the first migration: the schema of the last release without migrations
MIGRATION_LOCK = 0x4855_424D  # "HUBM": PostgreSQL advisory lock held while migrating


def make_engine(url: str, **kwargs: Any) -> Engine:
    """An engine for ``url``; for an SQLite file, its folder is created and foreign keys are on."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            path = Path(parsed.database).expanduser()
            if read_only_file(path):  # e.g. a data folder mounted read-only: reads still work
                engine = create_engine(f"sqlite:///file:{path}?mode=ro&uri=true", **kwargs)
                event.listen(engine, "connect", _sqlite_read_only_pragmas)
                return engine
            path.parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True, **kwargs)


def read_only_file(path: Path) -> bool:
    """An existing file this process may not write, or one in a folder it may not write to."""
    return path.is_file() and not (os.access(path, os.W_OK) and os.access(path.parent, os.W_OK))


def _sqlite_read_only_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    # a writer waits for another (two imports at once) instead of failing with "database is locked"
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.close()


class DatabaseUnavailable(ExplainedError, RuntimeError):
    """The database cannot be used: unreachable, or its schema is newer than this release."""

    prefix = "database."


def alembic_config(connection: Connection | None = None) -> Config:
    """Alembic's configuration for the migrations in ``hub/migrations``, run on ``connection``."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    """The latest migration's revision: the schema this release expects."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def schema_revision(engine: Engine) -> str | None:
    """The migration the database is at (None: no schema yet, or one made before migrations)."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def create_schema(engine: Engine) -> list[str]:
    """Create the latest schema in an empty database, or upgrade an existing one to it
    (idempotent; run by every start and by ``python -m hub init``). Returns what it changed in an
    existing database, e.g. ``projects.website added`` or ``migration 0002 applied``.

    A database made before migrations is first brought to the baseline and stamped with it. It
    all happens in one transaction, on PostgreSQL under an advisory lock: instances starting at
    once upgrade the database once, and a failed migration leaves it as it was."""
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
        made = []
        tables = set(inspect(connection).get_table_names())
        if tables and "alembic_version" not in tables:
            made += _adopt(connection)
        before = MigrationContext.configure(connection).get_current_revision()
        script = ScriptDirectory.from_config(alembic_config())
        if before is not None and before not in {r.revision for r in script.walk_revisions()}:
            raise DatabaseUnavailable("too_new", found=before, latest=head_revision())
        command.upgrade(alembic_config(connection), "head")
        after = MigrationContext.configure(connection).get_current_revision()
    if made and engine.dialect.name == "sqlite":
        engine.dispose()  # the adoption turned foreign keys off: new connections turn them on
    if before is not None and before != after:
        applied = [r.revision for r in script.iterate_revisions(after, before)]
        made += [f"migration {revision} applied" for revision in reversed(applied)]
    return made


def _adopt(connection: Connection) -> list[str]:
    """Bring a database made before migrations (by ``create_all``) to the baseline schema and
    stamp it with the baseline revision; the migrations after it then apply as to any other."""
    baseline.metadata.create_all(connection)  # the tables its release did not have yet
    made = upgrade_schema(connection, baseline.metadata)
    command.stamp(alembic_config(connection), BASELINE)
    return made


def upgrade_schema(connection: Connection, metadata: MetaData) -> list[str]:
    """Add the columns and indexes of ``metadata`` that a database made by a release before
    migrations lacks, and let columns that may now be empty be empty (a draft's stage, place and
    ask). Data is kept: on SQLite a table whose column rules change is copied into its new shape
    (Alembic's batch mode) with foreign keys off, so the copy cascades nothing (the caller's
    engine must not hand this connection out again: see ``create_schema``)."""
    inspector = inspect(connection)
    plans = []
    for table in metadata.sorted_tables:
        found = {c["name"]: c for c in inspector.get_columns(table.name)}
        added = [c for c in table.columns if c.name not in found]
        relaxed = [
            c for c in table.columns if c.name in found and c.nullable and not found[c.name]["nullable"]
        ]
        indexed = {i["name"] for i in inspector.get_indexes(table.name)}
        indexes = [i for i in table.indexes if i.name not in indexed]
        if added or relaxed or indexes:
            plans.append((table, added, relaxed, indexes))
    changes = []
    if plans and connection.dialect.name == "sqlite":
        connection.exec_driver_sql("PRAGMA foreign_keys=OFF")  # no write yet: outside a transaction
    operations = Operations(MigrationContext.configure(connection))
    for table, added, relaxed, indexes in plans:
        with operations.batch_alter_table(table.name) as batch:
            for column in added:  # existing rows take the column's server default, if any
                default = column.server_default.arg if column.server_default is not None else None
                batch.add_column(Column(column.name, column.type, nullable=True, server_default=default))
            for column in relaxed:
                batch.alter_column(column.name, existing_type=column.type, nullable=True)
        for index in indexes:
            operations.create_index(index.name, table.name, [c.name for c in index.columns])
        changes += [f"{table.name}.{c.name} added" for c in added]
        changes += [f"{table.name}.{c.name} may now be empty" for c in relaxed]
        changes += [f"index {i.name} added" for i in indexes]
    return changes


def session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions over ``engine``; each one that writes projects or investors logs the change."""
    sessions = sessionmaker(engine, expire_on_commit=False)
    changes.install(sessions)
    return sessions
