"""Test doubles shared by several test modules."""

from __future__ import annotations

import hashlib

import numpy as np


class FakeEncoder:
    """A deterministic encoder: each text's unit vector depends only on the text's words.

    Texts sharing words get similar vectors (a bag of hashed words), so ranking tests can
    reason about similarity without loading a model. ``encoded`` records every text encoded.
    """

    def __init__(self, name: str = "fake", dimension: int = 64) -> None:
        self.name = name
        self.dimension = dimension
        self.encoded: list[str] = []

    def _word(self, word: str) -> np.ndarray:
        seed = int.from_bytes(hashlib.sha256(word.encode()).digest()[:8], "little")
        return np.random.default_rng(seed).normal(size=self.dimension)

    def encode(self, texts: list[str], *, progress: object = None) -> np.ndarray:
        self.encoded += list(texts)
        rows = []
        for text in texts:
            words = [w.strip(".,;:()").lower() for w in text.split()]
            rows.append(sum((self._word(w) for w in words if w), np.zeros(self.dimension)))
        matrix = np.array(rows, dtype=np.float32).reshape(-1, self.dimension)
        norms = np.linalg.norm(matrix, axis=1, keepdims=True)
        return matrix / np.where(norms == 0, 1, norms)
