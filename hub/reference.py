"""Reference data loaded from ``data/``: countries, regions, sectors, SDGs and the FX table."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal
from functools import lru_cache
from pathlib import Path

from hub import lang
from hub.vocab import Language

CENT = Decimal("0.01")


@dataclass(frozen=True)
class Named:
    """Anything with a name in English, Russian and Kazakh."""

    name_en: str
    name_ru: str
    name_kk: str

    def name(self, language: str | None = None) -> str:
        """The name in ``language``, by default the reader's (``hub.lang.current``)."""
        language = language or lang.current()
        return {"ru": self.name_ru, "kk": self.name_kk}.get(language, self.name_en)

    def short_name(self, language: str | None = None) -> str:
        """The name without its parenthesis: "Russia" for "Russia (border regions)"."""
        return self.name(language).split(" (")[0]


@dataclass(frozen=True)
class CountryRef(Named):
    code: str  # ISO 3166-1 alpha-2
    currency: str  # ISO 4217
    neighbours: tuple[str, ...]


@dataclass(frozen=True)
class RegionRef(Named):
    code: str  # ISO 3166-2
    country: str  # ISO 3166-1 alpha-2
    type: str
    capital_en: str
    capital_ru: str
    lat: float  # territorial centroid, degrees north
    lon: float  # territorial centroid, degrees east
    population_k: int  # approximate population, thousands

    def capital(self, language: str | None = None) -> str:
        return self.capital_ru if (language or lang.current()) == Language.RU else self.capital_en


@dataclass(frozen=True)
class SectorRef(Named):
    slug: str
    nace_section: str
    nace_codes: tuple[str, ...]
    green: bool
    keywords: str = ""  # English words that describe the sector, for suggestions
    keywords_ru: str = ""  # the same in Russian


@dataclass(frozen=True)
class SdgRef(Named):
    number: int
    keywords: str = ""


class UnknownCurrency(KeyError):
    """A currency that the FX table has no rate for."""


@dataclass(frozen=True)
class FxTable:
    """Dated exchange rates as currency units per one US dollar.

    ``to_usd`` uses the latest rate dated on or before the given day (the latest overall
    when no day is given) and rounds to whole cents.
    """

    rates: dict[str, tuple[tuple[date, Decimal], ...]]

    @property
    def currencies(self) -> list[str]:
        return sorted(self.rates)

    @property
    def as_of(self) -> date:
        """The date of the newest rate in the table."""
        return max(day for series in self.rates.values() for day, _ in series)

    def units_per_usd(self, currency: str, on: date | None = None) -> Decimal:
        series = self.rates.get(currency.upper())
        if not series:
            raise UnknownCurrency(currency)
        usable = [rate for day, rate in series if on is None or day <= on]
        if not usable:
            raise UnknownCurrency(f"{currency} has no rate on or before {on}")
        return usable[-1]

    def to_usd(self, amount: Decimal, currency: str, on: date | None = None) -> Decimal:
        """``amount`` of ``currency`` in US dollars, rounded to cents."""
        usd = Decimal(amount) / self.units_per_usd(currency, on)
        return usd.quantize(CENT, rounding=ROUND_HALF_EVEN)

    def from_usd(self, usd: Decimal, currency: str, on: date | None = None) -> Decimal:
        """``usd`` US dollars expressed in ``currency``, rounded to cents."""
        amount = Decimal(usd) * self.units_per_usd(currency, on)
        return amount.quantize(CENT, rounding=ROUND_HALF_EVEN)


@dataclass(frozen=True)
class Reference:
    """All reference data, keyed by code, slug or number."""

    countries: dict[str, CountryRef]
    regions: dict[str, RegionRef]
    sectors: dict[str, SectorRef]
    sdgs: dict[int, SdgRef]
    fx: FxTable

    def regions_of(self, country: str) -> tuple[RegionRef, ...]:
        return tuple(r for r in self.regions.values() if r.country == country)


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _split(cell: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in cell.split(";") if part.strip())


@lru_cache(maxsize=4)
def load_reference(folder: Path) -> Reference:
    """Read the reference CSV files of ``folder`` (see data/README.md for each file)."""
    countries = {
        row["code"]: CountryRef(
            code=row["code"],
            name_en=row["name_en"],
            name_ru=row["name_ru"],
            name_kk=row["name_kk"],
            currency=row["currency"],
            neighbours=_split(row["neighbours"]),
        )
        for row in _rows(folder / "countries.csv")
    }
    regions = {
        row["code"]: RegionRef(
            code=row["code"],
            country=row["country"],
            type=row["type"],
            name_en=row["name_en"],
            name_ru=row["name_ru"],
            name_kk=row["name_kk"],
            capital_en=row["capital_en"],
            capital_ru=row["capital_ru"],
            lat=float(row["lat"]),
            lon=float(row["lon"]),
            population_k=int(row["population_k"]),
        )
        for row in _rows(folder / "regions.csv")
    }
    sectors = {
        row["slug"]: SectorRef(
            slug=row["slug"],
            name_en=row["name_en"],
            name_ru=row["name_ru"],
            name_kk=row["name_kk"],
            nace_section=row["nace_section"],
            nace_codes=_split(row["nace_codes"]),
            green=row["green"].strip().lower() == "true",
            keywords=row.get("keywords", ""),
            keywords_ru=row.get("keywords_ru", ""),
        )
        for row in _rows(folder / "sectors.csv")
    }
    sdgs = {
        int(row["number"]): SdgRef(
            number=int(row["number"]),
            name_en=row["name_en"],
            name_ru=row["name_ru"],
            name_kk=row["name_kk"],
            keywords=row.get("keywords", ""),
        )
        for row in _rows(folder / "sdgs.csv")
    }
    series: dict[str, list[tuple[date, Decimal]]] = {}
    for row in _rows(folder / "fx_rates.csv"):
        series.setdefault(row["currency"], []).append(
            (date.fromisoformat(row["date"]), Decimal(row["units_per_usd"]))
        )
    fx = FxTable({code: tuple(sorted(points)) for code, points in series.items()})
    return Reference(countries=countries, regions=regions, sectors=sectors, sdgs=sdgs, fx=fx)
