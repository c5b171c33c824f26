"""Two-sided, explained matching: candidates -> hard constraints -> weighted score -> diversity.

Directions: investor -> projects, project -> investors, project -> similar projects, and free
text -> projects or investors. Every match carries each factor's contribution (they add up
to the score, which lies in [0, 1]), the hard constraints it passed, and the one to three
sentences of the other side's text most similar to this side's vector.

Hard constraints (published projects and active investors only, by construction of the
catalogs): the project's region is covered by the investor (a named region or a whole
country); its stage is one of the investor's stages; they share an instrument; the ask, in
US dollars, lies within the ticket range widened by ``ticket_tolerance``; none of the
project's sectors is excluded by the investor.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol

import numpy as np

from embeddings.encoder import Encoder
from embeddings.index import VectorIndex
from hub.catalog import (
    INSTRUMENTS,
    LANGUAGES,
    STAGES,
    InvestorCatalog,
    InvestorFacts,
    ProjectCatalog,
    ProjectFacts,
    bits,
    members,
)
from hub.i18n import Text, Vocab, t, usd
from hub.reference import Reference

FACTORS = ("semantic", "sector", "region", "ticket", "stage", "esg", "aifc", "freshness", "completeness")
# Two passports are probably the same project when their texts are this close (cosine of the
# indexed texts) and they share a region or an owner. The same kind of project elsewhere by someone
# else is a comparable, not a duplicate: on the demo data, same-archetype listings in other regions
# reach 0.985 while a retitled, shortened resubmission of a listing stays above 0.97.
DUPLICATE_SIMILARITY = 0.92
SENTENCE_END = re.compile(r"(?<=[.!?…])\s+(?=[A-ZА-ЯЁӘҒҚҢӨҰҮҺІ0-9«\"(])")


@dataclass(frozen=True)
class Weights:
    """How much each factor counts; normalised to sum to 1, so scores lie in [0, 1]."""

    semantic: float = 0.45
    sector: float = 0.15
    region: float = 0.10
    ticket: float = 0.08
    stage: float = 0.04
    esg: float = 0.06
    aifc: float = 0.04
    freshness: float = 0.04
    completeness: float = 0.04

    def normalised(self) -> dict[str, float]:
        values = {name: max(0.0, float(getattr(self, name))) for name in FACTORS}
        total = sum(values.values()) or 1.0
        return {name: value / total for name, value in values.items()}


@dataclass(frozen=True)
class MatchSettings:
    weights: Weights = field(default_factory=Weights)
    ticket_tolerance: float = 0.10  # an ask may lie this fraction outside the ticket range
    allow_neighbouring: bool = False  # let projects in a neighbouring country pass (lower fit)
    max_per_region: int = 3  # at most this many of one region in a top-10 page
    max_per_sector: int = 4  # at most this many with the same primary sector in a top-10 page
    candidate_pool: int = 200  # semantic candidates scored in full
    freshness_half_life_days: float = 180.0
    evidence_sentences: int = 2


@dataclass(frozen=True)
class ProjectFilters:
    """What a person narrows a project list by (all optional; amounts in US dollars)."""

    countries: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    sectors: tuple[str, ...] = ()
    sdgs: tuple[int, ...] = ()
    stages: tuple[str, ...] = ()
    instruments: tuple[str, ...] = ()
    ask_min_usd: float | None = None
    ask_max_usd: float | None = None
    aifc_only: bool = False
    languages: tuple[str, ...] = ()

    def mask(self, catalog: ProjectCatalog) -> np.ndarray:
        """Rows passing every filter. A code no longer in the reference data (a saved search
        naming a removed region, say) matches nothing rather than failing."""
        places = catalog.places
        keep = np.ones(len(catalog), dtype=bool)
        if self.countries:
            keep &= np.isin(catalog.country, _known(self.countries, places.countries))
        if self.regions:
            keep &= np.isin(catalog.region, _known(self.regions, places.regions))
        if self.sectors:
            keep &= (catalog.sectors & bits(_kept(self.sectors, places.sectors), places.sectors)) != 0
        if self.sdgs:
            keep &= (catalog.sdgs & sum(1 << n for n in self.sdgs)) != 0
        if self.stages:
            keep &= np.isin(catalog.stage, _known(self.stages, STAGES))
        if self.instruments:
            keep &= (catalog.instruments & bits(_kept(self.instruments, INSTRUMENTS), INSTRUMENTS)) != 0
        if self.ask_min_usd is not None:
            keep &= catalog.ask_usd >= self.ask_min_usd
        if self.ask_max_usd is not None:
            keep &= catalog.ask_usd <= self.ask_max_usd
        if self.aifc_only:
            keep &= catalog.aifc
        if self.languages:
            keep &= np.isin(catalog.language, _known(self.languages, LANGUAGES))
        return keep


def _kept(wanted: Sequence[str], known: Sequence[str]) -> list[str]:
    return [w for w in wanted if w in known]


def _known(wanted: Sequence[str], known: Sequence[str]) -> list[int]:
    """Positions in ``known`` of the ``wanted`` codes it holds."""
    return [known.index(w) for w in _kept(wanted, known)]


@dataclass(frozen=True)
class Constraint:
    name: str
    passed: bool
    text: Text  # the sentence a person can check, in any catalogue language

    @property
    def detail(self) -> str:
        """The sentence in English (CLI, JSON export)."""
        return self.text.render()


@dataclass(frozen=True)
class Match:
    """One ranked counterpart with its explanation."""

    id: int
    external_id: str
    label: str  # project title or investor name
    score: float  # 0..1, the sum of ``factors``
    factors: dict[str, float]  # factor -> contribution to the score
    similarity: float  # cosine similarity of the two texts, -1..1
    constraints: tuple[Constraint, ...] = ()
    evidence: tuple[tuple[str, float], ...] = ()  # (sentence, cosine similarity)
    moved_for_diversity: bool = False
    duplicate: bool = False

    @property
    def passed(self) -> bool:
        return all(c.passed for c in self.constraints)

    def explanation(self, language: str = "en") -> str:
        """The match in plain words: the strongest factors, the constraints, the evidence."""
        ranked = sorted(self.factors.items(), key=lambda item: -item[1])
        terms = [
            t("explain.term", language, factor=t(f"factor.{name}", language), value=f"{value:.2f}")
            for name, value in ranked
            if value >= 0.005
        ]
        parts = [t("explain.score", language, score=f"{self.score:.2f}", terms=" + ".join(terms))]
        failed = [c for c in self.constraints if not c.passed]
        shown = failed or self.constraints
        if shown:
            listed = "; ".join(c.text.render(language) for c in shown)
            parts.append(t("explain.fails" if failed else "explain.passes", language, constraints=listed))
        if self.evidence:
            quotes = " | ".join(
                t("explain.quote", language, sentence=sentence, similarity=f"{value:.2f}")
                for sentence, value in self.evidence
            )
            parts.append(t("explain.evidence", language, quotes=quotes))
        if self.moved_for_diversity:
            parts.append(t("explain.diversity", language))
        if self.duplicate:
            parts.append(t("explain.duplicate", language, similarity=f"{self.similarity:.2f}"))
        return " ".join(part if part.endswith(".") else part + "." for part in parts)

    def as_json(self, label_key: str) -> dict[str, Any]:
        return {
            "id": self.id,
            "external_id": self.external_id,
            label_key: self.label,
            "score": round(self.score, 4),
            "factors": {name: round(value, 4) for name, value in self.factors.items()},
            "similarity": round(self.similarity, 4),
            "constraints": [
                {"name": c.name, "passed": c.passed, "detail": c.detail} for c in self.constraints
            ],
            "evidence": [{"sentence": s, "similarity": round(v, 4)} for s, v in self.evidence],
            "explanation": self.explanation(),
        }


@dataclass(frozen=True)
class MatchResult:
    items: list[Match]
    passing: int  # counterparts that passed every hard constraint and filter
    requested: int

    @property
    def note(self) -> Text | None:
        """Said when fewer matches exist than were asked for (nothing is padded in)."""
        if len(self.items) < self.requested:
            return Text("explain.fewer", {"found": len(self.items), "requested": self.requested})
        return None


class TextSource(Protocol):
    """Where explanation sentences come from (the database, or memory in benchmarks)."""

    def project_texts(self, ids: Sequence[int]) -> dict[int, str]: ...

    def investor_texts(self, ids: Sequence[int]) -> dict[int, str]: ...


def split_sentences(text: str) -> list[str]:
    """Sentences of a text, for evidence; very short fragments are dropped."""
    return [s.strip() for s in SENTENCE_END.split(text.strip()) if len(s.strip()) >= 25]


# --- constraints and factors, vectorised ------------------------------------------------------


def _constraints(
    inv: InvestorCatalog, i: Any, proj: ProjectCatalog, p: Any, s: MatchSettings
) -> dict[str, np.ndarray]:
    """Each hard constraint as a bool array over the (investor row i, project row p) pairs.

    ``i`` and ``p`` broadcast: a scalar against an array checks one side against many. For one
    investor against many projects, small lookup tables (per region, stage, instrument set)
    replace arithmetic on the large columns.
    """
    if isinstance(i, (int, np.integer)):
        return _constraints_one_investor(inv, int(i), proj, p, s)
    coverage = inv.coverage[i, proj.region[p]]
    region_ok = coverage > 0
    if s.allow_neighbouring:
        region_ok = region_ok | _near(inv, i, proj, p)
    ask = proj.ask_usd[p]
    return {
        "region": region_ok,
        "stage": ((inv.stages[i] >> proj.stage[p]) & 1).astype(bool),
        "instrument": (inv.instruments[i] & proj.instruments[p]) != 0,
        "ticket": (ask >= inv.ticket_min[i] * (1 - s.ticket_tolerance))
        & (ask <= inv.ticket_max[i] * (1 + s.ticket_tolerance)),
        "excluded_sector": (inv.excluded[i] & proj.sectors[p]) == 0,
    }


def _constraints_one_investor(
    inv: InvestorCatalog, i: int, proj: ProjectCatalog, p: Any, s: MatchSettings
) -> dict[str, np.ndarray]:
    region_table = inv.coverage[i] > 0  # (regions,)
    if s.allow_neighbouring:
        near = (inv.countries[i].astype(np.int16) @ inv.places.neighbours.astype(np.int16)) > 0
        region_table = region_table | near[inv.places.region_country]
    stages = int(inv.stages[i])
    stage_table = np.array([bool(stages >> stage & 1) for stage in range(len(STAGES))])
    wanted = int(inv.instruments[i])
    instrument_table = np.array([(mask & wanted) != 0 for mask in range(1 << len(INSTRUMENTS))])
    ask = proj.ask_usd[p]
    excluded = int(inv.excluded[i])
    sectors_ok = (proj.sectors[p] & excluded) == 0 if excluded else np.ones(np.shape(ask), dtype=bool)
    return {
        "region": region_table[proj.region[p]],
        "stage": stage_table[proj.stage[p]],
        "instrument": instrument_table[proj.instruments[p]],
        "ticket": (ask >= inv.ticket_min[i] * (1 - s.ticket_tolerance))
        & (ask <= inv.ticket_max[i] * (1 + s.ticket_tolerance)),
        "excluded_sector": sectors_ok,
    }


def _near(inv: InvestorCatalog, i: Any, proj: ProjectCatalog, p: Any) -> np.ndarray:
    near_countries = (inv.countries.astype(np.int16) @ inv.places.neighbours.astype(np.int16)) > 0
    return near_countries[i, proj.country[p]]


def passing(inv: InvestorCatalog, i: Any, proj: ProjectCatalog, p: Any, s: MatchSettings) -> np.ndarray:
    checks = _constraints(inv, i, proj, p, s)
    ok = checks.pop("region")
    for value in checks.values():
        ok = ok & value
    return ok


def _factor_values(
    inv: InvestorCatalog,
    i: Any,
    proj: ProjectCatalog,
    p: Any,
    *,
    cosine: np.ndarray,
    s: MatchSettings,
    now: datetime | None = None,
) -> dict[str, np.ndarray]:
    """Each factor's value in [0, 1] for the pairs (before weighting)."""
    shared = np.bitwise_count(inv.sectors[i] & proj.sectors[p]).astype(np.float64)
    own = np.maximum(np.bitwise_count(proj.sectors[p]), 1)
    coverage = inv.coverage[i, proj.region[p]]
    region = np.where(coverage == 2, 1.0, np.where(coverage == 1, 0.7, 0.0))
    if s.allow_neighbouring:
        region = np.where((coverage == 0) & _near(inv, i, proj, p), 0.3, region)
    low, high, ask = inv.ticket_min[i], inv.ticket_max[i], proj.ask_usd[p]
    centre = np.sqrt(np.maximum(low, 1.0) * np.maximum(high, 1.0))
    spread = np.log(np.maximum(high, 1.0) / centre)
    inside = (ask >= low) & (ask <= high)
    off_centre = np.abs(np.log(np.maximum(ask, 1.0) / centre)) / np.where(spread > 0, spread, 1.0)
    ticket = np.where(inside, 1.0 - 0.5 * np.clip(off_centre, 0.0, 1.0), 0.0)
    near_ticket = (ask >= low * (1 - s.ticket_tolerance)) & (ask <= high * (1 + s.ticket_tolerance))
    ticket = np.where(~inside & near_ticket, 0.25, ticket)
    stage = ((inv.stages[i] >> proj.stage[p]) & 1).astype(np.float64)
    esg = np.where(inv.esg[i], proj.green[p].astype(np.float64), 0.5)
    aifc = np.where(proj.aifc[p], np.where(inv.aifc[i], 1.0, 0.7), 0.0)
    now_ts = (now or datetime.now(UTC)).timestamp()
    age = np.maximum(0.0, now_ts - proj.published[p]) / 86_400.0  # days since publication
    freshness = 0.5 ** (age / s.freshness_half_life_days)
    values = {
        "semantic": np.clip(cosine, 0.0, 1.0),
        "sector": shared / own,
        "region": region,
        "ticket": ticket,
        "stage": stage,
        "esg": esg,
        "aifc": aifc,
        "freshness": freshness,
        "completeness": proj.completeness[p].astype(np.float64),
    }
    shape = np.broadcast(i, p).shape
    return {name: np.broadcast_to(np.asarray(v, dtype=np.float64), shape) for name, v in values.items()}


