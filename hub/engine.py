"""Wiring of the matcher from the database: indexes brought up to date, catalogs loaded.

The database is the source of truth. ``MatchingEngine.refresh`` reads the published projects
and active investors, syncs both vector indexes (encoding only what changed) and builds the
catalogs; it runs once when an instance starts and on a staff reindex. After that the engine
follows the change log (``hub.changes``): ``catch_up`` asks for the revision (one small query)
and re-reads only the listings written since, whether this instance or another wrote them, so a
project published through any instance is matchable on every instance seconds later.
"""

from __future__ import annotations

import logging
import threading
import time
import weakref
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from embeddings.encoder import Encoder
from embeddings.index import VectorIndex
from hub import changes, repository
from hub.catalog import (
    InvestorCatalog,
    InvestorFacts,
    Places,
    ProjectCatalog,
    ProjectFacts,
    investor_facts,
    project_facts,
)
from hub.config import Settings
from hub.context import Hub
from hub.indexing import (
    IndexKind,
    SyncReport,
    apply_changes,
    investor_text,
    project_text,
    project_words,
    refresh,
)
from hub.matching import FACTORS, Lexicon, Matcher, MatchSettings, Weights, join_fields, split_sentences
from hub.models import Investor, Project
from hub.reference import Reference

Progress = Callable[[str, int, int], None]  # (what, done, total)
log = logging.getLogger("hubmatch")


def match_settings(settings: Settings) -> MatchSettings:
    """The matching knobs from the HUB_* settings."""
    unknown = sorted(set(settings.match_weights) - set(FACTORS))
    if unknown:
        raise ValueError(
            f"HUB_MATCH_WEIGHTS names unknown factor(s) {', '.join(unknown)}; known: {', '.join(FACTORS)}"
        )
    weights = Weights(**{**Weights().__dict__, **settings.match_weights})
    return MatchSettings(
        weights=weights,
        ticket_tolerance=settings.match_ticket_tolerance,
        allow_neighbouring=settings.match_allow_neighbouring,
    )


def evidence_text(summary: str, description: str) -> str:
    """The project text whose sentences explanations quote (a summary without a final stop
    does not run into the description)."""
    return join_fields(summary, description)


@dataclass
class DatabaseTexts:
    """Explanation sentences read from the database: summaries, descriptions and theses."""

    sessions: sessionmaker[Session]

    def project_texts(self, ids: Sequence[int]) -> dict[int, str]:
        if not ids:
            return {}
        with self.sessions() as session:
            rows = session.execute(
                select(Project.id, Project.summary, Project.description).where(Project.id.in_(list(ids)))
            )
            return {item: evidence_text(summary, description) for item, summary, description in rows}

    def investor_texts(self, ids: Sequence[int]) -> dict[int, str]:
        if not ids:
            return {}
        with self.sessions() as session:
            rows = session.execute(select(Investor.id, Investor.thesis).where(Investor.id.in_(list(ids))))
            return {item: thesis for item, thesis in rows}


@dataclass
class Listings:
    """What the engine read of the matchable listings, by id, so that a change to a few is
    applied without reading the others again: catalog facts, the text each index embeds, the
    words BM25 reads and the texts explanations quote."""

    projects: dict[int, ProjectFacts] = field(default_factory=dict)
    investors: dict[int, InvestorFacts] = field(default_factory=dict)
    texts: dict[IndexKind, dict[int, str]] = field(
        default_factory=lambda: {IndexKind.PROJECTS: {}, IndexKind.INVESTORS: {}}
    )
    words: dict[int, str] = field(default_factory=dict)  # project id -> BM25 document
    evidence: dict[tuple[IndexKind, int], str] = field(default_factory=dict)

    def put_project(self, project: Project, reference: Reference) -> None:
        """Hold a published project (callers read only published ones)."""
        self.projects[project.id] = project_facts(project, reference)
        self.texts[IndexKind.PROJECTS][project.id] = project_text(project)
        self.words[project.id] = project_words(project, reference)
        self.evidence[IndexKind.PROJECTS, project.id] = evidence_text(project.summary, project.description)

    def put_investor(self, investor: Investor, reference: Reference) -> None:
        """Hold an active investor (callers read only active ones)."""
        self.investors[investor.id] = investor_facts(investor, reference)
        self.texts[IndexKind.INVESTORS][investor.id] = investor_text(investor)
        self.evidence[IndexKind.INVESTORS, investor.id] = investor.thesis

    def drop(self, kind: IndexKind, item: int) -> None:
        (self.projects if kind == IndexKind.PROJECTS else self.investors).pop(item, None)
        self.texts[kind].pop(item, None)
        self.words.pop(item, None)
        self.evidence.pop((kind, item), None)


