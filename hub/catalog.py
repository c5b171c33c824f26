"""Column arrays of the matchable listings, so hard constraints run vectorised over all of them.

A ``ProjectCatalog`` holds one row per published project and an ``InvestorCatalog`` one row per
active investor. Closed vocabularies become bit masks (bit i = i-th member), places become
indexes into the reference lists, and amounts become US dollars (float, for ranking only: the
exact amounts stay in the database).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np

from hub.duplicates import Identity, identity
from hub.models import Investor, Project
from hub.passport import completeness
from hub.reference import Reference
from hub.schemas import ProjectIn
from hub.vocab import AifcLink, Instrument, Language, Stage, slugs

STAGES = slugs(Stage)
INSTRUMENTS = slugs(Instrument)
LANGUAGES = slugs(Language)
UNKNOWN_STAGE = len(STAGES)  # the stage code of a listing that does not give its stage


def bits(values: Iterable[str], vocabulary: Sequence[str]) -> int:
    """The bit mask of ``values`` within ``vocabulary`` (bit i for the i-th member)."""
    mask = 0
    for value in values:
        mask |= 1 << vocabulary.index(value)
    return mask


def members(mask: int, vocabulary: Sequence[str]) -> list[str]:
    return [value for i, value in enumerate(vocabulary) if mask >> i & 1]


@dataclass(frozen=True)
class Places:
    """Positions of countries, regions and sectors in the reference data, and neighbours."""

    countries: list[str]
    regions: list[str]
    sectors: list[str]
    region_country: np.ndarray  # (regions,) country index of each region
    neighbours: np.ndarray  # (countries, countries) bool: shares a border

    @classmethod
    def of(cls, reference: Reference) -> Places:
        countries = sorted(reference.countries)
        regions = sorted(reference.regions)
        neighbours = np.zeros((len(countries), len(countries)), dtype=bool)
        for i, code in enumerate(countries):
            for other in reference.countries[code].neighbours:
                if other in countries:
                    neighbours[i, countries.index(other)] = True
        region_country = np.array([countries.index(reference.regions[r].country) for r in regions])
        return cls(countries, regions, sorted(reference.sectors), region_country, neighbours)


# --- projects ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProjectFacts:
    """What matching needs to know of one project (amounts in US dollars)."""

    id: int
    external_id: str
    title: str
    owner_name: str
    country: str
    region: str
    stage: str | None  # None: the listing does not say
    instruments: tuple[str, ...]  # empty: the listing does not say
    sectors: tuple[str, ...]
    sdgs: tuple[int, ...]
    ask_usd: float | None  # None: the listing does not say
    aifc_link: str
    green: bool
    language: str
    published_at: datetime
    completeness: float  # 0..1
    identity: Identity | None = None  # who the listing is, for duplicate checks

    @property
    def who(self) -> Identity:
        return self.identity or identity(self.title, self.owner_name, None, region=self.region)


def is_green(sectors: Iterable[str], certification: str | None, reference: Reference) -> bool:
    """A green sector or a green-building/energy certification makes a project green."""
    return any(reference.sectors[s].green for s in sectors) or bool(certification)


def _usd(amount: object, currency: str, reference: Reference) -> float | None:
    return None if amount is None else float(reference.fx.to_usd(amount, currency))


def passport_facts(passport: ProjectIn, reference: Reference, published_at: datetime) -> ProjectFacts:
    """``project_facts`` of a passport not stored yet, to preview who it would match."""
    return ProjectFacts(
        id=-1,
        external_id=passport.external_id or "draft",
        title=passport.title,
        owner_name=passport.owner_name,
        country=passport.country,
        region=passport.region,
        stage=passport.stage,
        instruments=tuple(passport.instruments),
        sectors=tuple(passport.sectors),
        sdgs=tuple(passport.sdgs),
        ask_usd=_usd(passport.funding_ask, passport.currency, reference),
        aifc_link=passport.aifc_link,
        green=is_green(passport.sectors, passport.green_certification, reference),
        language=passport.language,
        published_at=published_at,
        completeness=completeness(passport)[0],
        identity=identity(passport.title, passport.owner_name, passport.website, region=passport.region),
    )


def project_facts(project: Project, reference: Reference) -> ProjectFacts:
    sectors = tuple(s.slug for s in project.sectors)
    green = is_green(sectors, project.green_certification, reference)
    return ProjectFacts(
        id=project.id,
        external_id=project.external_id,
        title=project.title,
        owner_name=project.owner_name,
        country=project.country_code,
        region=project.region_code,
        stage=project.stage or None,
        instruments=tuple(project.instruments or ()),
        sectors=sectors,
        sdgs=tuple(s.number for s in project.sdgs),
        ask_usd=_usd(project.funding_ask, project.currency, reference),
        aifc_link=project.aifc_link,
        green=green,
        language=project.language,
        published_at=project.published_at or project.updated_at,
        completeness=completeness(project)[0],
        identity=Identity(
            project.name_key, project.org_key, project.website_domain, region=project.region_code
        ),
    )


@dataclass
class ProjectCatalog:
    """Published projects as column arrays; row i describes ``ids[i]``."""

    places: Places
    facts: list[ProjectFacts]
    ids: np.ndarray = field(init=False)

    def __post_init__(self) -> None:
        p, f = self.places, self.facts
        self.ids = np.array([x.id for x in f], dtype=np.int64)
        # Small codes kept as native indexes (intp): they index lookup tables once per query.
        self.country = np.array([p.countries.index(x.country) for x in f], dtype=np.intp)
        self.region = np.array([p.regions.index(x.region) for x in f], dtype=np.intp)
        # Unknown facts: stage UNKNOWN_STAGE, instrument mask 0, ask NaN (they pass the hard
        # constraints and are said to be unknown in explanations).
        self.stage = np.array([STAGES.index(x.stage) if x.stage else UNKNOWN_STAGE for x in f], dtype=np.intp)
        self.instruments = np.array([bits(x.instruments, INSTRUMENTS) for x in f], dtype=np.intp)
        self.sectors = np.array([bits(x.sectors, p.sectors) for x in f], dtype=np.int64)
        self.primary_sector = np.array([p.sectors.index(x.sectors[0]) for x in f], dtype=np.int16)
        self.sdgs = np.array([sum(1 << n for n in x.sdgs) for x in f], dtype=np.int64)
        self.ask_usd = np.array([np.nan if x.ask_usd is None else x.ask_usd for x in f], dtype=np.float64)
        self.aifc = np.array([x.aifc_link != AifcLink.NONE for x in f], dtype=bool)
        self.green = np.array([x.green for x in f], dtype=bool)
        self.language = np.array([LANGUAGES.index(x.language) for x in f], dtype=np.int8)
        self.completeness = np.array([x.completeness for x in f], dtype=np.float32)
        self.published = np.array([x.published_at.timestamp() for x in f], dtype=np.float64)
        self._position = {int(item): row for row, item in enumerate(self.ids)}

    def __len__(self) -> int:
        return len(self.facts)

    def position(self, item: int) -> int | None:
        return self._position.get(int(item))


# --- investors -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class InvestorFacts:
    """What matching needs to know of one investor (tickets in US dollars)."""

    id: int
    external_id: str
    name: str
    investor_type: str
    stages: tuple[str, ...]
    instruments: tuple[str, ...]
    sectors: tuple[str, ...]
    excluded_sectors: tuple[str, ...]
    regions: tuple[str, ...]  # explicitly named regions
    countries: tuple[str, ...]  # whole countries
    ticket_min_usd: float
    ticket_max_usd: float
    esg_mandate: bool
    aifc_participant: bool
    languages: tuple[str, ...]


def investor_facts(investor: Investor, reference: Reference) -> InvestorFacts:
    return InvestorFacts(
        id=investor.id,
        external_id=investor.external_id,
        name=investor.name,
        investor_type=investor.investor_type,
        stages=tuple(investor.stages),
        instruments=tuple(investor.instruments),
        sectors=tuple(s.slug for s in investor.sectors),
        excluded_sectors=tuple(s.slug for s in investor.excluded_sectors),
        regions=tuple(r.code for r in investor.regions),
        countries=tuple(c.code for c in investor.countries),
        ticket_min_usd=float(reference.fx.to_usd(investor.ticket_min, investor.currency)),
        ticket_max_usd=float(reference.fx.to_usd(investor.ticket_max, investor.currency)),
        esg_mandate=investor.esg_mandate,
        aifc_participant=investor.aifc_participant,
        languages=tuple(investor.languages),
    )


@dataclass
class InvestorCatalog:
    """Active investors as column arrays; row i describes ``ids[i]``."""

    places: Places
    facts: list[InvestorFacts]
    ids: np.ndarray = field(init=False)

    def __post_init__(self) -> None:
        p, f = self.places, self.facts
        n_regions = len(p.regions)
        self.ids = np.array([x.id for x in f], dtype=np.int64)
        self.stages = np.array([bits(x.stages, STAGES) for x in f], dtype=np.int64)
        self.instruments = np.array([bits(x.instruments, INSTRUMENTS) for x in f], dtype=np.int64)
        self.sectors = np.array([bits(x.sectors, p.sectors) for x in f], dtype=np.int64)
        self.excluded = np.array([bits(x.excluded_sectors, p.sectors) for x in f], dtype=np.int64)
        self.ticket_min = np.array([x.ticket_min_usd for x in f], dtype=np.float64)
        self.ticket_max = np.array([x.ticket_max_usd for x in f], dtype=np.float64)
        self.esg = np.array([x.esg_mandate for x in f], dtype=bool)
        self.aifc = np.array([x.aifc_participant for x in f], dtype=bool)
        # coverage: 2 = region named, 1 = whole country covered, 0 = not covered
        self.coverage = np.zeros((len(f), n_regions), dtype=np.int8)
        for row, x in enumerate(f):
            for code in x.countries:
                self.coverage[row, p.region_country == p.countries.index(code)] = 1
            for code in x.regions:
                self.coverage[row, p.regions.index(code)] = 2
        self.countries = np.zeros((len(f), len(p.countries)), dtype=bool)  # any coverage there
        for row in range(len(f)):
            covered = np.flatnonzero(self.coverage[row])
            self.countries[row, np.unique(p.region_country[covered])] = True
        self._position = {int(item): row for row, item in enumerate(self.ids)}

    def __len__(self) -> int:
        return len(self.facts)

    def position(self, item: int) -> int | None:
        return self._position.get(int(item))
