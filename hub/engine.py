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
from hub.indexing import IndexKind, SyncReport, investor_text, project_text, refresh
from hub.matching import FACTORS, Matcher, MatchSettings, Weights, split_sentences
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
    """The project text whose sentences explanations quote."""
    return f"{summary} {description}"


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

    def refresh(self, progress: Progress | None = None) -> Matcher:
        """Re-read the database, sync the indexes and rebuild the catalogs."""
        reference = self.hub.reference
        with self.hub.sessions() as session:
            projects = repository.published_projects(session)
            investors = repository.active_investors(session)
            project_rows = [project_facts(p, reference) for p in projects]
            investor_rows = [investor_facts(i, reference) for i in investors]
            texts = {
                IndexKind.PROJECTS: {p.id: project_text(p, reference) for p in projects},
                IndexKind.INVESTORS: {i.id: investor_text(i, reference) for i in investors},
            }
            evidence_texts = {
                IndexKind.PROJECTS: [evidence_text(p.summary, p.description) for p in projects],
                IndexKind.INVESTORS: [i.thesis for i in investors],
            }
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
        # Explanations quote sentences: embed them now, not at query time. The previous matcher's
        # vectors carry over, so a refresh after one edit embeds only that listing's sentences.
        sentences = {
            sentence
            for text in (*evidence_texts[IndexKind.PROJECTS], *evidence_texts[IndexKind.INVESTORS])
            for sentence in split_sentences(text)
        }
        known = self.matcher.sentence_vectors if self.matcher is not None else {}
        vectors = {s: known[s] for s in sentences if s in known}
        new = sorted(sentences - vectors.keys())
        step = None if progress is None else (lambda done, total: progress("sentences", done, total))
        vectors.update(zip(new, self.encoder.encode(new, progress=step), strict=True))
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
            sentence_vectors=vectors,
        )
        return self.matcher


def open_engine(hub: Hub, encoder: Encoder, progress: Progress | None = None) -> MatchingEngine:
    engine = MatchingEngine(hub=hub, encoder=encoder, settings=match_settings(hub.settings))
    engine.refresh(progress)
    return engine
