"""Sector and SDG suggestions for a passport's text, by meaning (any supported language)."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from embeddings.encoder import Encoder
from hub.reference import Reference


@dataclass
class Suggester:
    """Compares a text with short descriptions of each sector and SDG (cosine similarity)."""

    encoder: Encoder
    reference: Reference
    min_similarity: float = 0.12
    _labels: dict[str, tuple[list[str | int], np.ndarray]] = field(default_factory=dict, repr=False)

    def _vectors(self, kind: str) -> tuple[list[str | int], np.ndarray]:
        if kind not in self._labels:
            if kind == "sectors":
                items = self.reference.sectors.values()
                keys: list[str | int] = [s.slug for s in items]
                texts = [f"{s.name_en}: {s.keywords}. {s.name_ru}." for s in items]
            else:
                items = self.reference.sdgs.values()
                keys = [s.number for s in items]
                texts = [f"{s.name_en}: {s.keywords}. {s.name_ru}." for s in items]
            self._labels[kind] = (keys, self.encoder.encode(texts))
        return self._labels[kind]

    def _suggest(self, kind: str, text: str, k: int) -> list[tuple[str | int, float]]:
        if len(text.split()) < 4:
            return []
        keys, vectors = self._vectors(kind)
        similarity = vectors @ self.encoder.encode([text])[0]  # cosine of unit vectors
        best = np.argsort(-similarity)[:k]
        return [(keys[i], float(similarity[i])) for i in best if similarity[i] >= self.min_similarity]

    def sectors(self, text: str, k: int = 3) -> list[tuple[str, float]]:
        """Up to k (sector slug, similarity) pairs, best first."""
        return [(str(key), score) for key, score in self._suggest("sectors", text, k)]

    def sdgs(self, text: str, k: int = 3) -> list[tuple[int, float]]:
        """Up to k (SDG number, similarity) pairs, best first."""
        return [(int(key), score) for key, score in self._suggest("sdgs", text, k)]
