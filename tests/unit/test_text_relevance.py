"""Text relevance: BM25 over stemmed words, per-query calibration, fusion across languages."""

from __future__ import annotations

import numpy as np
import pytest

from hub.language import text_language
from hub.matching.text import Lexicon, QueryScale, fuse, relevance, tokens


def test_words_are_stemmed_in_english_and_russian_and_stop_words_dropped() -> None:
    assert tokens("The electric buses of the city") == ["electr", "buse", "citi"]
    assert tokens("Электробусы для городов") == tokens("электробус городам")


def test_the_language_of_a_text_is_read_from_its_script() -> None:
    assert text_language("Solar plant in Turkestan") == "en"
    assert text_language("Солнечная станция в Туркестане") == "ru"
    assert text_language("Түркістандағы күн электр станциясы") == "kk"


def test_bm25_scores_the_document_sharing_the_rarest_words_highest() -> None:
    lexicon = Lexicon(["hospital PPP in Astana", "generics plant in Dushanbe", "bus depot in Astana"])
    scores = lexicon.scores("hospital PPP Astana")
    assert scores.argmax() == 0 and scores[1] == 0.0
    assert not Lexicon(["a text"]).scores("nothing shared").any()


def test_a_query_is_calibrated_on_its_own_distribution_and_small_corpora_lean_on_the_prior() -> None:
    rng = np.random.default_rng(0)
    sample = rng.normal(size=(500, 16))
    sample /= np.linalg.norm(sample, axis=1, keepdims=True)
    query = sample[0]
    scale = QueryScale.of(query, sample[1:])
    assert abs(scale.mean) < 0.1 and 0.1 < scale.sd < 0.4
    assert QueryScale.of(query, sample[:0]) == QueryScale(0.1, 0.1)  # no corpus: the prior
    assert relevance(np.array([0.0, 2.0, 6.0]), 2.0, 1.5).tolist() == pytest.approx(
        [0.208, 0.5, 0.935], abs=0.001
    )


def test_a_listing_in_another_language_earns_the_word_credit_of_its_peers_not_nothing() -> None:
    dense = np.array([3.0, 2.0, 3.0])
    lexical = np.array([5.0, 3.0, 0.0])  # the third is Russian for an English query: no shared words
    same = np.array([True, True, False])
    fused = fuse(dense, lexical, same, 0.5)
    # peers' mean excess is ((5 - 3) + (3 - 2)) / 2 = 1.5: the Russian listing counts as 3 + 1.5
    assert fused[2] == pytest.approx((3.0 + 0.5 * 4.5) / 1.5)
    assert fused[0] > fused[2] > fused[1]
    only_other = fuse(dense, lexical, np.zeros(3, dtype=bool), 0.5)
    assert only_other.tolist() == dense.tolist()  # no listing in the query's language: meaning alone
