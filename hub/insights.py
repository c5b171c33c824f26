"""Aggregate figures for the home page and the insights page (amounts in US dollars)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy.orm import Session

from hub import repository
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
    named = [(reference.countries[code].name_en.split(" (")[0], n) for code, n in rows]
    return sorted(named, key=lambda item: -item[1])


def projects_per_sector(session: Session, reference: Reference) -> list[tuple[str, int]]:
    """(sector name, number of projects listing it), largest first."""
    rows = repository.projects_per_sector(session)
    return sorted(((reference.sectors[slug].name_en, n) for slug, n in rows), key=lambda item: -item[1])
