"""The vector index: exact search is the ground truth; HNSW must agree with it; items change
one at a time; a saved index loads back identical and a damaged one is refused."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from embeddings.cache import CachedEncoder, EmbeddingCache
from embeddings.index import IndexCorrupt, VectorIndex

DIM = 32


def clustered(n: int, seed: int = 0, clusters: int = 50) -> np.ndarray:
    """Unit vectors around fixed random centres: neighbourhood structure like real embeddings.

    The centres are the same for every seed, so queries drawn with another seed come from
    the same distribution as the indexed points.
    """
    centres = np.random.default_rng(12345).normal(size=(clusters, DIM))
    rng = np.random.default_rng(seed)
    points = centres[rng.integers(0, clusters, n)] + 0.35 * rng.normal(size=(n, DIM))
    return (points / np.linalg.norm(points, axis=1, keepdims=True)).astype(np.float32)


def build(n: int, exact_limit: int = 1_000_000, seed: int = 0) -> VectorIndex:
    """An index of n clustered vectors; a small ``exact_limit`` forces the HNSW graph, and
    then every search goes through the graph (no exact fallback for small subsets)."""
    index = VectorIndex(DIM, model="test", exact_limit=exact_limit, subset_exact_limit=0)
    index.upsert(list(range(100, 100 + n)), clustered(n, seed), [f"h{i}" for i in range(n)])
    return index


def brute_force(vectors: np.ndarray, ids: np.ndarray, query: np.ndarray, k: int) -> list[int]:
    return [int(ids[i]) for i in np.argsort(-(vectors @ query), kind="stable")[:k]]


def test_exact_search_returns_the_true_nearest_neighbours_best_first() -> None:
    vectors = clustered(500)
    index = VectorIndex(DIM, model="test")
    index.upsert(list(range(500)), vectors, ["h"] * 500)
    query = clustered(1, seed=9)[0]
    scores, ids = index.search(query, 10)
    assert ids[0].tolist() == brute_force(vectors, np.arange(500), query, 10)
    assert np.all(np.diff(scores[0]) <= 0)
    assert scores[0, 0] == pytest.approx(float(vectors[ids[0, 0]] @ query), abs=1e-5)


def test_hnsw_recall_at_10_against_exact_search_is_at_least_0_98() -> None:
    # uniform random directions: no cluster structure to make the graph walk easy, so a short
    # walk visibly misses neighbours and the default efSearch is what earns the recall
    rng = np.random.default_rng(7)
    vectors = rng.normal(size=(10_000, DIM))
    vectors = (vectors / np.linalg.norm(vectors, axis=1, keepdims=True)).astype(np.float32)
    queries = rng.normal(size=(200, DIM)).astype(np.float32)
    queries /= np.linalg.norm(queries, axis=1, keepdims=True)
    ids = list(range(len(vectors)))

    def recall(**graph: int) -> float:
        index = VectorIndex(DIM, model="test", exact_limit=1_000, subset_exact_limit=0, **graph)
        index.upsert(ids, vectors, ["h"] * len(ids))
        assert index.approximate
        _, found = index.search(queries, 10)
        return float(np.mean([len(set(t) & set(f)) / 10 for t, f in zip(truth, found, strict=True)]))

    exact = VectorIndex(DIM, model="test")
    exact.upsert(ids, vectors, ["h"] * len(ids))
    _, truth = exact.search(queries, 10)
    assert recall() >= 0.98  # the defaults (M 32, efSearch 128)
    assert recall(ef_search=16) < 0.95  # a short walk on the same graph does miss: the test can fail


@pytest.mark.parametrize("exact_limit", [1_000_000, 100])
def test_items_are_added_replaced_and_removed_without_a_rebuild(exact_limit: int) -> None:
    index = build(300, exact_limit=exact_limit)
    target = clustered(1, seed=42)[0]
    index.upsert([7], target[None, :], ["new"])
    scores, ids = index.search(target, 1)
    assert ids[0, 0] == 7 and scores[0, 0] == pytest.approx(1.0, abs=1e-5)

    index.upsert([7], -target[None, :], ["moved"])  # replace: the old vector must not be found
    assert index.search(target, 1)[1][0, 0] != 7
    assert index.hash_of(7) == "moved" and len(index) == 301

    assert index.remove([7, 100, 99999]) == 2
    _, ids = index.search(-target, 5)
    assert 7 not in ids[0] and 100 not in index and len(index) == 299


@pytest.mark.parametrize("exact_limit", [1_000_000, 100])
def test_a_mask_limits_the_search_to_chosen_rows(exact_limit: int) -> None:
    index = build(400, exact_limit=exact_limit)
    allowed = {int(i) for i in index.ids[::7]}
    mask = np.isin(index.ids, list(allowed))
    _, ids = index.search(clustered(3, seed=5), 20, mask=mask)
    assert set(ids.ravel().tolist()) <= allowed
    assert (ids >= 0).all()  # 58 rows qualify: every slot is filled


def test_a_very_selective_mask_is_searched_exactly_in_hnsw_mode() -> None:
    index = build(2_000, exact_limit=100)
    index.subset_exact_limit = 50
    mask = np.zeros(len(index.ids), dtype=bool)
    mask[:30] = True
    query = clustered(1, seed=4)
    _, ids = index.search(query, 10, mask=mask)
    vectors = np.stack([index.vector(int(i)) for i in index.ids[:30]])
    assert ids[0].tolist() == brute_force(vectors, index.ids[:30], query[0], 10)


def test_fewer_matches_than_k_are_padded_with_minus_one() -> None:
    index = build(3)
    scores, ids = index.search(clustered(1, seed=3), 5)
    assert ids[0, 3:].tolist() == [-1, -1] and np.isneginf(scores[0, 3:]).all()


@pytest.mark.parametrize("exact_limit", [1_000_000, 100])
def test_a_saved_index_loads_back_with_the_same_answers(tmp_path: Path, exact_limit: int) -> None:
    index = build(400, exact_limit=exact_limit)
    index.remove([101, 102])
    manifest = index.save(tmp_path / "idx")
    loaded = VectorIndex.load(tmp_path / "idx", exact_limit=exact_limit)
    assert (manifest.count, manifest.model, manifest.dimension) == (398, "test", DIM)
    queries = clustered(5, seed=8)
    assert np.array_equal(index.search(queries, 10)[1], loaded.search(queries, 10)[1])
    assert loaded.hashes() == index.hashes()


@pytest.mark.parametrize("damage", ["manifest", "vectors", "truncate"])
def test_a_damaged_or_incomplete_index_is_refused(tmp_path: Path, damage: str) -> None:
    folder = tmp_path / "idx"
    build(50).save(folder)
    if damage == "manifest":
        (folder / "manifest.json").unlink()
    elif damage == "vectors":
        vectors = np.load(folder / "vectors.npy")
        vectors[3, 0] += 0.5
        np.save(folder / "vectors.npy", vectors)
    else:
        (folder / "ids.npy").write_bytes((folder / "ids.npy").read_bytes()[:40])
    with pytest.raises(IndexCorrupt):
        VectorIndex.load(folder)


class CountingEncoder:
    """A deterministic fake encoder: a text's vector depends only on the text."""

    name = "fake"
    dimension = DIM

    def __init__(self) -> None:
        self.encoded: list[str] = []

    def encode(self, texts: list[str], *, progress: object = None) -> np.ndarray:
        self.encoded += list(texts)
        rows = [np.random.default_rng(abs(hash(t)) % 2**32).normal(size=DIM) for t in texts]
        matrix = np.array(rows, dtype=np.float32).reshape(-1, DIM)
        return matrix / np.linalg.norm(matrix, axis=1, keepdims=True)


def test_the_cache_encodes_each_text_once_per_model_across_restarts(tmp_path: Path) -> None:
    fake = CountingEncoder()
    first = CachedEncoder(fake, EmbeddingCache(tmp_path / "cache.sqlite"))
    a = first.encode(["solar", "wind", "solar"])
    assert fake.encoded == ["solar", "wind"]
    first.cache.close()

    again = CachedEncoder(fake, EmbeddingCache(tmp_path / "cache.sqlite"))  # a new process
    b = again.encode(["wind", "solar"])
    assert fake.encoded == ["solar", "wind"] and again.misses == 0
    assert np.array_equal(b, a[[1, 0]])

    fake.name = "other-model"  # vectors of another model are never reused
    CachedEncoder(fake, again.cache).encode(["solar"])
    assert fake.encoded[-1] == "solar" and again.cache.count() == 3
