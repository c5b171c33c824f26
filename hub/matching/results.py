"""What matching returns: ranked matches with their explanation, and the result around them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from hub.duplicates import Signal, describe
from hub.i18n import Text, t


@dataclass(frozen=True)
class Constraint:
    name: str
    passed: bool
    text: Text  # the sentence a person can check, in any catalogue language
    unknown: bool = False  # the listing does not say: passed, but not known to pass

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
    similarity: float  # cosine similarity of the two texts' vectors, -1..1 (for staff and tools)
    relevance: float = 0.0  # calibrated text relevance, 0..1 (see hub.matching.text)
    constraints: tuple[Constraint, ...] = ()
    evidence: tuple[tuple[str, float], ...] = ()  # (sentence, cosine) that stand out
    evidence_checked: bool = False  # sentences were compared (none standing out says so)
    moved_for_diversity: bool = False
    passed_over: int = 0  # lower-scored matches placed above this one for variety
    near_copies: tuple[str, ...] = ()  # external ids of near-identical listings left off the page
    duplicate: tuple[Signal, ...] = ()  # why this is probably the query's own listing; empty: it is not

    @property
    def passed(self) -> bool:
        return all(c.passed for c in self.constraints)

    @property
    def unknown(self) -> tuple[str, ...]:
        """Hard constraints the listing gives no facts for (stage, instrument, ticket)."""
        return tuple(c.name for c in self.constraints if c.unknown)

    @property
    def confidence(self) -> float:
        """1.0 when every constrained fact is known; lower for each one the listing leaves out."""
        return max(0.0, 1.0 - 0.15 * len(self.unknown))

    def explanation(self, language: str | None = None) -> str:
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
        if self.unknown:
            parts.append(t("explain.unknown", language, confidence=f"{self.confidence:.0%}"))
        if self.evidence:
            quotes = " | ".join(
                t("explain.quote", language, sentence=sentence) for sentence, _ in self.evidence
            )
            parts.append(t("explain.evidence", language, quotes=quotes))
        elif self.evidence_checked:
            parts.append(t("explain.no_evidence", language))
        if self.moved_for_diversity:
            parts.append(t("explain.diversity", language, count=self.passed_over))
        if self.near_copies:
            parts.append(t("explain.near_copies", language, ids=", ".join(self.near_copies)))
        if self.duplicate:
            parts.append(t("explain.duplicate", language, reason=describe(self.duplicate)))
        return " ".join(part if part.endswith(".") else part + "." for part in parts)

    def as_json(self, label_key: str) -> dict[str, Any]:
        return {
            "id": self.id,
            "external_id": self.external_id,
            label_key: self.label,
            "score": round(self.score, 4),
            "factors": {name: round(value, 4) for name, value in self.factors.items()},
            "relevance": round(self.relevance, 4),
            "similarity": round(self.similarity, 4),
            "confidence": round(self.confidence, 2),
            "unknown": list(self.unknown),
            "constraints": [
                {"name": c.name, "passed": c.passed, "unknown": c.unknown, "detail": c.detail}
                for c in self.constraints
            ],
            "evidence": [{"sentence": s, "similarity": round(v, 4)} for s, v in self.evidence],
            "moved_for_diversity": self.moved_for_diversity,
            "near_copies": list(self.near_copies),
            "duplicate": {
                "reason": describe(self.duplicate),
                "signals": [{"kind": s.kind, "value": s.value} for s in self.duplicate],
            }
            if self.duplicate
            else None,
            "explanation": self.explanation(),
        }


@dataclass(frozen=True)
class MatchResult:
    items: list[Match]
    passing: int  # counterparts that passed every hard constraint and filter
    requested: int
    below_floor: int = 0  # free-text search: results left out as not relevant enough

    @property
    def note(self) -> Text | None:
        """Said when fewer matches exist than were asked for (nothing is padded in)."""
        if self.below_floor and len(self.items) < self.requested:
            return Text("explain.floor", {"found": len(self.items)})
        if len(self.items) < self.requested:
            found = len(self.items) + sum(len(m.near_copies) for m in self.items)
            return Text("explain.fewer", {"found": found, "requested": self.requested})
        return None
