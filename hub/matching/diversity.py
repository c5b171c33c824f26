"""Variety in a page of results, bounded so that it never buries a clearly better fit.

Two rules shape a page of ten:
- **near-copies**: two listings whose texts are near-identical (cosine >= ``near_copy``)
  never share a result; the lower one is left off and named on the card of the one shown;
- **caps with a bounded penalty**: an item that would be the fourth of its region or the
  fifth of its primary sector on the page, or whose text is close (cosine >= ``similar_text``)
  to one already on it (the same kind of project elsewhere), loses half of
  ``diversity_margin`` of score per rule it breaks, never more than the margin, while it is
  being placed. An item can therefore only be passed by items within that margin of its
  score: a clearly better fit is never pushed below a clearly worse one, however
  concentrated the listings are (91 of 96 real startups sit in Almaty or Astana). The
  card of an item placed lower says so.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import numpy as np

from hub.matching.settings import MatchSettings


@dataclass
class Page:
    chosen: list[int] = field(default_factory=list)  # candidate indexes, in the order shown
    passed_over: dict[int, int] = field(default_factory=dict)  # item -> lower-scored items above it
    near_copies: dict[int, list[int]] = field(default_factory=dict)  # shown item -> copies left off


def diversify(
    scores: np.ndarray,
    top: int,
    s: MatchSettings,
    *,
    regions: np.ndarray | None = None,
    sectors: np.ndarray | None = None,
    vectors: np.ndarray | None = None,
) -> Page:
    """Choose and order ``top`` of the candidates (index i has ``scores[i]``, ``regions[i]``,
    ``sectors[i]`` and unit vector ``vectors[i]``); see the module docstring for the rules.
    Without regions and sectors only the near-copy rule applies."""
    order = [int(c) for c in np.argsort(-np.asarray(scores), kind="stable")]
    remaining = list(order)
    page = Page()
    while remaining and len(page.chosen) < top:
        current = page.chosen[len(page.chosen) - len(page.chosen) % 10 :]
        adjusted = np.asarray(scores, dtype=np.float64)[remaining]
        over = np.zeros(len(remaining))
        if regions is not None and sectors is not None:
            per_region = Counter(int(regions[c]) for c in current)
            per_sector = Counter(int(sectors[c]) for c in current)
            over += [per_region[int(regions[c])] >= s.max_per_region for c in remaining]
            over += [per_sector[int(sectors[c])] >= s.max_per_sector for c in remaining]
        if vectors is not None and current:
            closeness = (vectors[remaining] @ vectors[current].T).max(axis=1)
            over += closeness >= s.similar_text
        # half the margin per rule broken, never more than the margin in all
        adjusted = adjusted - np.minimum(s.diversity_margin, s.diversity_margin / 2 * over)
        pick = remaining[int(np.argmax(adjusted))]  # the first of equals: rank order decides ties
        remaining.remove(pick)
        page.chosen.append(pick)
        if vectors is not None and remaining:
            closeness = vectors[remaining] @ vectors[pick]
            copies = [c for c, cos in zip(remaining, closeness, strict=True) if cos >= s.near_copy]
            if copies:
                page.near_copies[pick] = copies
                remaining = [c for c in remaining if c not in copies]
    rank = {item: n for n, item in enumerate(order)}
    for j, c in enumerate(page.chosen):
        above = sum(rank[x] > rank[c] for x in page.chosen[:j])
        if above:
            page.passed_over[c] = above
    return page
