"""Alembic's entry point, run by ``hub.db.migrate`` on a connection it opened (and locked).

Also usable from the command line for writing a new migration: ``alembic -c hub/migrations/alembic.ini
revision --autogenerate -m "what changes"`` against a database at the latest revision.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from hub.models import Base

config = context.config


def run() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _migrate(connection)
        return
    engine = create_engine(config.get_main_option("sqlalchemy.url") or "")
    with engine.begin() as opened:
        _migrate(opened)


def _migrate(connection) -> None:  # type: ignore[no-untyped-def]
    # batch mode: SQLite alters a table by copying it into its new shape
    context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


run()
