"""The matching knobs: factor weights, tolerances, page rules, calibration of the text factor."""

from __future__ import annotations

from dataclasses import dataclass, field

FACTORS = ("semantic", "sector", "region", "ticket", "stage", "esg", "aifc", "freshness", "completeness")


@dataclass(frozen=True)
class Weights:
    """How much each factor counts; normalised to sum to 1, so scores lie in [0, 1].

    ``semantic`` is the calibrated text relevance (see ``hub.matching.text``): it spans the
    whole of [0, 1], so its weight is what the text can move a score by.
    """

    semantic: float = 0.55
    sector: float = 0.12
    region: float = 0.08
    ticket: float = 0.07
    stage: float = 0.04
    esg: float = 0.05
    aifc: float = 0.03
    freshness: float = 0.03
    completeness: float = 0.03

    def normalised(self) -> dict[str, float]:
        values = {name: max(0.0, float(getattr(self, name))) for name in FACTORS}
        total = sum(values.values()) or 1.0
        return {name: value / total for name, value in values.items()}


@dataclass(frozen=True)
class MatchSettings:
    weights: Weights = field(default_factory=Weights)
    ticket_tolerance: float = 0.10  # an ask may lie this fraction outside the ticket range
    allow_neighbouring: bool = False  # let projects in a neighbouring country pass (lower fit)
    max_per_region: int = 3  # a page of ten prefers at most this many of one region …
    max_per_sector: int = 4  # … and this many of one primary sector
    diversity_margin: float = 0.03  # … but never at a cost above this much score (see diversity)
    near_copy: float = 0.92  # texts at least this close (cosine) never share a page
    similar_text: float = 0.80  # texts this close count against variety, like a full region
    candidate_pool: int = 200  # candidates scored in full (by meaning and by words each)
    freshness_half_life_days: float = 180.0
    evidence_sentences: int = 2
    # Text relevance: z-scores of the query's similarities against its own corpus distribution,
    # dense and lexical fused, squashed to [0, 1] by a logistic curve centred at ``text_centre``.
    lexical_weight: float = 0.5  # weight of the BM25 z-score beside the dense one (1.0)
    lexical_peers: int = 20  # query-language listings whose word credit another language's inherit
    text_centre: float = 2.0  # fused z at which the text factor is 0.5
    text_scale: float = 1.5  # z per e-fold of the logistic curve: wide, so that clear fits stay apart
    evidence_z: float = 2.0  # a sentence is quoted only this many sd above the query's mean
    search_floor: float = 0.5  # free-text search shows results of at least this relevance
    unknown_confidence: float = 0.15  # confidence lost for each unknown fact of a match
