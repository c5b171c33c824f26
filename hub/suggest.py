"""Sector and SDG suggestions for a passport's text, by meaning (any supported language).

Each sector (and SDG) is described by short phrases: its names and its keywords in English and
Russian ("online marketplaces", "сайты вакансий"). A text's fit to a sector is the mean of its
three best cosines with that sector's phrases, less the same figure for an average listing
(the demo archetypes' titles and summaries): some labels sit close to every text ("green
building" near anything "sustainable") and without that centring they win everywhere.
Measured on real public descriptions (``data/eval/sector_eval.json``, ``python -m hub
evaluate``): sentence-by-sentence votes and a single descriptor per label were tried too and
did not measure better (README, "Sector suggestions").
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from embeddings.encoder import Encoder
from hub.reference import Reference

TOP_PHRASES = 3  # a label's fit: the mean of the text's best cosines with its phrases
MIN_WORDS = 4  # a shorter text says too little to suggest from


@dataclass
class _Labels:
    keys: list[str | int]
    phrases: np.ndarray  # unit vectors, one row per phrase
    owner: np.ndarray  # which label each phrase belongs to
    baseline: np.ndarray  # each label's fit to an average listing


def _phrases(*parts: str) -> list[str]:
    return [p.strip() for part in parts for p in part.split(",") if p.strip()]


def background_texts(folder: Path) -> list[str]:
    """Titles and summaries of the demo archetypes (English and Russian): what an average
    listing reads like, against which each label's fit is centred."""
    texts = []
    for path in sorted((folder / "demo" / "projects").glob("*.json")):
        for archetype in json.loads(path.read_text(encoding="utf-8"))["archetypes"]:
            texts += [f"{archetype[lang]['title']}. {archetype[lang]['summary']}" for lang in ("en", "ru")]
    return texts


@dataclass
class Suggester:
    """Suggests sectors and SDGs for a text; silent on a text too short to tell."""

    encoder: Encoder
    reference: Reference
    background: Sequence[str]  # what an average listing reads like (``background_texts``)
    min_fit: float = 0.0  # nothing is suggested unless it fits better than for an average listing
    _labels: dict[str, _Labels] = field(default_factory=dict, repr=False)

    def _table(self, kind: str) -> _Labels:
        if kind not in self._labels:
            if kind == "sectors":
                items = list(self.reference.sectors.values())
                keys: list[str | int] = [s.slug for s in items]
                texts = [_phrases(s.name_en, s.name_ru, s.keywords, s.keywords_ru) for s in items]
            else:
                items = list(self.reference.sdgs.values())
                keys = [s.number for s in items]
                texts = [_phrases(s.name_en, s.name_ru, s.keywords) for s in items]
            owner = np.repeat(np.arange(len(keys)), [len(t) for t in texts])
            phrases = self.encoder.encode([p for t in texts for p in t])
            labels = _Labels(keys, phrases, owner, np.zeros(len(keys)))
            labels.baseline = self._fit(labels, self.encoder.encode(list(self.background))).mean(axis=0)
            self._labels[kind] = labels
        return self._labels[kind]

    @staticmethod
    def _fit(labels: _Labels, vectors: np.ndarray) -> np.ndarray:
        """Rows: texts; columns: labels; the mean of each label's best phrase cosines."""
        cosines = vectors @ labels.phrases.T
        fit = np.empty((len(vectors), len(labels.keys)))
        for label in range(len(labels.keys)):
            own = np.sort(cosines[:, labels.owner == label], axis=1)
            fit[:, label] = own[:, -TOP_PHRASES:].mean(axis=1)
        return fit

    def _scores(self, kind: str, text: str) -> np.ndarray | None:
        if len(text.split()) < MIN_WORDS:
            return None
        labels = self._table(kind)
        return self._fit(labels, self.encoder.encode([text]))[0] - labels.baseline

    def _suggest(self, kind: str, text: str, k: int) -> list[tuple[str | int, float]]:
        scores = self._scores(kind, text)
        if scores is None:
            return []
        keys = self._table(kind).keys
        best = np.argsort(-scores, kind="stable")[:k]
        return [(keys[i], float(scores[i])) for i in best if scores[i] > self.min_fit]

    def sectors(self, text: str, k: int = 3) -> list[tuple[str, float]]:
        """Up to k (sector slug, fit) pairs, best first; fit > 0 means better than average."""
        return [(str(key), score) for key, score in self._suggest("sectors", text, k)]

    def sdgs(self, text: str, k: int = 3) -> list[tuple[int, float]]:
        """Up to k (SDG number, fit) pairs, best first."""
        return [(int(key), score) for key, score in self._suggest("sdgs", text, k)]
