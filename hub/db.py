"""Engine and session factory, and creation of the schema."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from alembic.migration import MigrationContext
from alembic.operations import Operations
from sqlalchemy import Column, Engine, create_engine, event, inspect
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from hub.models import Base

BUSY_TIMEOUT_MS = 120_000


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


def create_schema(engine: Engine) -> list[str]:
    """Create every table that does not exist yet and bring older tables up to date
    (idempotent). Returns the changes made to existing tables, e.g. ``projects.website added``."""
    Base.metadata.create_all(engine)
    return upgrade_schema(engine)


def upgrade_schema(engine: Engine) -> list[str]:
    """Add the columns and indexes a database made by an earlier release lacks, and let columns
    that may now be empty be empty (a draft's stage, place and ask). Data is kept: on SQLite a
    table whose column rules change is copied into its new shape (Alembic's batch mode) with
    foreign keys off, so the copy cascades nothing."""
    inspector = inspect(engine)
    plans = []
    for table in Base.metadata.sorted_tables:
        found = {c["name"]: c for c in inspector.get_columns(table.name)}
        added = [c for c in table.columns if c.name not in found]
        relaxed = [
            c for c in table.columns if c.name in found and c.nullable and not found[c.name]["nullable"]
        ]
        indexed = {i["name"] for i in inspector.get_indexes(table.name)}
        indexes = [i for i in table.indexes if i.name not in indexed]
        if added or relaxed or indexes:
            plans.append((table, added, relaxed, indexes))
    if not plans:
        return []
    changes = []
    sqlite = engine.dialect.name == "sqlite"
    with engine.connect() as connection:
        if sqlite:
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
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
        connection.commit()
        if sqlite:
            connection.exec_driver_sql("PRAGMA foreign_keys=ON")
    return changes


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)