@dataclass
class MatchingEngine:
    """Owns the matcher for one database: ``refresh`` reads everything, ``catch_up`` applies the
    change log since, ``follow`` polls it in the background."""

    hub: Hub
    encoder: Encoder
    settings: MatchSettings
    matcher: Matcher | None = None
    reports: list[SyncReport] = field(default_factory=list)
    revision: int = 0  # the change-log revision the matcher reflects
    listings: Listings = field(default_factory=Listings, repr=False)
    _lock: threading.RLock = field(default_factory=threading.RLock, repr=False)
    _follower: threading.Thread | None = field(default=None, repr=False)
    _cold: set[tuple[IndexKind, int]] = field(default_factory=set, repr=False)  # sentences not embedded

    def refresh(self, progress: Progress | None = None, *, sentences: bool = True) -> Matcher:
        """Re-read the database, sync the saved indexes and rebuild the catalogs; then, unless
        ``sentences`` is false, embed the sentences explanations quote (``warm_sentences``).

        A listing is matchable once its document vector exists: the sentence pass only saves
        the first explanation that quotes it from encoding its sentences then."""
        with self._lock:
            reference = self.hub.reference
            listings = Listings()
            with self.hub.sessions() as session:
                revision, _ = repository.change_revision(session)  # first: later writes are caught up
                for project in repository.published_projects(session):
                    listings.put_project(project, reference)
                for investor in repository.active_investors(session):
                    listings.put_investor(investor, reference)
            indexes = {}
            self.reports = []
            for kind in IndexKind:
                step = (
                    None if progress is None else (lambda done, total, k=kind: progress(str(k), done, total))
                )
                indexes[kind], report = refresh(
                    self.hub.settings.index_dir,
                    kind,
                    listings.texts[kind],
                    self.encoder,
                    exact_limit=self.hub.settings.exact_search_limit,
                    progress=step,
                )
                self.reports.append(report)
            self.listings = listings
            self._build(indexes[IndexKind.PROJECTS], indexes[IndexKind.INVESTORS])
            self.revision = revision
            if sentences:
                self.warm_sentences(progress)
            assert self.matcher is not None
            return self.matcher

    def catch_up(self, *, wait: bool = True) -> changes.Pending | None:
        """Apply what was written since the matcher's revision, by this instance or any other:
        read the listings written that are matchable now, forget those that no longer are,
        re-embed new or edited texts, and swap in a matcher holding them. One small query when
        nothing changed; drafts and submissions cost one more and rebuild nothing. The
        sentences explanations quote are left to ``warm_changed`` (the follower's job): a
        listing is matchable as soon as its document vector exists. Returns what was applied.

        ``wait=False``: when another catch-up is under way, return at once (None) and leave this
        one to the follower, which runs again within its interval; a write's request then never
        queues behind other instances' changes being applied."""
        if not self._lock.acquire(blocking=wait):
            return None
        try:
            return self._catch_up()
        finally:
            self._lock.release()

    def _catch_up(self) -> changes.Pending | None:
        with self._lock:
            if self.matcher is None:
                self.refresh(sentences=False)
                return None
            reference, listings = self.hub.reference, self.listings
            with self.hub.sessions() as session:
                todo = changes.pending(session, self.revision)
                if todo is None:
                    return None
                if todo.everything:
                    self.refresh(sentences=False)
                    self._cold.update(self.listings.evidence)
                    return todo
                projects = repository.published_projects_with_ids(session, todo.projects)
                investors = repository.active_investors_with_ids(session, todo.investors)
                for project in projects:
                    listings.put_project(project, reference)
                for investor in investors:
                    listings.put_investor(investor, reference)
            changed = {
                IndexKind.PROJECTS: {p.id for p in projects},
                IndexKind.INVESTORS: {i.id for i in investors},
            }
            for kind, ids, held in (
                (IndexKind.PROJECTS, todo.projects, listings.projects),
                (IndexKind.INVESTORS, todo.investors, listings.investors),
            ):
                gone = (ids & held.keys()) - changed[kind]  # unpublished, archived, deactivated, deleted
                for item in gone:
                    listings.drop(kind, item)
                changed[kind] |= gone
            if not any(changed.values()):
                self.revision = todo.revision
                return todo
            matcher = self.matcher
            indexes = {}
            self.reports = []
            for kind, index in (
                (IndexKind.PROJECTS, matcher.project_index),
                (IndexKind.INVESTORS, matcher.investor_index),
            ):
                texts = listings.texts[kind]
                indexes[kind], report = apply_changes(index, texts, changed[kind], self.encoder)
                report.kind = kind
                self.reports.append(report)
            self._build(indexes[IndexKind.PROJECTS], indexes[IndexKind.INVESTORS])
            self.revision = todo.revision  # only now: a failure above is applied again next time
            self._cold.update((kind, item) for kind, ids in changed.items() for item in ids)
            return todo

    def warm_changed(self) -> int:
        """Embed the sentences of the listings caught up since the last call (outside the lock:
        requests and writes are not held up by it). Returns how many sentences were new."""
        with self._lock:
            keys, self._cold = self._cold, set()
            texts = [self.listings.evidence[key] for key in keys if key in self.listings.evidence]
        return self.warm_sentences(texts=texts) if texts else 0

    def follow(self, interval: float) -> None:
        """Poll the change log every ``interval`` seconds in a daemon thread and apply what was
        written (``catch_up``), so requests never wait for it. The thread ends with the engine
        (it holds only a weak reference); a failed poll is logged and retried."""
        if interval <= 0 or (self._follower is not None and self._follower.is_alive()):
            return
        engine = weakref.ref(self)

        def poll() -> None:
            failing = False
            while True:
                time.sleep(interval)
                current = engine()
                if current is None:
                    return
                try:
                    current.catch_up()
                    current.warm_changed()
                    failing = False
                except Exception:  # the database is away for a moment: keep serving, try again
                    if not failing:
                        log.warning("could not catch up with the change log", exc_info=True)
                    failing = True
                del current

        self._follower = threading.Thread(target=poll, name="hubmatch-follow", daemon=True)
        self._follower.start()

    def _build(self, project_index: VectorIndex, investor_index: VectorIndex) -> None:
        """A matcher over ``listings`` and the two indexes, swapped in whole (readers holding
        the previous one finish with it)."""
        listings, reference = self.listings, self.hub.reference
        project_ids, investor_ids = sorted(listings.projects), sorted(listings.investors)
        known = self.matcher.sentence_vectors if self.matcher is not None else {}
        places = Places.of(reference)
        self.matcher = Matcher(
            projects=ProjectCatalog(places, [listings.projects[i] for i in project_ids]),
            investors=InvestorCatalog(places, [listings.investors[i] for i in investor_ids]),
            project_index=project_index,
            investor_index=investor_index,
            encoder=self.encoder,
            texts=DatabaseTexts(self.hub.sessions),
            reference=reference,
            settings=self.settings,
            project_lexicon=Lexicon([listings.words[i] for i in project_ids]),
            investor_lexicon=Lexicon([listings.texts[IndexKind.INVESTORS][i] for i in investor_ids]),
            sentence_vectors=dict(known),
        )

    def warm_sentences(self, progress: Progress | None = None, *, texts: Sequence[str] | None = None) -> int:
        """Embed every sentence explanations may quote (of ``texts``; by default of every
        listing) that the matcher has no vector for yet: deduplicated, in batches, through the
        embedding cache. Returns how many were new."""
        matcher = self.matcher
        if matcher is None:
            return 0
        texts = self.listings.evidence.values() if texts is None else texts
        wanted = {s for text in texts for s in split_sentences(text)}
        new = sorted(wanted - matcher.sentence_vectors.keys())
        step = None if progress is None else (lambda done, total: progress("sentences", done, total))
        if new:
            matcher.sentence_vectors.update(zip(new, self.encoder.encode(new, progress=step), strict=True))
        return len(new)


def open_engine(
    hub: Hub, encoder: Encoder, progress: Progress | None = None, *, sentences: bool = True
) -> MatchingEngine:
    """The engine over ``hub``, refreshed (see ``MatchingEngine.refresh``)."""
    engine = MatchingEngine(hub=hub, encoder=encoder, settings=match_settings(hub.settings))
    engine.refresh(progress, sentences=sentences)
    return engine
