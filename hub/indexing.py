"""Keeps the vector indexes in step with the database, which is the source of truth.

Two indexes: published projects and active investors, each mapping database ids to the
embedding of the item's text. ``sync_index`` loads the saved index, rebuilds it when it is
missing, corrupt or of another model, then adds, re-embeds and removes items until it holds
exactly what the database says, and saves it. Unchanged texts are never re-encoded (the
embedding cache answers), so a sync after one change costs one encode.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path

from sqlalchemy.orm import Session

from embeddings.cache import text_hash
from embeddings.encoder import Encoder, Progress
from embeddings.index import IndexCorrupt, VectorIndex
from hub import failpoints, repository
from hub.matching.evidence import join_fields
from hub.models import Investor, Project
from hub.reference import Reference
from hub.schemas import ProjectIn


class IndexKind(StrEnum):
    PROJECTS = "projects"
    INVESTORS = "investors"


def project_text(project: Project) -> str:
    """What the encoder reads for a project: the words its owner wrote (title, summary,
    description), nothing else. Sectors, places, stage and money are structured factors of the
    score; written into the text they would make listings alike that their words tell apart."""
    return join_fields(project.title, project.summary, project.description)


def passport_text(passport: ProjectIn) -> str:
    """``project_text`` of a passport not stored yet (a draft being written)."""
    return join_fields(passport.title, passport.summary, passport.description)


def project_words(project: Project, reference: Reference) -> str:
    """What BM25 reads for a project: its text and the names of its place in every language, so
    that a search for "hospital PPP in Astana" finds Astana's listings by name."""
    region = reference.regions[project.region_code]
    names = " ".join(dict.fromkeys([project.city or "", *(region.name(lang) for lang in ("en", "ru", "kk"))]))
    return f"{project_text(project)} {names}"


def investor_text(investor: Investor) -> str:
    """What the encoder reads for an investor: the thesis, as written. A generalist covering
    every sector is told apart by its thesis, not by a list of sector names."""
    return investor.thesis.strip()


@dataclass
class SyncReport:
    kind: IndexKind
    added: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0
    encoded: int = 0  # texts actually run through the model (cache misses)
    rebuilt_because: str | None = None

    def summary(self) -> str:
        rebuilt = f" (rebuilt: {self.rebuilt_because})" if self.rebuilt_because else ""
        return (
            f"{self.kind}: {self.added} added, {self.updated} re-embedded, {self.removed} removed, "
            f"{self.unchanged} unchanged{rebuilt}"
        )


def index_folder(root: Path, kind: IndexKind) -> Path:
    return root / str(kind)


def current_texts(session: Session, kind: IndexKind, reference: Reference) -> dict[int, str]:
    """id -> text of every item that belongs in the index right now."""
    if kind == IndexKind.PROJECTS:
        return {p.id: project_text(p) for p in repository.published_projects(session)}
    return {i.id: investor_text(i) for i in repository.active_investors(session)}


def set_aside(path: Path) -> Path:
    """Move a damaged file or folder out of the way (never delete what a person may want back)."""
    aside = path.with_name(f"{path.name}.damaged-{datetime.now(UTC):%Y%m%d%H%M%S}")
    path.rename(aside)
    return aside


def open_index(folder: Path, encoder: Encoder, exact_limit: int) -> tuple[VectorIndex, str | None]:
    """The saved index, or a new empty one and the reason the saved one could not be used."""
    fresh = VectorIndex(encoder.dimension, model=encoder.name, exact_limit=exact_limit)
    if folder.exists() and not folder.is_dir():  # a file where the index folder belongs
        aside = set_aside(folder)
        return fresh, f"a file stood where the index folder belongs (moved to {aside.name})"
    if (folder / "manifest.json").is_dir():
        aside = set_aside(folder)
        return fresh, f"the saved index was not files (moved to {aside.name})"
    if not (folder / "manifest.json").exists():
        return fresh, "no saved index"
    try:
        index = VectorIndex.load(folder, exact_limit=exact_limit)
    except IndexCorrupt as error:
        return fresh, f"saved index unreadable ({error})"
    if index.model != encoder.name or index.dimension != encoder.dimension:
        return fresh, f"saved index is of model {index.model}, now {encoder.name}"
    return index, None


def sync_index(
    index: VectorIndex, texts: dict[int, str], encoder: Encoder, *, progress: Progress | None = None
) -> SyncReport:
    """Make ``index`` hold exactly ``texts`` (id -> text); encode only new or changed texts."""
    report = SyncReport(kind=IndexKind.PROJECTS)
    stored = index.hashes()
    wanted = {item: text_hash(text) for item, text in texts.items()}
    changed = [item for item, digest in wanted.items() if stored.get(item) != digest]
    gone = [item for item in stored if item not in wanted]
    report.unchanged = len(wanted) - len(changed)
    if changed:
        before = getattr(encoder, "misses", None)

        def step(done: int, total: int) -> None:
            if 4 * done >= 3 * total:  # a test may kill -9 here, three quarters encoded
                failpoints.checkpoint("reindex.encoding")
            if progress is not None:
                progress(done, total)

        vectors = encoder.encode([texts[item] for item in changed], progress=step)
        index.upsert(changed, vectors, [wanted[item] for item in changed])
        report.added = sum(item not in stored for item in changed)
        report.updated = len(changed) - report.added
        report.encoded = len(changed) if before is None else encoder.misses - before
    report.removed = index.remove(gone) if gone else 0
    return report


def apply_changes(
    index: VectorIndex, texts: dict[int, str], changed: Iterable[int], encoder: Encoder
) -> tuple[VectorIndex, SyncReport]:
    """A copy of ``index`` in which the items ``changed`` hold their text in ``texts`` (id ->
    text of every item that belongs), or are gone when they are not in it. Only those items are
    looked at, and only new or edited texts are encoded. The index itself is left as it is:
    searches running on it finish undisturbed."""
    report = SyncReport(kind=IndexKind.PROJECTS)
    ids = set(changed)
    stored = index.hashes(ids)
    wanted = {item: text_hash(texts[item]) for item in ids if item in texts}
    edited = sorted(item for item, digest in wanted.items() if stored.get(item) != digest)
    gone = sorted(item for item in ids if item not in wanted and item in stored)
    report.unchanged = len(wanted) - len(edited)
    if not edited and not gone:
        return index, report
    updated = index.copy()
    if edited:
        before = getattr(encoder, "misses", None)
        vectors = encoder.encode([texts[item] for item in edited])
        updated.upsert(edited, vectors, [wanted[item] for item in edited])
        report.added = sum(item not in stored for item in edited)
        report.updated = len(edited) - report.added
        report.encoded = len(edited) if before is None else encoder.misses - before
    report.removed = updated.remove(gone) if gone else 0
    return updated, report


def refresh(
    root: Path,
    kind: IndexKind,
    texts: dict[int, str],
    encoder: Encoder,
    *,
    exact_limit: int = 250_000,
    progress: Progress | None = None,
) -> tuple[VectorIndex, SyncReport]:
    """Load (or rebuild) the saved index of ``kind``, make it hold exactly ``texts`` (id -> text)
    and save it if anything changed."""
    folder = index_folder(root, kind)
    index, reason = open_index(folder, encoder, exact_limit)
    report = sync_index(index, texts, encoder, progress=progress)
    report.kind = kind
    report.rebuilt_because = reason
    if reason or report.added or report.updated or report.removed:
        try:
            index.save(folder)
        except OSError as error:  # a read-only data folder: the index works from memory
            logging.getLogger("hubmatch").warning("index %s not saved (%s)", folder, error)
    return index, report