def describe_constraints(
    inv: InvestorCatalog, i: int, proj: ProjectCatalog, p: int, *, s: MatchSettings, reference: Reference
) -> tuple[Constraint, ...]:
    """The hard constraints of one pair, each with a sentence a person can check."""
    checks = {name: bool(v) for name, v in _constraints(inv, i, proj, p, s).items()}
    places = proj.places
    region = reference.regions[places.regions[proj.region[p]]]
    where = {2: "constraint.region_named", 1: "constraint.region_country"}.get(
        int(inv.coverage[i, proj.region[p]]),
        "constraint.region_neighbour" if checks["region"] else "constraint.region_outside",
    )
    stage = Vocab("stage", STAGES[proj.stage[p]])
    stages = [Vocab("stage", code) for code in members(int(inv.stages[i]), STAGES)]
    shared = [
        Vocab("instrument", code)
        for code in members(int(inv.instruments[i] & proj.instruments[p]), INSTRUMENTS)
    ]
    excluded = [
        reference.sectors[slug] for slug in members(int(inv.excluded[i] & proj.sectors[p]), places.sectors)
    ]
    ticket = {
        "ask": usd(proj.ask_usd[p]),
        "low": usd(inv.ticket_min[i]),
        "high": usd(inv.ticket_max[i]),
        "tolerance": f"{s.ticket_tolerance:.0%}",
    }

    def verdict(name: str, stem: str, values: dict[str, object] | None = None) -> Constraint:
        key = f"constraint.{stem}_ok" if checks[name] else f"constraint.{stem}_fails"
        return Constraint(name, checks[name], Text(key, values or {}))

    return (
        Constraint(
            "region",
            checks["region"],
            Text(where, {"region": region, "country": reference.countries[region.country]}),
        ),
        verdict("stage", "stage", {"stage": stage, "stages": stages}),
        verdict("instrument", "instrument", {"instruments": shared}),
        verdict("ticket", "ticket", ticket),
        verdict("excluded_sector", "sector", {"sectors": excluded}),
    )


