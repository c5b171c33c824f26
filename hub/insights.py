"""Aggregate figures for the home page and the insights page (amounts in US dollars)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

import numpy as np
from sqlalchemy.orm import Session

from hub import repository
from hub.catalog import ProjectFacts
from hub.matching import Matcher
from hub.reference import Reference
from hub.vocab import Status


@dataclass(frozen=True)
class Headline:
    published_projects: int
    active_investors: int
    capital_sought_usd: Decimal  # sum of published funding asks, USD at the FX table's rates
    ticket_capacity_usd: Decimal  # sum of active investors' maximum tickets, USD
    countries: int
    regions: int


def headline(session: Session, reference: Reference) -> Headline:
    """The hub in six numbers."""
    asks = repository.asks_by_currency(session, Status.PUBLISHED)
    sought = sum((reference.fx.to_usd(total, currency) for _, currency, total in asks), Decimal(0))
    capacity = sum(
        (
            reference.fx.to_usd(total, currency)
            for currency, total in repository.ticket_capacity_by_currency(session)
        ),
        Decimal(0),
    )
    per_status = dict(repository.projects_per_status(session))
    return Headline(
        published_projects=per_status.get(Status.PUBLISHED, 0),
        active_investors=repository.count_active_investors(session),
        capital_sought_usd=sought,
        ticket_capacity_usd=capacity,
        countries=len({country for country, _, _ in asks}),
        regions=repository.regions_with_projects(session),
    )


def projects_per_country(session: Session, reference: Reference) -> list[tuple[str, int]]:
    """(country name, number of projects), largest first."""
    rows = repository.projects_per_country(session)
    named = [(reference.countries[code].short_name(), n) for code, n in rows]
    return sorted(named, key=lambda item: -item[1])


def projects_per_sector(session: Session, reference: Reference) -> list[tuple[str, int]]:
    """(sector name, number of projects listing it), largest first."""
    rows = repository.projects_per_sector(session)
    return sorted(((reference.sectors[slug].name(), n) for slug, n in rows), key=lambda item: -item[1])


@dataclass(frozen=True)
class RegionPoint:
    code: str
    name: str
    country: str
    lat: float  # territorial centroid
    lon: float
    projects: int  # published projects located there
    ask_usd: float  # their funding asks, summed, US dollars


def region_points(
    projects: Iterable[ProjectFacts], reference: Reference, language: str | None = None
) -> list[RegionPoint]:
    """Projects per region with their summed ask in USD (for the maps)."""
    totals: dict[str, list[float]] = {}
    for facts in projects:
        entry = totals.setdefault(facts.region, [0, 0.0])
        entry[0] += 1
        entry[1] += facts.ask_usd or 0.0  # a listing that does not give its ask adds nothing
    points = []
    for code, (count, ask) in sorted(totals.items()):
        region = reference.regions[code]
        points.append(
            RegionPoint(code, region.name(language), region.country, region.lat, region.lon, int(count), ask)
        )
    return points


@dataclass(frozen=True)
class GapCell:
    sector: str  # sector slug
    country: str  # ISO alpha-2
    demand_usd: float  # asks of published projects, split evenly over each project's sectors
    supply_usd: float  # maximum tickets of active investors, split evenly over their sectors and countries

    @property
    def gap_usd(self) -> float:
        """Positive where more capital is sought than offered."""
        return self.demand_usd - self.supply_usd


def capital_gap(session: Session, reference: Reference) -> list[GapCell]:
    """Capital demand against supply per sector x country.

    Each project's ask and each investor's maximum ticket is counted once overall, split
    evenly over the sectors (and, for investors, countries) it names, so the totals add up.
    """
    demand: dict[tuple[str, str], float] = {}
    for project in repository.published_projects(session):
        if project.funding_ask is None:  # the listing does not give its ask
            continue
        ask = float(reference.fx.to_usd(project.funding_ask, project.currency))
        for sector in project.sectors:
            key = (sector.slug, project.country_code)
            demand[key] = demand.get(key, 0.0) + ask / len(project.sectors)
    supply: dict[tuple[str, str], float] = {}
    for investor in repository.active_investors(session):
        ticket = float(reference.fx.to_usd(investor.ticket_max, investor.currency))
        countries = sorted({c.code for c in investor.countries} | {r.country_code for r in investor.regions})
        share = ticket / max(1, len(investor.sectors) * len(countries))
        for sector in investor.sectors:
            for country in countries:
                supply[(sector.slug, country)] = supply.get((sector.slug, country), 0.0) + share
    keys = sorted(set(demand) | set(supply))
    return [GapCell(s, c, demand.get((s, c), 0.0), supply.get((s, c), 0.0)) for s, c in keys]


def sdg_counts(session: Session, reference: Reference) -> list[tuple[str, int]]:
    """(SDG label, published projects naming it), by SDG number."""
    counts: dict[int, int] = {}
    for project in repository.published_projects(session):
        for sdg in project.sdgs:
            counts[sdg.number] = counts.get(sdg.number, 0) + 1
    return [(f"{n}. {reference.sdgs[n].name()}", counts[n]) for n in sorted(counts)]


@dataclass(frozen=True)
class Exposure:
    region: str  # region name
    country: str
    appearances: int  # times a project of this region is in an investor's top 10
    listings: int  # published projects in the region
    share_of_appearances: float
    share_of_listings: float


def region_exposure(matcher: Matcher, reference: Reference, top: int = 10) -> list[Exposure]:
    """How often each region's projects reach investors' top 10s, against its share of listings.

    A region whose share of appearances is far below its share of listings is starved."""
    projects = matcher.projects
    places = projects.places
    appearances = np.zeros(len(places.regions), dtype=np.int64)
    for investor_id in matcher.investors.ids:
        result = matcher.projects_for_investor(int(investor_id), top=top, explain=False)
        for match in result.items:
            appearances[projects.region[projects.position(match.id)]] += 1
    listings = np.bincount(projects.region, minlength=len(places.regions))
    total_a, total_l = max(1, int(appearances.sum())), max(1, int(listings.sum()))
    rows = []
    for index, code in enumerate(places.regions):
        if listings[index] or appearances[index]:
            region = reference.regions[code]
            rows.append(
                Exposure(
                    region.name(),
                    region.country,
                    int(appearances[index]),
                    int(listings[index]),
                    appearances[index] / total_a,
                    listings[index] / total_l,
                )
            )
    return sorted(rows, key=lambda row: row.share_of_appearances - row.share_of_listings)
