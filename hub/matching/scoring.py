"""The factors of a match score, each in [0, 1] before weighting, vectorised over pairs."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import numpy as np

from hub.catalog import UNKNOWN_STAGE, InvestorCatalog, ProjectCatalog
from hub.matching.constraints import near
from hub.matching.settings import FACTORS, MatchSettings

UNKNOWN_FIT = 0.5  # the fit assumed for a fact the listing does not give


def factor_values(
    inv: InvestorCatalog,
    i: Any,
    proj: ProjectCatalog,
    p: Any,
    *,
    text: np.ndarray,
    s: MatchSettings,
    now: datetime | None = None,
) -> dict[str, np.ndarray]:
    """Each factor's value in [0, 1] for the pairs (before weighting); ``text`` is the
    calibrated text relevance of each pair (``hub.matching.text.relevance``)."""
    shared = np.bitwise_count(inv.sectors[i] & proj.sectors[p]).astype(np.float64)
    own = np.maximum(np.bitwise_count(proj.sectors[p]), 1)
    coverage = inv.coverage[i, proj.region[p]]
    region = np.where(coverage == 2, 1.0, np.where(coverage == 1, 0.7, 0.0))
    if s.allow_neighbouring:
        region = np.where((coverage == 0) & near(inv, i, proj, p), 0.3, region)
    low, high, ask = inv.ticket_min[i], inv.ticket_max[i], proj.ask_usd[p]
    known_ask = np.nan_to_num(ask, nan=1.0)
    centre = np.sqrt(np.maximum(low, 1.0) * np.maximum(high, 1.0))
    spread = np.log(np.maximum(high, 1.0) / centre)
    inside = (known_ask >= low) & (known_ask <= high)
    off_centre = np.abs(np.log(np.maximum(known_ask, 1.0) / centre)) / np.where(spread > 0, spread, 1.0)
    ticket = np.where(inside, 1.0 - 0.5 * np.clip(off_centre, 0.0, 1.0), 0.0)
    near_ticket = (known_ask >= low * (1 - s.ticket_tolerance)) & (
        known_ask <= high * (1 + s.ticket_tolerance)
    )
    ticket = np.where(~inside & near_ticket, 0.25, ticket)
    ticket = np.where(np.isnan(ask), UNKNOWN_FIT, ticket)
    stage_code = proj.stage[p]
    stage = np.where(
        stage_code == UNKNOWN_STAGE, UNKNOWN_FIT, ((inv.stages[i] >> stage_code) & 1).astype(np.float64)
    )
    esg = np.where(inv.esg[i], proj.green[p].astype(np.float64), 0.5)
    aifc = np.where(proj.aifc[p], np.where(inv.aifc[i], 1.0, 0.7), 0.0)
    now_ts = (now or datetime.now(UTC)).timestamp()
    age = np.maximum(0.0, now_ts - proj.published[p]) / 86_400.0  # days since publication
    freshness = 0.5 ** (age / s.freshness_half_life_days)
    values = {
        "semantic": np.clip(text, 0.0, 1.0),
        "sector": shared / own,
        "region": region,
        "ticket": ticket,
        "stage": stage,
        "esg": esg,
        "aifc": aifc,
        "freshness": freshness,
        "completeness": proj.completeness[p].astype(np.float64),
    }
    shape = np.broadcast(i, p).shape
    return {name: np.broadcast_to(np.asarray(v, dtype=np.float64), shape) for name, v in values.items()}


def contributions(
    values: dict[str, np.ndarray], s: MatchSettings
) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """Each factor's weighted contribution and their sum, the score in [0, 1]."""
    weights = s.weights.normalised()
    parts = {name: weights[name] * values[name] for name in FACTORS}
    return parts, sum(parts.values())
