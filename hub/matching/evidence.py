"""Evidence: the sentences of the other side's text that stand out against the query.

A sentence is quoted only when its similarity to the query lies ``evidence_z`` standard
deviations above the query's mean similarity to the corpus (``QueryScale``): a sentence at
cosine 0.08 is not evidence of anything, and the card then says that no single sentence
stands out.
"""

from __future__ import annotations

import re
from functools import lru_cache

import numpy as np

from hub.matching.text import QueryScale

# A sentence ends at . ! ? or … followed by a capital, a digit or an opening quote; the space
# after the stop may be missing ("payday.What is"), as in pasted directory profiles. A stop
# between lower-case letters or digits ("kaspi.kz", "2.5") is not an end.
SENTENCE_END = re.compile(
    r"(?<=[.!?…])\s+(?=[A-ZА-ЯЁӘҒҚҢӨҰҮҺІ0-9«\"(“])"
    r"|(?<=[a-zа-яёәғқңөұүһі)][.!?…])(?=[A-ZА-ЯЁӘҒҚҢӨҰҮҺІ«\"“])"
)
MIN_SENTENCE = 25  # characters: shorter fragments say too little to quote


def split_sentences(text: str) -> list[str]:
    """Sentences of a text, for evidence; very short fragments are dropped."""
    return list(_sentences(text))


@lru_cache(maxsize=8192)
def _sentences(text: str) -> tuple[str, ...]:
    return tuple(s.strip() for s in SENTENCE_END.split(text.strip()) if len(s.strip()) >= MIN_SENTENCE)


def join_fields(*fields: str | None) -> str:
    """Fields joined into one text with a sentence boundary between them (a summary without a
    final stop must not run into the description)."""
    parts = [f.strip() for f in fields if f and f.strip()]
    return " ".join(p if p[-1] in ".!?…" else p + "." for p in parts)


def standing_out(
    sentences: list[str], vectors: np.ndarray, query: np.ndarray, scale: QueryScale, *, count: int, z: float
) -> tuple[tuple[str, float], ...]:
    """Up to ``count`` (sentence, cosine) pairs, best first, whose cosine to ``query`` lies at
    least ``z`` standard deviations above the query's mean; ``vectors`` (len(sentences), d)."""
    if not sentences or count <= 0:
        return ()
    similarity = vectors @ query
    best = np.argsort(-similarity, kind="stable")[:count]
    floor = scale.mean + z * scale.sd
    return tuple((sentences[b], float(similarity[b])) for b in best if similarity[b] >= max(floor, 0.0))
