"""What a person narrows a project list by, as a mask over the catalog."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from hub.catalog import INSTRUMENTS, LANGUAGES, STAGES, ProjectCatalog, bits


@dataclass(frozen=True)
class ProjectFilters:
    """What a person narrows a project list by (all optional; amounts in US dollars)."""

    countries: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    sectors: tuple[str, ...] = ()
    sdgs: tuple[int, ...] = ()
    stages: tuple[str, ...] = ()
    instruments: tuple[str, ...] = ()
    ask_min_usd: float | None = None
    ask_max_usd: float | None = None
    aifc_only: bool = False
    languages: tuple[str, ...] = ()
    published_after: float | None = None  # a POSIX time: only listings published since then

    def mask(self, catalog: ProjectCatalog) -> np.ndarray:
        """Rows passing every filter. A code no longer in the reference data (a saved search
        naming a removed region, say) matches nothing rather than failing."""
        places = catalog.places
        keep = np.ones(len(catalog), dtype=bool)
        if self.countries:
            keep &= np.isin(catalog.country, _known(self.countries, places.countries))
        if self.regions:
            keep &= np.isin(catalog.region, _known(self.regions, places.regions))
        if self.sectors:
            keep &= (catalog.sectors & bits(_kept(self.sectors, places.sectors), places.sectors)) != 0
        if self.sdgs:
            keep &= (catalog.sdgs & sum(1 << n for n in self.sdgs)) != 0
        if self.stages:
            keep &= np.isin(catalog.stage, _known(self.stages, STAGES))
        if self.instruments:
            keep &= (catalog.instruments & bits(_kept(self.instruments, INSTRUMENTS), INSTRUMENTS)) != 0
        if self.ask_min_usd is not None:
            keep &= catalog.ask_usd >= self.ask_min_usd
        if self.ask_max_usd is not None:
            keep &= catalog.ask_usd <= self.ask_max_usd
        if self.aifc_only:
            keep &= catalog.aifc
        if self.languages:
            keep &= np.isin(catalog.language, _known(self.languages, LANGUAGES))
        if self.published_after is not None:
            keep &= catalog.published > self.published_after
        return keep


def _kept(wanted: Sequence[str], known: Sequence[str]) -> list[str]:
    return [w for w in wanted if w in known]


def _known(wanted: Sequence[str], known: Sequence[str]) -> list[int]:
    """Positions in ``known`` of the ``wanted`` codes it holds."""
    return [known.index(w) for w in _kept(wanted, known)]
