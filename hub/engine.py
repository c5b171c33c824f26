"""Wiring of the matcher from the database: indexes brought up to date, catalogs loaded.

The database is the source of truth: ``MatchingEngine.refresh`` re-reads the published
projects and active investors, syncs both vector indexes (encoding only what changed) and
rebuilds the catalogs, so a project published a moment ago is matchable after one refresh.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from embeddings.encoder import Encoder
from hub import repository
from hub.catalog import InvestorCatalog, Places, ProjectCatalog, investor_facts, project_facts
from hub.config import Settings
from hub.context import Hub
from hub.indexing import IndexKind, SyncReport, investor_text, project_text, project_words, refresh
from hub.matching import FACTORS, Lexicon, Matcher, MatchSettings, Weights, join_fields, split_sentences
from hub.models import Investor, Project

Progress = Callable[[str, int, int], None]  # (what, done, total)


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
class MatchingEngine:
    """Owns the matcher for one database; call ``refresh`` after writes."""

    hub: Hub
    encoder: Encoder
    settings: MatchSettings
    matcher: Matcher | None = None
    reports: list[SyncReport] = field(default_factory=list)
    _evidence_texts: list[str] = field(default_factory=list, repr=False)

    def refresh(self, progress: Progress | None = None, *, sentences: bool = True) -> Matcher:
        """Re-read the database, sync the indexes and rebuild the catalogs; then, unless
        ``sentences`` is false, embed the sentences explanations quote (``warm_sentences``).

        A listing is matchable once its document vector exists: the sentence pass only saves
        the first explanation that quotes it from encoding its sentences then."""
        reference = self.hub.reference
        with self.hub.sessions() as session:
            projects = repository.published_projects(session)
            investors = repository.active_investors(session)
            project_rows = [project_facts(p, reference) for p in projects]
            investor_rows = [investor_facts(i, reference) for i in investors]
            texts = {
                IndexKind.PROJECTS: {p.id: project_text(p) for p in projects},
                IndexKind.INVESTORS: {i.id: investor_text(i) for i in investors},
            }
            words = [project_words(p, reference) for p in projects]
            self._evidence_texts = [
                *(evidence_text(p.summary, p.description) for p in projects),
                *(i.thesis for i in investors),
            ]
        indexes = {}
        self.reports = []
        for kind, kind_texts in texts.items():
            step = None if progress is None else (lambda done, total, k=kind: progress(str(k), done, total))
            indexes[kind], report = refresh(
                self.hub.settings.index_dir,
                kind,
                kind_texts,
                self.encoder,
                exact_limit=self.hub.settings.exact_search_limit,
                progress=step,
            )
            self.reports.append(report)
        known = self.matcher.sentence_vectors if self.matcher is not None else {}
        places = Places.of(reference)
        self.matcher = Matcher(
            projects=ProjectCatalog(places, project_rows),
            investors=InvestorCatalog(places, investor_rows),
            project_index=indexes[IndexKind.PROJECTS],
            investor_index=indexes[IndexKind.INVESTORS],
            encoder=self.encoder,
            texts=DatabaseTexts(self.hub.sessions),
            reference=reference,
            settings=self.settings,
            project_lexicon=Lexicon(words),
            investor_lexicon=Lexicon([i.thesis for i in investors]),
            sentence_vectors=dict(known),
        )
        if sentences:
            self.warm_sentences(progress)
        return self.matcher

    def warm_sentences(self, progress: Progress | None = None) -> int:
        """Embed every sentence explanations may quote that the matcher has no vector for yet:
        deduplicated, in batches, through the embedding cache. Returns how many were new."""
        matcher = self.matcher
        if matcher is None:
            return 0
        wanted = {s for text in self._evidence_texts for s in split_sentences(text)}
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
