"""Hard constraints, vectorised over (investor, project) pairs, and their sentences.

A project passes an investor's mandate when its region is covered (a named region or a whole
country), its stage is one of the investor's stages, they share an instrument, its ask in US
dollars lies within the ticket range widened by ``ticket_tolerance``, and none of its sectors
is excluded. A fact the listing does not give (stage, instruments, ask) fails nothing: it is
said to be unknown in the explanation and lowers the match's confidence.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from hub.catalog import INSTRUMENTS, STAGES, UNKNOWN_STAGE, InvestorCatalog, ProjectCatalog, members
from hub.i18n import Text, Vocab, usd
from hub.matching.results import Constraint
from hub.matching.settings import MatchSettings
from hub.reference import Reference


def _ticket_ok(ask: np.ndarray, low: Any, high: Any, tolerance: float) -> np.ndarray:
    inside = (ask >= low * (1 - tolerance)) & (ask <= high * (1 + tolerance))
    return inside | np.isnan(ask)


def constraints(
    inv: InvestorCatalog, i: Any, proj: ProjectCatalog, p: Any, s: MatchSettings
) -> dict[str, np.ndarray]:
    """Each hard constraint as a bool array over the (investor row i, project row p) pairs.

    ``i`` and ``p`` broadcast: a scalar against an array checks one side against many. For one
    investor against many projects, small lookup tables (per region, stage, instrument set)
    replace arithmetic on the large columns.
    """
    if isinstance(i, (int, np.integer)):
        return _one_investor(inv, int(i), proj, p, s)
    coverage = inv.coverage[i, proj.region[p]]
    region_ok = coverage > 0
    if s.allow_neighbouring:
        region_ok = region_ok | near(inv, i, proj, p)
    stage = proj.stage[p]
    return {
        "region": region_ok,
        "stage": ((inv.stages[i] >> stage) & 1).astype(bool) | (stage == UNKNOWN_STAGE),
        "instrument": ((inv.instruments[i] & proj.instruments[p]) != 0) | (proj.instruments[p] == 0),
        "ticket": _ticket_ok(proj.ask_usd[p], inv.ticket_min[i], inv.ticket_max[i], s.ticket_tolerance),
        "excluded_sector": (inv.excluded[i] & proj.sectors[p]) == 0,
    }


def _one_investor(
    inv: InvestorCatalog, i: int, proj: ProjectCatalog, p: Any, s: MatchSettings
) -> dict[str, np.ndarray]:
    region_table = inv.coverage[i] > 0  # (regions,)
    if s.allow_neighbouring:
        close = (inv.countries[i].astype(np.int16) @ inv.places.neighbours.astype(np.int16)) > 0
        region_table = region_table | close[inv.places.region_country]
    stages = int(inv.stages[i])
    stage_table = np.array([bool(stages >> stage & 1) for stage in range(len(STAGES))] + [True])
    wanted = int(inv.instruments[i])
    instrument_table = np.array([mask == 0 or (mask & wanted) != 0 for mask in range(1 << len(INSTRUMENTS))])
    ask = proj.ask_usd[p]
    excluded = int(inv.excluded[i])
    sectors_ok = (proj.sectors[p] & excluded) == 0 if excluded else np.ones(np.shape(ask), dtype=bool)
    return {
        "region": region_table[proj.region[p]],
        "stage": stage_table[proj.stage[p]],
        "instrument": instrument_table[proj.instruments[p]],
        "ticket": _ticket_ok(ask, inv.ticket_min[i], inv.ticket_max[i], s.ticket_tolerance),
        "excluded_sector": sectors_ok,
    }


def near(inv: InvestorCatalog, i: Any, proj: ProjectCatalog, p: Any) -> np.ndarray:
    """Whether the project lies in a country bordering one the investor covers."""
    near_countries = (inv.countries.astype(np.int16) @ inv.places.neighbours.astype(np.int16)) > 0
    return near_countries[i, proj.country[p]]


def passing(inv: InvestorCatalog, i: Any, proj: ProjectCatalog, p: Any, s: MatchSettings) -> np.ndarray:
    """Pairs passing every hard constraint (bool, broadcast shape of ``i`` and ``p``)."""
    checks = constraints(inv, i, proj, p, s)
    ok = checks.pop("region")
    for value in checks.values():
        ok = ok & value
    return ok


def describe(
    inv: InvestorCatalog, i: int, proj: ProjectCatalog, p: int, *, s: MatchSettings, reference: Reference
) -> tuple[Constraint, ...]:
    """The hard constraints of one pair, each with a sentence a person can check."""
    checks = {name: bool(v) for name, v in constraints(inv, i, proj, p, s).items()}
    places = proj.places
    region = reference.regions[places.regions[proj.region[p]]]
    where = {2: "constraint.region_named", 1: "constraint.region_country"}.get(
        int(inv.coverage[i, proj.region[p]]),
        "constraint.region_neighbour" if checks["region"] else "constraint.region_outside",
    )
    stages = [Vocab("stage", code) for code in members(int(inv.stages[i]), STAGES)]
    shared = [
        Vocab("instrument", code)
        for code in members(int(inv.instruments[i] & proj.instruments[p]), INSTRUMENTS)
    ]
    excluded = [
        reference.sectors[slug] for slug in members(int(inv.excluded[i] & proj.sectors[p]), places.sectors)
    ]
    ticket = {
        "low": usd(inv.ticket_min[i]),
        "high": usd(inv.ticket_max[i]),
        "tolerance": f"{s.ticket_tolerance:.0%}",
    }

    def verdict(name: str, stem: str, values: dict[str, object] | None = None) -> Constraint:
        key = f"constraint.{stem}_ok" if checks[name] else f"constraint.{stem}_fails"
        return Constraint(name, checks[name], Text(key, values or {}))

    def unknown(name: str, stem: str, values: dict[str, object] | None = None) -> Constraint:
        return Constraint(name, True, Text(f"constraint.{stem}_unknown", values or {}), unknown=True)

    stage_code = int(proj.stage[p])
    return (
        Constraint(
            "region",
            checks["region"],
            Text(where, {"region": region, "country": reference.countries[region.country]}),
        ),
        unknown("stage", "stage", {"stages": stages})
        if stage_code == UNKNOWN_STAGE
        else verdict("stage", "stage", {"stage": Vocab("stage", STAGES[stage_code]), "stages": stages}),
        unknown("instrument", "instrument")
        if int(proj.instruments[p]) == 0
        else verdict("instrument", "instrument", {"instruments": shared}),
        unknown("ticket", "ticket", ticket)
        if np.isnan(proj.ask_usd[p])
        else verdict("ticket", "ticket", {"ask": usd(proj.ask_usd[p]), **ticket}),
        verdict("excluded_sector", "sector", {"sectors": excluded}),
    )
