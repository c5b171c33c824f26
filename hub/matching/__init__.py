"""Two-sided, explained matching, one job per module.

- ``filters``: what a person narrows a project list by;
- ``constraints``: the hard constraints, vectorised, and their sentences;
- ``text``: dense and lexical text relevance, calibrated per query;
- ``scoring``: the weighted factors of a score;
- ``diversity``: near-copies and the bounded variety penalty of a page;
- ``evidence``: sentences that stand out;
- ``results``: ``Match`` and ``MatchResult``;
- ``matcher``: the ``Matcher`` that puts them together.
"""

from __future__ import annotations

from hub.matching.constraints import passing
from hub.matching.diversity import diversify
from hub.matching.evidence import join_fields, split_sentences
from hub.matching.filters import ProjectFilters
from hub.matching.matcher import DUPLICATE_SIMILARITY, Matcher, TextSource
from hub.matching.results import Constraint, Match, MatchResult
from hub.matching.settings import FACTORS, MatchSettings, Weights
from hub.matching.text import Lexicon

__all__ = [
    "DUPLICATE_SIMILARITY",
    "FACTORS",
    "Constraint",
    "Lexicon",
    "Match",
    "MatchResult",
    "MatchSettings",
    "Matcher",
    "ProjectFilters",
    "TextSource",
    "Weights",
    "diversify",
    "join_fields",
    "passing",
    "split_sentences",
]
