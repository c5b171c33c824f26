from __future__ import annotations

import math

import pytest

from hub.evaluation import ndcg_at_k, precision_at_k, reciprocal_rank


def test_ndcg_is_one_for_the_ideal_order_and_lower_for_a_worse_one() -> None:
    judged = [3, 2, 0, 1]
    assert ndcg_at_k([3, 2, 1, 0], judged) == pytest.approx(1.0)
    assert ndcg_at_k([0, 1, 2, 3], judged) < ndcg_at_k([3, 0, 2, 1], judged) < 1.0


def test_ndcg_uses_exponential_gains_and_log_discounts() -> None:
    # one perfect item at rank 2 of an ideal list with it at rank 1: (7/log2 3) / 7
    assert ndcg_at_k([0, 3], [3]) == pytest.approx(1 / math.log2(3))
    assert ndcg_at_k([0, 0], []) == 0.0


def test_precision_counts_grade_two_and_above_in_the_first_ten() -> None:
    assert precision_at_k([3, 2, 1, 0] + [2] * 10) == pytest.approx(0.8)


def test_reciprocal_rank_is_one_over_the_first_relevant_position() -> None:
    assert reciprocal_rank([1, 0, 2, 3]) == pytest.approx(1 / 3)
    assert reciprocal_rank([1, 1]) == 0.0