# --- diversity -----------------------------------------------------------------------------------


def diversify(
    order: Sequence[int], regions: np.ndarray, sectors: np.ndarray, top: int, s: MatchSettings
) -> tuple[list[int], set[int]]:
    """Fill ``top`` slots from ``order`` (best first) so that no page of 10 holds more than
    ``max_per_region`` items of one region or ``max_per_sector`` of one primary sector.

    Each slot takes the best remaining item that keeps the page within those caps, or, when
    none does, the best one breaking the fewest caps (variety is preferred, never forced in
    with misfits: the candidates are all matches already).
    Returns the chosen items and those that were passed over at least once.
    """
    remaining = list(order)
    chosen: list[int] = []
    while remaining and len(chosen) < top:
        page = chosen[len(chosen) - len(chosen) % 10 :]
        per_region = Counter(int(regions[c]) for c in page)
        per_sector = Counter(int(sectors[c]) for c in page)
        pick = min(  # the first item breaking the fewest caps (remaining is in rank order)
            remaining,
            key=lambda c: (
                (per_region[int(regions[c])] >= s.max_per_region)
                + (per_sector[int(sectors[c])] >= s.max_per_sector)
            ),
        )
        remaining.remove(pick)
        chosen.append(pick)
    rank = {item: n for n, item in enumerate(order)}
    moved = {c for j, c in enumerate(chosen) if any(rank[x] > rank[c] for x in chosen[:j])}
    return chosen, moved


