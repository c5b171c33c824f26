from __future__ import annotations

from collections import Counter
from datetime import date
from decimal import Decimal

import pytest

from hub.reference import Reference, UnknownCurrency

# (lat min, lat max, lon min, lon max) of each country's territory in scope
BOUNDS = {
    "KZ": (40.5, 55.5, 46.4, 87.4),
    "UZ": (37.1, 45.6, 55.9, 73.2),
    "KG": (39.1, 43.3, 69.2, 80.3),
    "TJ": (36.6, 41.1, 67.3, 75.2),
    "TM": (35.1, 42.8, 52.4, 66.7),
    "RU": (45.0, 60.0, 43.0, 90.0),
}


def test_all_66_regions_in_scope_are_present(reference: Reference) -> None:
    per_country = Counter(region.country for region in reference.regions.values())
    assert per_country == {"KZ": 20, "UZ": 14, "KG": 9, "TJ": 5, "TM": 6, "RU": 12}


def test_kazakhstan_uses_the_2023_numeric_codes_including_new_regions(reference: Reference) -> None:
    names = {code: r.name_en for code, r in reference.regions.items() if r.country == "KZ"}
    assert names["KZ-10"].startswith("Abai")
    assert names["KZ-33"].startswith("Jetisu")
    assert names["KZ-62"].startswith("Ulytau")
    assert names["KZ-71"] == "Astana"
    assert all(code[3:].isdigit() for code in names)


def test_every_region_has_names_in_three_languages_and_a_centroid_inside_its_country(
    reference: Reference,
) -> None:
    for region in reference.regions.values():
        assert region.name_en and region.name_ru and region.name_kk, region.code
        lat_min, lat_max, lon_min, lon_max = BOUNDS[region.country]
        assert lat_min <= region.lat <= lat_max and lon_min <= region.lon <= lon_max, region.code


def test_a_region_centroid_is_not_simply_its_capital_city(reference: Reference) -> None:
    # Mangystau's capital Aktau lies on the Caspian shore at about 51.2 E; the centroid is inland.
    assert reference.regions["KZ-47"].lon > 52.0


def test_sectors_cover_the_programme_priorities_and_real_directories_with_three_languages_and_nace(
    reference: Reference,
) -> None:
    expected = {
        "public_transport", "healthcare", "education", "public_safety", "e_government", "green_building",
        "energy_efficiency", "renewable_energy", "water_utilities", "agriculture_food", "logistics",
        "fintech", "ict", "mining_metals", "manufacturing", "tourism", "real_estate",
        # where startup directories' consumer apps, shops, media, games and HR tech belong
        "consumer_ecommerce", "media_games", "hr_jobs",
    }  # fmt: skip
    assert set(reference.sectors) == expected
    for sector in reference.sectors.values():
        assert sector.name_ru and sector.name_kk and sector.nace_section.isalpha() and sector.nace_codes


def test_the_17_sdgs_are_numbered_1_to_17(reference: Reference) -> None:
    assert sorted(reference.sdgs) == list(range(1, 18))


def test_fx_normalises_every_supported_currency_to_usd(reference: Reference) -> None:
    fx = reference.fx
    assert set(fx.currencies) == {"KZT", "USD", "EUR", "RUB", "UZS", "KGS", "TJS", "TMT"}
    assert fx.to_usd(Decimal("519500000"), "KZT") == Decimal("1000000.00")
    assert fx.to_usd(Decimal("3.50"), "TMT") == Decimal("1.00")
    assert fx.to_usd(Decimal(100), "USD") == Decimal("100.00")


def test_fx_results_are_exact_decimals_rounded_to_cents(reference: Reference) -> None:
    usd = reference.fx.to_usd(Decimal(1), "KZT")
    assert isinstance(usd, Decimal)
    assert usd == Decimal("0.00")  # 1 tenge is a fraction of a cent
    assert reference.fx.from_usd(Decimal(1), "KZT") == Decimal("519.50")


def test_fx_uses_the_latest_rate_on_or_before_the_given_day(reference: Reference) -> None:
    fx = reference.fx
    assert fx.units_per_usd("KZT", on=fx.as_of) == fx.units_per_usd("KZT")
    with pytest.raises(UnknownCurrency):
        fx.units_per_usd("KZT", on=date(1990, 1, 1))


def test_fx_rejects_a_currency_it_has_no_rate_for(reference: Reference) -> None:
    with pytest.raises(UnknownCurrency):
        reference.fx.to_usd(Decimal(1), "GBP")
