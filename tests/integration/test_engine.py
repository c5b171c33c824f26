"""The engine over the demo database: the index follows the data, and what is published
is matchable after one refresh."""

from __future__ import annotations

from pathlib import Path

import pytest

from embeddings.cache import CachedEncoder, EmbeddingCache
from hub import repository
from hub.bench import bench_scale
from hub.config import Settings
from hub.context import Hub, open_encoder, open_hub
from hub.curation import duplicate_check
from hub.engine import MatchingEngine, match_settings, open_engine
from hub.indexing import IndexKind
from hub.matching import DUPLICATE_SIMILARITY
from hub.vocab import Status
from tests.fakes import FakeEncoder


@pytest.fixture
def engine(seeded_hub: Hub, tmp_path: Path) -> MatchingEngine:
    encoder = CachedEncoder(FakeEncoder(), EmbeddingCache(tmp_path / "cache.sqlite"))
    return open_engine(seeded_hub, encoder)


def test_every_demo_investor_gets_explained_matches_that_pass_the_constraints(engine: MatchingEngine) -> None:
    matcher = engine.matcher
    with_results = 0
    for investor_id in matcher.investors.ids[:40]:
        result = matcher.projects_for_investor(int(investor_id), top=10)
        with_results += bool(result.items)
        shown = len(result.items) + sum(len(m.near_copies) for m in result.items)
        # never padded, never short while more pass; a near-copy left off is named on its twin's card
        assert len(result.items) <= 10 and shown >= min(10, result.passing)
        assert len(result.items) == 10 or shown == result.passing
        for match in result.items:
            assert match.passed and match.explanation()
    assert with_results >= 30


def test_a_newly_published_project_is_matchable_after_one_refresh(
    engine: MatchingEngine, seeded_hub: Hub
) -> None:
    with seeded_hub.sessions.begin() as session:
        draft = next(p for p in repository.projects_for_export(session) if p.status == "submitted")
        draft.status = "published"
        draft_id = draft.id
    assert engine.matcher.projects.position(draft_id) is None

    matcher = engine.refresh()  # how fast: the benchmark report's publish-to-match figure

    assert matcher.projects.position(draft_id) is not None
    assert draft_id in matcher.project_index
    similar = matcher.similar_projects(draft_id, top=3)
    assert similar.items and all(m.id != draft_id for m in similar.items)
    assert {r.kind: r.added for r in engine.reports}[IndexKind.PROJECTS] == 1


def test_project_owners_see_likely_investors(engine: MatchingEngine) -> None:
    matcher = engine.matcher
    reached = [bool(matcher.investors_for_project(int(p), top=5).items) for p in matcher.projects.ids[:60]]
    assert sum(reached) >= 30


def test_unknown_weight_names_are_refused_with_the_known_ones(seeded_hub: Hub) -> None:
    settings = seeded_hub.settings.model_copy(update={"match_weights": {"semantik": 0.5}})
    with pytest.raises(ValueError, match="unknown factor\\(s\\) semantik; known: semantic"):
        match_settings(settings)


def test_the_duplicate_check_tells_a_resubmission_from_the_same_kind_of_project_elsewhere(
    indexed_settings: Settings,
) -> None:
    # the real model: the threshold is calibrated on its similarities
    hub = open_hub(indexed_settings)
    matcher = open_engine(hub, open_encoder(indexed_settings)).matcher
    facts = matcher.projects.facts
    original, comparable = next(
        (f, m)
        for f in facts
        for m in matcher.similar_projects(f.id, top=1).items
        if m.similarity >= DUPLICATE_SIMILARITY and facts[matcher.projects.position(m.id)].region != f.region
    )
    assert not comparable.duplicate
    with hub.sessions() as session:  # never committed
        published = repository.find_project(session, original.id)
        queued = repository.projects_in_status(session, [Status.SUBMITTED])[0]
        # the same project submitted again by its owner: retitled, the summary cut in half
        queued.title = f"{published.title} (phase 2)"
        queued.summary = published.summary[: len(published.summary) // 2]
        for name in ("description", "owner_name", "region_code", "city", "language", "sectors"):
            setattr(queued, name, getattr(published, name))
        checked = {m.id: m for m in duplicate_check(session, matcher, queued, top=10)}
        session.rollback()
    assert checked[original.id].duplicate
    assert comparable.id in checked and not checked[comparable.id].duplicate
    hub.engine.dispose()


def test_a_refresh_embeds_no_explanation_sentence_it_already_has(
    engine: MatchingEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[str] = []
    encode = engine.encoder.encode
    monkeypatch.setattr(
        engine.encoder, "encode", lambda texts, **kw: (asked.extend(texts), encode(texts, **kw))[1]
    )
    engine.refresh()
    assert asked == []  # nothing changed: no text, not even from the cache, is looked up again
    assert engine.matcher.sentence_vectors  # the sentences carried over to the new matcher


def test_the_benchmark_scale_run_measures_a_replicated_catalog(engine: MatchingEngine) -> None:
    # a small run of what `python -m hub bench` does at 1k-1M projects, so the bench code stays runnable
    figures = bench_scale(engine.matcher, 3_000, 5, exact_limit=1_000, say=lambda _: None)
    assert figures.kind == "HNSW" and figures.n == 3_000
    assert 0 < figures.p50_ms <= figures.p95_ms and figures.naive_ms > 0
    assert figures.recall is not None and figures.index_mb > 3_000 * engine.encoder.dimension * 4 / 1024**2
