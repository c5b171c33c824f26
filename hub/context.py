"""Wiring: settings -> engine, session factory and reference data, shared by the CLI and the UI."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from embeddings.cache import CachedEncoder, EmbeddingCache
from embeddings.encoder import LazyEncoder
from hub import repository
from hub.config import Settings, get_settings
from hub.db import DatabaseUnavailable, create_schema, make_engine, session_factory
from hub.reference import Reference, load_reference


@dataclass(frozen=True)
class Hub:
    """The collaborators every service needs, created once per process."""

    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    reference: Reference
    upgraded: tuple[str, ...] = ()  # what this start changed in an older database's tables


def open_hub(settings: Settings | None = None) -> Hub:
    """Connect to the configured database, creating the schema when it is new and bringing the
    reference tables (countries, regions, sectors, SDGs) in line with the data files, which every
    write's validation reads. ``DatabaseUnavailable`` says why the database cannot be used."""
    settings = settings or get_settings()
    engine = make_engine(settings.resolved_database_url)
    try:
        upgraded = create_schema(engine)
    except OperationalError as error:  # no server, wrong address or credentials, a locked file
        engine.dispose()
        reason = str(error.orig).strip().splitlines()[0] if error.orig else str(error)
        raise DatabaseUnavailable(
            "unreachable", url=engine.url.render_as_string(hide_password=True), reason=reason
        ) from None
    except BaseException:
        engine.dispose()
        raise
    reference = load_reference(settings.reference_dir)
    sessions = session_factory(engine)
    with sessions.begin() as session:
        repository.sync_reference(session, reference)
        if "projects.name_key added" in upgraded:
            repository.fill_identity_keys(session)
    return Hub(
        settings=settings, engine=engine, sessions=sessions, reference=reference, upgraded=tuple(upgraded)
    )


def open_encoder(settings: Settings) -> CachedEncoder:
    """The configured sentence encoder behind the persistent embedding cache (loaded on first need)."""
    cache = EmbeddingCache(settings.index_dir / "embeddings.sqlite")
    return CachedEncoder(LazyEncoder(settings.embedding_model), cache)
