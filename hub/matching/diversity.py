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
    ``sectors[i]`` and unit vector ``vectors[i]``, (n, d)); see the module docstring for the
    rules. Without regions and sectors the caps do not apply; without vectors the text rules
    do not.

    Only the candidates within ``diversity_margin`` of the best one left can take a slot, so
    each slot weighs a few items with array operations, however long the candidate list.
    """
    scores = np.asarray(scores, dtype=np.float64)
    order = np.argsort(-scores, kind="stable")
    remaining = order.copy()  # candidate indexes, best first
    page = Page()
    while len(remaining) and len(page.chosen) < top:
        window = remaining[scores[remaining] >= scores[remaining[0]] - s.diversity_margin]
        if vectors is not None and page.chosen:
            closeness = vectors[window] @ vectors[page.chosen].T  # (window, chosen)
            copied = closeness.max(axis=1) >= s.near_copy
            if copied.any():
                for c, row in zip(window[copied], closeness[copied], strict=True):
                    page.near_copies.setdefault(page.chosen[int(row.argmax())], []).append(int(c))
                remaining = remaining[~np.isin(remaining, window[copied])]
                continue  # the window moves down past the copies
        current = page.chosen[len(page.chosen) - len(page.chosen) % 10 :]
        over = np.zeros(len(window))
        if regions is not None and sectors is not None and current:
            full_regions = [
                r for r, n in Counter(int(regions[c]) for c in current).items() if n >= s.max_per_region
            ]
            full_sectors = [
                x for x, n in Counter(int(sectors[c]) for c in current).items() if n >= s.max_per_sector
            ]
            over += np.isin(regions[window], full_regions)
            over += np.isin(sectors[window], full_sectors)
        if vectors is not None and current:
            over += (vectors[window] @ vectors[current].T).max(axis=1) >= s.similar_text
        # half the margin per rule broken, never more than the margin in all
        adjusted = scores[window] - np.minimum(s.diversity_margin, s.diversity_margin / 2 * over)
        pick = int(window[int(np.argmax(adjusted))])  # the first of equals: rank order decides ties
        remaining = remaining[remaining != pick]
        page.chosen.append(pick)
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))
    for j, c in enumerate(page.chosen):
        above = int(sum(rank[x] > rank[c] for x in page.chosen[:j]))
        if above:
            page.passed_over[c] = above
    return page
