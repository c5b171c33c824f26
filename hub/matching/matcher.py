"""The Matcher: candidates -> hard constraints -> calibrated, weighted score -> page rules.

Directions: investor -> projects, project -> investors, project -> similar projects, and free
text -> projects or investors. Candidates come from the vector index (by meaning) and from
BM25 (by words), both limited to the listings passing the hard constraints and filters; the
text factor is their calibrated fusion (``hub.matching.text``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

import numpy as np

from embeddings.encoder import Encoder
from embeddings.index import VectorIndex
from hub.catalog import LANGUAGES, InvestorCatalog, InvestorFacts, ProjectCatalog, ProjectFacts
from hub.duplicates import DuplicateRule, Identity
from hub.language import text_language
from hub.matching.constraints import describe, passing
from hub.matching.diversity import Page, diversify
from hub.matching.evidence import split_sentences, standing_out
from hub.matching.filters import ProjectFilters
from hub.matching.results import Match, MatchResult
from hub.matching.scoring import contributions, factor_values
from hub.matching.settings import FACTORS, MatchSettings
from hub.matching.text import Lexicon, QueryScale, corpus_sample, fuse, lexical_z, relevance
from hub.reference import Reference

# Two passports are probably the same project when their texts are this close (cosine of the
# indexed texts) and they share a region or an owner: an edited copy. Independently written
# profiles of one company are caught by their shared name, website or contact instead (see
# ``hub.duplicates.DuplicateRule``). The same kind of project by someone else is a comparable.
DUPLICATE_SIMILARITY = DuplicateRule().copy_similarity


class TextSource(Protocol):
    """Where explanation sentences and query texts come from (the database, or memory)."""

    def project_texts(self, ids: Sequence[int]) -> dict[int, str]: ...

    def investor_texts(self, ids: Sequence[int]) -> dict[int, str]: ...


Catalog = ProjectCatalog | InvestorCatalog


@dataclass(frozen=True)
class Candidates:
    """Candidates of one query: catalog positions, cosine and calibrated text relevance."""

    positions: np.ndarray  # (n,) int64
    cosine: np.ndarray  # (n,) float64
    relevance: np.ndarray  # (n,) float64 in [0, 1]
    scale: QueryScale

    def __len__(self) -> int:
        return len(self.positions)

    def take(self, keep: np.ndarray) -> Candidates:
        return Candidates(self.positions[keep], self.cosine[keep], self.relevance[keep], self.scale)

    def match(
        self,
        c: int,
        facts: ProjectFacts | InvestorFacts,
        score: float,
        factors: dict[str, float],
        **rest: Any,
    ) -> Match:
        """Candidate ``c`` as a ``Match`` with its similarity and relevance; ``rest`` explains it."""
        return Match(
            id=facts.id,
            external_id=facts.external_id,
            label=facts.title if isinstance(facts, ProjectFacts) else facts.name,
            score=float(score),
            factors=factors,
            similarity=float(self.cosine[c]),
            relevance=float(self.relevance[c]),
            **rest,
        )


@dataclass
class Matcher:
    """Ranks and explains matches over the catalogs and indexes it is given."""

    projects: ProjectCatalog
    investors: InvestorCatalog
    project_index: VectorIndex
    investor_index: VectorIndex
    encoder: Encoder
    texts: TextSource
    reference: Reference
    settings: MatchSettings = field(default_factory=MatchSettings)
    clock: Callable[[], datetime] | None = None
    duplicates: DuplicateRule = field(default_factory=DuplicateRule)
    project_lexicon: Lexicon | None = None  # BM25 over project texts, in catalog order
    investor_lexicon: Lexicon | None = None  # BM25 over theses, in catalog order
    sentence_vectors: dict[str, np.ndarray] = field(default_factory=dict, repr=False)  # text -> unit vector
    # (index, catalog) -> (index revision, catalog position of each index row, rows in catalog order?)
    _aligned: dict[tuple[int, int], tuple[int, np.ndarray, bool]] = field(default_factory=dict, repr=False)
    _samples: dict[int, tuple[int, np.ndarray]] = field(default_factory=dict, repr=False)
    _thesis_languages: np.ndarray | None = field(default=None, repr=False)  # of ``investors``
    _positions_sample: tuple[int, np.ndarray] | None = field(default=None, repr=False)

    # --- alignment of index rows with catalog rows --------------------------------------

    def _rows(self, index: VectorIndex, catalog: Catalog) -> tuple[np.ndarray, bool]:
        """Catalog position of each index row (-1 where the catalog lacks the id), and whether
        the rows are exactly in catalog order; cached per index revision."""
        key = (id(index), id(catalog))
        cached = self._aligned.get(key)
        if cached is not None and cached[0] == index.revision:
            return cached[1], cached[2]
        positions = np.full(len(index.ids), -1, dtype=np.int64)
        if len(catalog.ids):
            by_id = np.argsort(catalog.ids, kind="stable")
            sorted_ids = catalog.ids[by_id]
            slot = np.minimum(np.searchsorted(sorted_ids, index.ids), len(sorted_ids) - 1)
            positions = np.where(sorted_ids[slot] == index.ids, by_id[slot], -1).astype(np.int64)
        in_order = len(positions) == len(catalog.ids) and bool(
            np.array_equal(positions, np.arange(len(positions)))
        )
        self._aligned[key] = (index.revision, positions, in_order)
        return positions, in_order

    def _sample(self, index: VectorIndex) -> np.ndarray:
        """A fixed sample of the index's live vectors: the corpus a query is calibrated on."""
        cached = self._samples.get(id(index))
        if cached is None or cached[0] != index.revision:
            cached = (index.revision, corpus_sample(index.live_vectors()))
            self._samples[id(index)] = cached
        return cached[1]

    def _search(
        self, index: VectorIndex, catalog: Catalog, query: np.ndarray, allowed: np.ndarray, k: int,
        *, need: int | None = None,
    ) -> tuple[np.ndarray, np.ndarray]:  # fmt: skip
        """(catalog positions, cosine) of up to k nearest allowed items, best first; at least
        ``need`` (default k) of them when that many exist."""
        rows, in_order = self._rows(index, catalog)
        # index rows in catalog order need no gather
        mask = allowed if in_order else (rows >= 0) & allowed[np.maximum(rows, 0)]
        scores, ids = index.search(query, k, mask=mask, min_found=need)
        keep = ids[0] >= 0
        positions = np.array([catalog.position(item) for item in ids[0][keep]], dtype=np.int64)
        return positions, scores[0][keep].astype(np.float64)

    def _vectors(self, index: VectorIndex, catalog: Catalog, positions: np.ndarray) -> np.ndarray:
        """(len(positions), d) unit vectors of catalog rows."""
        return index.vectors(catalog.ids[positions])

    # --- text relevance -----------------------------------------------------------------

    def _candidates(
        self,
        index: VectorIndex,
        catalog: Catalog,
        lexicon: Lexicon | None,
        query: np.ndarray,
        *,
        query_text: str | None,
        allowed: np.ndarray,
        pool: int,
        need: int | None = None,
    ) -> Candidates:
        """The best ``pool`` allowed items by meaning, joined by the best ``pool`` by words, each
        with its calibrated text relevance."""
        scale = QueryScale.of(query, self._sample(index))
        positions, cosine = self._search(index, catalog, query, allowed, pool, need=need)
        lexical = None  # BM25 z-score of each candidate
        if lexicon is not None and query_text and len(lexicon) == len(catalog):
            if index.approximate:
                # A graph-walk catalog is too large to score every listing by words per query: BM25
                # re-ranks the candidates found by meaning, calibrated on a fixed sample.
                sample = self._word_sample(len(catalog))
                lexical = lexical_z(lexicon.scores(query_text, positions), lexicon.scores(query_text, sample))
            else:
                every = lexical_z(lexicon.scores(query_text))
                sharing = np.flatnonzero(allowed & (every > 0))  # allowed listings sharing its words
                take = min(pool, len(sharing))
                if take:
                    best = sharing[np.argpartition(-every[sharing], take - 1)[:take]]
                    extra = np.setdiff1d(best, positions)
                    if len(extra):
                        positions = np.concatenate([positions, extra.astype(np.int64)])
                        cosine = np.concatenate(
                            [cosine, (self._vectors(index, catalog, extra) @ query).astype(np.float64)]
                        )
                lexical = every[positions]
        dense = scale.z(cosine)
        if lexical is not None:
            language = LANGUAGES.index(text_language(query_text)) if query_text else -1
            same = self._languages(catalog)[positions] == language
            fused = fuse(
                dense, lexical, same, self.settings.lexical_weight, peers=self.settings.lexical_peers
            )
        else:
            fused = dense
        s = self.settings
        return Candidates(positions, cosine, relevance(fused, s.text_centre, s.text_scale), scale)

    def _word_sample(self, n: int) -> np.ndarray:
        """A fixed sample of catalog positions on which BM25 scores are calibrated (large catalogs)."""
        if self._positions_sample is None or self._positions_sample[0] != n:
            self._positions_sample = (n, corpus_sample(np.arange(n)))
        return self._positions_sample[1]

    def _project_candidates(
        self, query: np.ndarray, *, text: str | None, allowed: np.ndarray, pool: int, need: int | None = None
    ) -> Candidates:
        """Projects by meaning and, when ``text`` is given, by its words (``_candidates``)."""
        lexicon = self.project_lexicon if text else None
        return self._candidates(
            self.project_index, self.projects, lexicon, query, query_text=text, allowed=allowed, pool=pool,
            need=need,
        )  # fmt: skip

    def _investor_candidates(
        self, query: np.ndarray, *, text: str | None, allowed: np.ndarray, pool: int
    ) -> Candidates:
        """Investors by meaning and, when ``text`` is given, by the words of their theses."""
        lexicon = self.investor_lexicon if text else None
        return self._candidates(
            self.investor_index, self.investors, lexicon, query, query_text=text, allowed=allowed, pool=pool
        )

    def _languages(self, catalog: Catalog) -> np.ndarray:
        """The language code of each catalog row's text (projects say; theses are read once)."""
        if isinstance(catalog, ProjectCatalog):
            return catalog.language
        if self._thesis_languages is None or len(self._thesis_languages) != len(catalog):
            texts = self.texts.investor_texts([int(i) for i in catalog.ids])
            self._thesis_languages = np.array(
                [LANGUAGES.index(text_language(texts.get(int(i), ""))) for i in catalog.ids], dtype=np.int8
            )
        return self._thesis_languages

    # --- evidence -----------------------------------------------------------------------

    def _evidence_for(
        self, texts: dict[int, str], query: np.ndarray, scale: QueryScale
    ) -> dict[int, tuple[tuple[str, float], ...]]:
        """Sentences standing out in each text (id -> text); new sentences encoded in one batch."""
        split = {item: split_sentences(text) for item, text in texts.items()}
        missing = sorted(
            {s for sentences in split.values() for s in sentences} - self.sentence_vectors.keys()
        )
        if missing:
            self.sentence_vectors.update(zip(missing, self.encoder.encode(missing), strict=True))
        s = self.settings
        return {
            item: standing_out(
                sentences,
                np.stack([self.sentence_vectors[x] for x in sentences]) if sentences else np.empty((0, 0)),
                query,
                scale,
                count=s.evidence_sentences,
                z=s.evidence_z,
            )
            for item, sentences in split.items()
        }

    def _now(self) -> datetime | None:
        return self.clock() if self.clock else None

    # --- investor -> projects -----------------------------------------------------------

    def projects_for_investor(
        self, investor_id: int, top: int = 10, filters: ProjectFilters | None = None, *, explain: bool = True
    ) -> MatchResult:
        """The projects that fit the investor best, each explained; never padded with misfits."""
        i = self._investor_position(investor_id)
        proj, s = self.projects, self.settings
        allowed = passing(self.investors, i, proj, slice(None), s)  # a slice: views, no copies
        if filters:
            allowed &= filters.mask(proj)
        query = self.investor_index.vector(investor_id)
        thesis = self.texts.investor_texts([investor_id]).get(investor_id, "")
        # Exact search scores every row anyway; a graph walk pays for each extra candidate.
        pool = max(top * 3, 30) if self.project_index.approximate else max(s.candidate_pool, top * 3)
        found = self._project_candidates(query, text=thesis, allowed=allowed, pool=pool, need=top)
        items = self._rank_projects(i, found, query, top, explain=explain)
        return MatchResult(items=items, passing=int(allowed.sum()), requested=top)

    def _rank_projects(
        self, i: int, found: Candidates, query: np.ndarray, top: int, *, explain: bool
    ) -> list[Match]:
        if len(found) == 0:
            return []
        s = self.settings
        positions = found.positions
        values = factor_values(
            self.investors, i, self.projects, positions, text=found.relevance, s=s, now=self._now()
        )
        parts, total = contributions(values, s)
        page = diversify(
            total,
            top,
            s,
            regions=self.projects.region[positions],
            sectors=self.projects.primary_sector[positions],
            vectors=self._vectors(self.project_index, self.projects, positions),
        )
        ids = [int(self.projects.ids[positions[c]]) for c in page.chosen]
        evidence = self._evidence_for(self.texts.project_texts(ids), query, found.scale) if explain else {}
        items = []
        for c in page.chosen:
            p = int(positions[c])
            facts = self.projects.facts[p]
            items.append(
                found.match(
                    c,
                    facts,
                    total[c],
                    {name: float(parts[name][c]) for name in FACTORS},
                    constraints=describe(self.investors, i, self.projects, p, s=s, reference=self.reference)
                    if explain
                    else (),
                    evidence=evidence.get(facts.id, ()),
                    evidence_checked=explain,
                    moved_for_diversity=c in page.passed_over,
                    passed_over=page.passed_over.get(c, 0),
                    near_copies=self._external_ids(positions, page.near_copies.get(c, [])),
                )
            )
        return items

    def _external_ids(self, positions: np.ndarray, candidates: list[int]) -> tuple[str, ...]:
        return tuple(self.projects.facts[int(positions[c])].external_id for c in candidates)

    def explain_pair(self, investor_id: int, project_id: int) -> Match:
        """Why a project ranks where it does for an investor, even if it fails a constraint."""
        i = self._investor_position(investor_id)
        p = self.projects.position(project_id)
        if p is None:
            raise LookupError(f"project {project_id} is not published")
        query = self.investor_index.vector(investor_id)
        thesis = self.texts.investor_texts([investor_id]).get(investor_id, "")
        everything = np.zeros(len(self.projects), dtype=bool)
        everything[p] = True
        found = self._project_candidates(query, text=thesis, allowed=everything, pool=1)
        if len(found) == 0:  # the index lags the catalog: nothing to compare yet
            raise LookupError(f"project {project_id} is not indexed yet")
        values = factor_values(
            self.investors, i, self.projects, found.positions, text=found.relevance, s=self.settings,
            now=self._now(),
        )  # fmt: skip
        parts, total = contributions(values, self.settings)
        facts = self.projects.facts[p]
        evidence = self._evidence_for({project_id: self._project_text(project_id)}, query, found.scale)
        return found.match(
            0,
            facts,
            total[0],
            {n: float(parts[n][0]) for n in FACTORS},
            constraints=describe(
                self.investors, i, self.projects, p, s=self.settings, reference=self.reference
            ),
            evidence=evidence[project_id],
            evidence_checked=True,
        )

    # --- project -> investors -----------------------------------------------------------

    def investors_for_project(self, project_id: int, top: int = 10) -> MatchResult:
        """The investors most likely to fund a project, each explained."""
        p = self.projects.position(project_id)
        if p is None:
            raise LookupError(f"project {project_id} is not published (only published projects are matched)")
        inv, s = self.investors, self.settings
        allowed = passing(inv, np.arange(len(inv)), self.projects, p, s)
        query = self.project_index.vector(project_id)
        text = self._project_text(project_id)
        found = self._investor_candidates(query, text=text, allowed=allowed, pool=max(s.candidate_pool, top))
        if len(found) == 0:
            return MatchResult(items=[], passing=0, requested=top)
        values = factor_values(
            inv, found.positions, self.projects, p, text=found.relevance, s=s, now=self._now()
        )
        parts, total = contributions(values, s)
        order = np.argsort(-total, kind="stable")[:top]
        ids = [int(inv.ids[found.positions[c]]) for c in order]
        evidence = self._evidence_for(self.texts.investor_texts(ids), query, found.scale)
        items = []
        for c in order:
            i = int(found.positions[c])
            facts = inv.facts[i]
            items.append(
                found.match(
                    c,
                    facts,
                    total[c],
                    {name: float(parts[name][c]) for name in FACTORS},
                    constraints=describe(inv, i, self.projects, p, s=s, reference=self.reference),
                    evidence=evidence.get(facts.id, ()),
                    evidence_checked=True,
                )
            )
        return MatchResult(items=items, passing=int(allowed.sum()), requested=top)

    # --- project -> similar projects, free text -----------------------------------------

    def similar_projects(self, project_id: int, top: int = 10) -> MatchResult:
        """Projects whose text is closest: comparables for investors, duplicates for curators."""
        p = self.projects.position(project_id)
        if p is None:
            raise LookupError(f"project {project_id} is not published (only published projects are matched)")
        query = self.project_index.vector(project_id)
        allowed = self.projects.ids != project_id
        found = self._project_candidates(query, text=None, allowed=allowed, pool=top)
        facts = self.projects.facts[p]
        return self._text_result(found, query, top, int(allowed.sum()), duplicate_of=facts.who)

    def duplicate_candidates(
        self, text: str, *, who: Identity, exclude: int | None = None, top: int = 3
    ) -> MatchResult:
        """Published projects closest to a passport under review (``text`` as the index reads it,
        see ``hub.indexing.project_text``); ``duplicate`` says why one is probably the same."""
        query = self.encoder.encode([text])[0]
        allowed = self.projects.ids != (-1 if exclude is None else exclude)
        found = self._project_candidates(query, text=None, allowed=allowed, pool=top)
        return self._text_result(found, query, top, int(allowed.sum()), duplicate_of=who)

    def search_projects(self, text: str, top: int = 10, filters: ProjectFilters | None = None) -> MatchResult:
        """Published projects relevant to ``text`` (any supported language), by meaning and by
        words; only those above the relevance floor, never two near-copies."""
        query = self.encoder.encode([text])[0]
        allowed = filters.mask(self.projects) if filters else np.ones(len(self.projects), dtype=bool)
        pool = max(top * 3, 30)
        found = self._project_candidates(query, text=text, allowed=allowed, pool=pool)
        relevant = found.relevance >= self.settings.search_floor
        result = self._text_result(found.take(relevant), query, top, int(allowed.sum()), near_copies=True)
        result = MatchResult(result.items, result.passing, top, below_floor=int((~relevant).sum()))
        return result

    def search_investors(self, text: str, top: int = 10) -> MatchResult:
        """Active investors whose thesis is relevant to ``text``, above the relevance floor."""
        query = self.encoder.encode([text])[0]
        allowed = np.ones(len(self.investors), dtype=bool)
        found = self._investor_candidates(query, text=text, allowed=allowed, pool=max(top * 3, 30))
        relevant = found.relevance >= self.settings.search_floor
        found = found.take(relevant)
        order = np.argsort(-found.relevance, kind="stable")[:top]
        ids = [int(self.investors.ids[found.positions[q]]) for q in order]
        evidence = self._evidence_for(self.texts.investor_texts(ids), query, found.scale)
        items = []
        for q in order:
            facts = self.investors.facts[int(found.positions[q])]
            items.append(
                found.match(
                    q,
                    facts,
                    found.relevance[q],
                    {"semantic": float(found.relevance[q])},
                    evidence=evidence.get(facts.id, ()),
                    evidence_checked=True,
                )
            )
        return MatchResult(
            items=items, passing=len(self.investors), requested=top, below_floor=int((~relevant).sum())
        )

    def _text_result(
        self,
        found: Candidates,
        query: np.ndarray,
        top: int,
        passing_count: int,
        *,
        duplicate_of: Identity | None = None,  # who the query's project is
        near_copies: bool = False,
    ) -> MatchResult:
        """Projects ranked by text alone (relevance), explained by their standing-out sentences."""
        if near_copies:
            page = diversify(
                found.relevance, top, self.settings,
                vectors=self._vectors(self.project_index, self.projects, found.positions),
            )  # fmt: skip
        else:
            page = Page(chosen=[int(c) for c in np.argsort(-found.cosine, kind="stable")[:top]])
        ids = [int(self.projects.ids[found.positions[c]]) for c in page.chosen]
        evidence = self._evidence_for(self.texts.project_texts(ids), query, found.scale)
        items = []
        for c in page.chosen:
            facts = self.projects.facts[int(found.positions[c])]
            cosine = float(found.cosine[c])
            items.append(
                found.match(
                    c,
                    facts,
                    found.relevance[c],
                    {"semantic": float(found.relevance[c])},
                    evidence=evidence.get(facts.id, ()),
                    evidence_checked=True,
                    near_copies=self._external_ids(found.positions, page.near_copies.get(c, [])),
                    duplicate=self.duplicates.signals(duplicate_of, facts.who, cosine)
                    if duplicate_of
                    else (),
                )
            )
        return MatchResult(items=items, passing=passing_count, requested=top)

    # --- text only, for the evaluation ----------------------------------------------------

    def rank_by_text(self, investor_id: int, top: int) -> list[int]:
        """Project ids by text relevance alone (no constraints, factors or page rules)."""
        query = self.investor_index.vector(investor_id)
        thesis = self.texts.investor_texts([investor_id]).get(investor_id, "")
        everything = np.ones(len(self.projects), dtype=bool)
        found = self._project_candidates(
            query, text=thesis, allowed=everything, pool=max(self.settings.candidate_pool, top)
        )
        order = np.argsort(-found.relevance, kind="stable")[:top]
        return [int(self.projects.ids[found.positions[c]]) for c in order]

    # --- listings, counts and previews ---------------------------------------------------

    def browse_projects(self, filters: ProjectFilters | None = None, limit: int = 50) -> list[ProjectFacts]:
        """Published projects passing ``filters``, newest first (no text query)."""
        allowed = filters.mask(self.projects) if filters else np.ones(len(self.projects), dtype=bool)
        rows = np.flatnonzero(allowed)
        newest = rows[np.argsort(-self.projects.published[rows], kind="stable")][:limit]
        return [self.projects.facts[int(r)] for r in newest]

    def count_projects_for(self, investor: InvestorFacts) -> int:
        """How many published projects pass the hard constraints of an (edited) mandate."""
        one = InvestorCatalog(self.investors.places, [investor])
        return int(passing(one, 0, self.projects, np.arange(len(self.projects)), self.settings).sum())

    def count_investors_for(self, project_id: int) -> int:
        """How many active investors' mandates a published project passes (no ranking)."""
        p = self.projects.position(project_id)
        if p is None:
            raise LookupError(f"project {project_id} is not published (only published projects are matched)")
        return int(
            passing(self.investors, np.arange(len(self.investors)), self.projects, p, self.settings).sum()
        )

    def likely_investors(
        self, project: ProjectFacts, text: str, top: int = 10
    ) -> list[tuple[InvestorFacts, float]]:
        """Investors whose mandate a (draft) project passes, most relevant thesis first, with
        the calibrated text relevance (0..1)."""
        one = ProjectCatalog(self.projects.places, [project])
        allowed = passing(self.investors, np.arange(len(self.investors)), one, 0, self.settings)
        if not allowed.any():
            return []
        query = self.encoder.encode([text])[0]
        found = self._investor_candidates(query, text=text, allowed=allowed, pool=max(top * 3, 30))
        order = np.argsort(-found.relevance, kind="stable")[:top]
        return [(self.investors.facts[int(found.positions[c])], float(found.relevance[c])) for c in order]

    # --- helpers ------------------------------------------------------------------------

    def _investor_position(self, investor_id: int) -> int:
        i = self.investors.position(investor_id)
        if i is None:
            raise LookupError(f"investor {investor_id} is not active (only active investors are matched)")
        return i

    def _project_text(self, project_id: int) -> str:
        return self.texts.project_texts([project_id]).get(project_id, "")