# --- the matcher -----------------------------------------------------------------------------------


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
    sentence_vectors: dict[str, np.ndarray] = field(default_factory=dict, repr=False)  # text -> unit vector
    # (index, catalog) -> (index revision, catalog position of each index row, rows in catalog order?)
    _aligned: dict[tuple[int, int], tuple[int, np.ndarray, bool]] = field(default_factory=dict, repr=False)

    # --- alignment of index rows with catalog rows --------------------------------------

    def _rows(self, index: VectorIndex, catalog: ProjectCatalog | InvestorCatalog) -> tuple[np.ndarray, bool]:
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

    def _search(
        self,
        index: VectorIndex,
        catalog: ProjectCatalog | InvestorCatalog,
        query: np.ndarray,
        allowed: np.ndarray,
        k: int,
        *,
        need: int | None = None,
    ) -> tuple[np.ndarray, np.ndarray]:
        """(catalog positions, cosine) of up to k nearest allowed items, best first; at least
        ``need`` (default k) of them when that many exist."""
        rows, in_order = self._rows(index, catalog)
        # index rows in catalog order need no gather
        mask = allowed if in_order else (rows >= 0) & allowed[np.maximum(rows, 0)]
        scores, ids = index.search(query, k, mask=mask, min_found=need)
        keep = ids[0] >= 0
        positions = np.array([catalog.position(item) for item in ids[0][keep]], dtype=np.int64)
        return positions, scores[0][keep].astype(np.float64)

    # --- evidence -----------------------------------------------------------------------

    def _evidence(self, query: np.ndarray, text: str) -> tuple[tuple[str, float], ...]:
        sentences = split_sentences(text)
        if not sentences or self.settings.evidence_sentences <= 0:
            return ()
        missing = [s for s in sentences if s not in self.sentence_vectors]
        if missing:
            for sentence, vector in zip(missing, self.encoder.encode(missing), strict=True):
                self.sentence_vectors[sentence] = vector
        similarity = np.array([float(self.sentence_vectors[s] @ query) for s in sentences])
        best = np.argsort(-similarity, kind="stable")[: self.settings.evidence_sentences]
        return tuple((sentences[b], float(similarity[b])) for b in best)

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
        # Exact search scores every row anyway; a graph walk pays for each extra candidate.
        pool = max(top * 3, 30) if self.project_index.approximate else max(s.candidate_pool, top * 3)
        positions, cosine = self._search(self.project_index, proj, query, allowed, pool, need=top)
        items = self._rank_projects(i, positions, cosine, query, top, explain=explain)
        return MatchResult(items=items, passing=int(allowed.sum()), requested=top)

    def _rank_projects(
        self, i: int, positions: np.ndarray, cosine: np.ndarray, query: np.ndarray, top: int, *, explain: bool
    ) -> list[Match]:
        if len(positions) == 0:
            return []
        weights = self.settings.weights.normalised()
        values = _factor_values(
            self.investors, i, self.projects, positions, cosine=cosine, s=self.settings, now=self._now()
        )
        contributions = {name: weights[name] * values[name] for name in FACTORS}
        total = sum(contributions.values())
        order = np.argsort(-total, kind="stable")
        regions, sectors = self.projects.region[positions], self.projects.primary_sector[positions]
        chosen, moved = diversify(order.tolist(), regions, sectors, top, self.settings)
        ids = [int(self.projects.ids[positions[c]]) for c in chosen]
        texts = self.texts.project_texts(ids) if explain else {}
        items = []
        for c in chosen:
            p = int(positions[c])
            facts = self.projects.facts[p]
            items.append(
                Match(
                    id=facts.id,
                    external_id=facts.external_id,
                    label=facts.title,
                    score=float(total[c]),
                    factors={name: float(contributions[name][c]) for name in FACTORS},
                    similarity=float(cosine[c]),
                    constraints=describe_constraints(
                        self.investors, i, self.projects, p, s=self.settings, reference=self.reference
                    )
                    if explain
                    else (),
                    evidence=self._evidence(query, texts.get(facts.id, "")) if explain else (),
                    moved_for_diversity=c in moved,
                )
            )
        return items

    def explain_pair(self, investor_id: int, project_id: int) -> Match:
        """Why a project ranks where it does for an investor, even if it fails a constraint."""
        i = self._investor_position(investor_id)
        p = self.projects.position(project_id)
        if p is None:
            raise LookupError(f"project {project_id} is not published")
        query = self.investor_index.vector(investor_id)
        vector = self.project_index.vector(project_id)
        cosine = np.array([float(vector @ query)])
        weights = self.settings.weights.normalised()
        values = _factor_values(
            self.investors, i, self.projects, np.array([p]), cosine=cosine, s=self.settings, now=self._now()
        )
        facts = self.projects.facts[p]
        return Match(
            id=facts.id,
            external_id=facts.external_id,
            label=facts.title,
            score=float(sum(weights[n] * values[n][0] for n in FACTORS)),
            factors={n: float(weights[n] * values[n][0]) for n in FACTORS},
            similarity=float(cosine[0]),
            constraints=describe_constraints(
                self.investors, i, self.projects, p, s=self.settings, reference=self.reference
            ),
            evidence=self._evidence(query, self._project_text(project_id)),
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
        positions, cosine = self._search(self.investor_index, inv, query, allowed, max(s.candidate_pool, top))
        if len(positions) == 0:
            return MatchResult(items=[], passing=0, requested=top)
        weights = s.weights.normalised()
        values = _factor_values(inv, positions, self.projects, p, cosine=cosine, s=s, now=self._now())
        contributions = {name: weights[name] * values[name] for name in FACTORS}
        total = sum(contributions.values())
        order = np.argsort(-total, kind="stable")[:top]
        texts = self.texts.investor_texts([int(inv.ids[positions[c]]) for c in order])
        items = []
        for c in order:
            i = int(positions[c])
            facts = inv.facts[i]
            items.append(
                Match(
                    id=facts.id,
                    external_id=facts.external_id,
                    label=facts.name,
                    score=float(total[c]),
                    factors={name: float(contributions[name][c]) for name in FACTORS},
                    similarity=float(cosine[c]),
                    constraints=describe_constraints(inv, i, self.projects, p, s=s, reference=self.reference),
                    evidence=self._evidence(query, texts.get(facts.id, "")),
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
        positions, cosine = self._search(self.project_index, self.projects, query, allowed, top)
        facts = self.projects.facts[p]
        return self._semantic_result(
            positions, cosine, query, top, int(allowed.sum()), duplicate_of=(facts.region, facts.owner_name)
        )

    def duplicate_candidates(
        self, text: str, *, region: str, owner_name: str, exclude: int | None = None, top: int = 3
    ) -> MatchResult:
        """Published projects closest to a passport under review (``text`` as the index reads it,
        see ``hub.indexing.project_text``); ``duplicate`` marks the probable same project."""
        query = self.encoder.encode([text])[0]
        allowed = self.projects.ids != (-1 if exclude is None else exclude)
        positions, cosine = self._search(self.project_index, self.projects, query, allowed, top)
        return self._semantic_result(
            positions, cosine, query, top, int(allowed.sum()), duplicate_of=(region, owner_name)
        )

    def search_projects(self, text: str, top: int = 10, filters: ProjectFilters | None = None) -> MatchResult:
        """Published projects closest in meaning to ``text`` (any supported language)."""
        query = self.encoder.encode([text])[0]
        allowed = filters.mask(self.projects) if filters else np.ones(len(self.projects), dtype=bool)
        positions, cosine = self._search(self.project_index, self.projects, query, allowed, top)
        return self._semantic_result(positions, cosine, query, top, int(allowed.sum()))

    def search_investors(self, text: str, top: int = 10) -> MatchResult:
        """Active investors whose thesis is closest in meaning to ``text``."""
        query = self.encoder.encode([text])[0]
        allowed = np.ones(len(self.investors), dtype=bool)
        positions, cosine = self._search(self.investor_index, self.investors, query, allowed, top)
        texts = self.texts.investor_texts([int(self.investors.ids[q]) for q in positions])
        items = [
            Match(
                id=self.investors.facts[q].id,
                external_id=self.investors.facts[q].external_id,
                label=self.investors.facts[q].name,
                score=float(max(c, 0.0)),
                factors={"semantic": float(max(c, 0.0))},
                similarity=float(c),
                evidence=self._evidence(query, texts.get(self.investors.facts[q].id, "")),
            )
            for q, c in zip(positions, cosine, strict=True)
        ]
        return MatchResult(items=items, passing=len(self.investors), requested=top)

    def _semantic_result(
        self,
        positions: np.ndarray,
        cosine: np.ndarray,
        query: np.ndarray,
        top: int,
        passing_count: int,
        *,
        duplicate_of: tuple[str, str] | None = None,  # (region, owner name) of the query's project
    ) -> MatchResult:
        texts = self.texts.project_texts([int(self.projects.ids[q]) for q in positions])
        items = [
            Match(
                id=self.projects.facts[q].id,
                external_id=self.projects.facts[q].external_id,
                label=self.projects.facts[q].title,
                score=float(max(c, 0.0)),
                factors={"semantic": float(max(c, 0.0))},
                similarity=float(c),
                evidence=self._evidence(query, texts.get(self.projects.facts[q].id, "")),
                duplicate=duplicate_of is not None
                and c >= DUPLICATE_SIMILARITY
                and (
                    self.projects.facts[q].region == duplicate_of[0]
                    or self.projects.facts[q].owner_name == duplicate_of[1]
                ),
            )
            for q, c in zip(positions, cosine, strict=True)
        ]
        return MatchResult(items=items, passing=passing_count, requested=top)

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
        """Investors whose mandate a (draft) project passes, most similar thesis first."""
        one = ProjectCatalog(self.projects.places, [project])
        allowed = passing(self.investors, np.arange(len(self.investors)), one, 0, self.settings)
        if not allowed.any():
            return []
        query = self.encoder.encode([text])[0]
        positions, cosine = self._search(self.investor_index, self.investors, query, allowed, top)
        return [(self.investors.facts[int(p)], float(c)) for p, c in zip(positions, cosine, strict=True)]

    # --- helpers ------------------------------------------------------------------------

    def _investor_position(self, investor_id: int) -> int:
        i = self.investors.position(investor_id)
        if i is None:
            raise LookupError(f"investor {investor_id} is not active (only active investors are matched)")
        return i

    def _project_text(self, project_id: int) -> str:
        return self.texts.project_texts([project_id]).get(project_id, "")
