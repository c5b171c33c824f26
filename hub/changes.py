"""The change log: how every app instance learns what any instance wrote.

Each transaction that writes projects or investors through the ORM (every service and import
does) raises the single ``change_counter`` row and logs the ids it wrote in ``change_log``, in
the same transaction, just before it commits (``install`` hooks this into a session factory).
Updating one row serialises those last moments of writers, so revisions become visible in order:
an instance holding revision n has seen every change up to n. An instance polls the counter (one
small query) and reads only the log rows past its revision
(``hub.engine.MatchingEngine.catch_up``); it never re-reads whole tables to stay in step.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session, object_session, sessionmaker

from hub import repository
from hub.models import Investor, Project

PROJECT, INVESTOR, EVERYTHING = "project", "investor", "all"
BULK = 2_000  # a transaction writing more listings than this logs EVERYTHING: catch up by re-reading
_PENDING = "hub.changes"  # session.info key: (kind, id) written since the last commit


@dataclass(frozen=True)
class Pending:
    """What an instance must apply to hold revision ``revision``: project and investor ids to
    re-read, or ``everything`` (a bulk write, a restore, or log rows it missed were pruned)."""

    revision: int
    projects: frozenset[int] = frozenset()
    investors: frozenset[int] = frozenset()
    everything: bool = False


def install(sessions: sessionmaker[Session]) -> None:
    """Log the projects and investors each session writes, when it commits."""
    for model, kind in ((Project, PROJECT), (Investor, INVESTOR)):
        for moment in ("after_insert", "after_update", "after_delete"):
            if not event.contains(model, moment, _WRITTEN[kind]):
                event.listen(model, moment, _WRITTEN[kind])
    event.listen(sessions, "before_commit", _record)
    event.listen(sessions, "after_rollback", _forget)


def _written(kind: str) -> Callable[[Any, Any, Any], None]:
    """A mapper event handler noting that a row of ``kind`` was written in its session. The
    mapper calls it for each row a flush writes (an update also when only the listing's sectors
    or SDGs changed), so a transaction costs nothing beyond its own rows."""

    def note(_mapper: Any, _connection: Any, target: Any) -> None:
        session = object_session(target)
        if session is not None:
            session.info.setdefault(_PENDING, set()).add((kind, target.id))

    return note


_WRITTEN = {PROJECT: _written(PROJECT), INVESTOR: _written(INVESTOR)}


def _record(session: Session) -> None:
    session.flush()  # the last writes are noted too
    written = session.info.pop(_PENDING, None)
    if written:
        rows = [(EVERYTHING, None)] if len(written) > BULK else sorted(written)
        repository.record_changes(session, rows)


def _forget(session: Session) -> None:
    session.info.pop(_PENDING, None)


def record_everything(session: Session) -> int:
    """Tell every instance to re-read all listings (after a restore, or a write the ORM did not
    see). Returns the new revision."""
    return repository.record_changes(session, [(EVERYTHING, None)])


def pending(session: Session, since: int) -> Pending | None:
    """What changed after revision ``since``; None when nothing did (one small query)."""
    revision, pruned_before = repository.change_revision(session)
    if revision == since:
        return None
    if since + 1 < pruned_before or since > revision:  # log rows missed, or another database
        return Pending(revision, everything=True)
    rows = repository.changes_since(session, since, revision)
    if any(kind == EVERYTHING for kind, _ in rows):
        return Pending(revision, everything=True)
    return Pending(
        revision,
        projects=frozenset(i for kind, i in rows if kind == PROJECT and i is not None),
        investors=frozenset(i for kind, i in rows if kind == INVESTOR and i is not None),
    )
