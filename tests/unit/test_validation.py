"""Every write goes through one validation layer; each bad input gets a message that says
what is wrong and how to fix it."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from hub.reference import Reference
from hub.schemas import InvalidInput, validate_investor, validate_project

GOOD_PROJECT: dict[str, Any] = {
    "external_id": "P-1",
    "title": "Electric bus depot for Karaganda",
    "summary": "A 60-bus depot with overnight charging, replacing diesel buses on twelve city routes.",
    "description": "The city akimat plans to replace 60 diesel buses on twelve routes. The depot adds "
    "overnight chargers, a workshop and a dispatch centre linked to the city's ticketing system.",
    "country": "KZ",
    "region": "KZ-35",
    "city": "Karaganda",
    "sectors": "public_transport;energy_efficiency",
    "sdgs": "11;13",
    "stage": "growth",
    "instruments": "ppp;debt",
    "funding_ask": "12500000",
    "total_cost": "30000000",
    "currency": "USD",
    "aifc_link": "none",
    "owner_name": "Saryarka Transit LLP",
    "owner_email": "cfo@saryarka-transit.example",
    "language": "en",
    "status": "submitted",
}

GOOD_INVESTOR: dict[str, Any] = {
    "external_id": "I-1",
    "name": "Steppe Arc Ventures",
    "investor_type": "vc",
    "thesis": "We back software-led companies in Central Asia that digitise city services and transport.",
    "sectors": "ict;public_transport",
    "regions": "KZ;UZ-TK",
    "stages": "seed;early",
    "instruments": "equity",
    "ticket_min": "250000",
    "ticket_max": "2000000",
    "currency": "USD",
    "esg_mandate": "true",
    "aifc_participant": "false",
    "contact_email": "deals@steppe-arc.example",
    "language": "en;ru",
}


def test_a_complete_project_passport_is_accepted_and_parsed(reference: Reference) -> None:
    project = validate_project(GOOD_PROJECT, reference)
    assert project.sectors == ["public_transport", "energy_efficiency"]
    assert project.sdgs == [11, 13]
    assert project.funding_ask == Decimal("12500000")
    assert project.instruments == ["ppp", "debt"]


def test_a_complete_investor_profile_is_accepted_and_coverage_split(reference: Reference) -> None:
    investor = validate_investor(GOOD_INVESTOR, reference)
    assert investor.country_codes == ["KZ"]
    assert investor.region_codes == ["UZ-TK"]
    assert investor.esg_mandate is True and investor.aifc_participant is False
    assert investor.language == ["en", "ru"]


def test_cells_are_read_forgivingly_case_spaces_and_thousand_separators(reference: Reference) -> None:
    project = validate_project(
        {
            **GOOD_PROJECT,
            "stage": " Growth ",
            "currency": "usd",
            "funding_ask": "12,500,000",
            "region": "kz-35",
        },
        reference,
    )
    assert (project.stage, project.currency, project.region) == ("growth", "USD", "KZ-35")
    assert project.funding_ask == Decimal("12500000")


@pytest.mark.parametrize(
    ("typed", "amount"),
    [
        ("2 500 000,50", "2500000.50"),  # Russian and Kazakh writing: spaces and a decimal comma
        ("2500000,5", "2500000.5"),
        ("2,500,000.50", "2500000.50"),
        ("2\u00a0500\u00a0000", "2500000"),
    ],
)
def test_amounts_are_read_as_people_write_them(reference: Reference, typed: str, amount: str) -> None:
    assert validate_project({**GOOD_PROJECT, "funding_ask": typed}, reference).funding_ask == Decimal(amount)


def test_a_blank_cell_of_a_field_with_a_default_takes_the_default(reference: Reference) -> None:
    assert validate_investor({**GOOD_INVESTOR, "active": ""}, reference).active is True
    project = validate_project({**GOOD_PROJECT, "status": " ", "aifc_link": ""}, reference)
    assert (project.status, project.aifc_link) == ("draft", "none")


PROJECT_CASES = [
    ({"title": ""}, "title", "is required"),
    ({"title": None}, "title", "is required"),
    ({"summary": "x" * 301}, "summary", "shorten it to at most 300"),
    ({"description": "Too short."}, "description", "write at least 80"),
    ({"funding_ask": "-5"}, "funding_ask", "must be above 0"),
    ({"funding_ask": "0"}, "funding_ask", "must be above 0"),
    ({"funding_ask": "lots"}, "funding_ask", "is not an amount: write digits only"),
    ({"funding_ask": "10.555"}, "funding_ask", "more than two decimal places"),
    ({"funding_ask": "12,34,5"}, "funding_ask", "mixes separators"),
    ({"funding_ask": "1e30"}, "funding_ask", "too large to be an amount"),  # reported, not a crash
    ({"funding_ask": "900000000000"}, "funding_ask", "implausibly large"),
    ({"total_cost": "1000"}, "total_cost", "below the funding ask"),
    ({"region": "KZ-99"}, "region", "not a known region code"),
    ({"region": "UZ-TK"}, "region", "lies in UZ, not KZ"),
    ({"country": "CN"}, "country", "not a known country code"),
    ({"sectors": "space_tourism"}, "sectors", "'space_tourism': not a known sector slug"),
    ({"sectors": ""}, "sectors", "name at least one sector"),
    ({"sdgs": "18"}, "sdgs", "run from 1 to 17"),
    ({"stage": "unicorn"}, "stage", "use one of idea, seed, early, growth, expansion, mature"),
    ({"instruments": "equity;crypto"}, "instruments", "'crypto': not a known instrument"),
    ({"currency": "GBP"}, "currency", "not a supported currency"),
    ({"owner_email": "not-an-email"}, "owner_email", "not a valid email address"),
    ({"language": "de"}, "language", "use one of en, ru, kk"),
    ({"status": "approved"}, "status", "not a known status"),
    ({"aifc_link": "aix_listed"}, "aifc_reference", "is required for the AIFC link 'aix_listed'"),
    ({"aifc_link": "maybe"}, "aifc_link", "not a known AIFC link"),
    ({"jobs_created": "many"}, "jobs_created", "is not a whole number"),
]


@pytest.mark.parametrize(("change", "field", "message"), PROJECT_CASES)
def test_a_bad_project_field_is_rejected_with_a_message_naming_the_fix(
    reference: Reference, change: dict[str, Any], field: str, message: str
) -> None:
    with pytest.raises(InvalidInput) as caught:
        validate_project({**GOOD_PROJECT, **change}, reference)
    by_field = {error.field: error.message for error in caught.value.errors}
    assert field in by_field, caught.value.errors
    assert message in by_field[field]


INVESTOR_CASES = [
    ({"ticket_min": "5000000"}, "ticket_min", "is above the maximum ticket"),
    ({"ticket_max": "-1"}, "ticket_max", "must be above 0"),
    ({"ticket_max": "90000000000"}, "ticket_max", "implausibly large"),
    ({"investor_type": "hedge_fund"}, "investor_type", "not a known investor type"),
    ({"regions": "KZ-71;Mars"}, "regions", "'MARS': not a known region or country"),
    ({"regions": ""}, "regions", "give at least one value"),
    ({"stages": "seed;late"}, "stages", "'late': not a known stage"),
    ({"esg_mandate": "perhaps"}, "esg_mandate", "write true or false"),
    ({"contact_email": "deals@"}, "contact_email", "not a valid email address"),
    ({"thesis": "We invest."}, "thesis", "write at least 40"),
    ({"excluded_sectors": "ict"}, "excluded_sectors", "both a target and an excluded sector"),
    ({"name": " "}, "name", "is required"),
]


@pytest.mark.parametrize(("change", "field", "message"), INVESTOR_CASES)
def test_a_bad_investor_field_is_rejected_with_a_message_naming_the_fix(
    reference: Reference, change: dict[str, Any], field: str, message: str
) -> None:
    with pytest.raises(InvalidInput) as caught:
        validate_investor({**GOOD_INVESTOR, **change}, reference)
    by_field = {error.field: error.message for error in caught.value.errors}
    assert field in by_field, caught.value.errors
    assert message in by_field[field]


def test_every_wrong_field_is_reported_at_once(reference: Reference) -> None:
    bad = {**GOOD_PROJECT, "title": "", "stage": "unicorn", "currency": "GBP", "owner_email": "x"}
    with pytest.raises(InvalidInput) as caught:
        validate_project(bad, reference)
    assert {e.field for e in caught.value.errors} == {"title", "stage", "currency", "owner_email"}


def test_a_missing_required_field_is_named(reference: Reference) -> None:
    incomplete = {k: v for k, v in GOOD_PROJECT.items() if k != "funding_ask"}
    with pytest.raises(InvalidInput) as caught:
        validate_project(incomplete, reference)
    assert [(e.field, e.message) for e in caught.value.errors] == [
        ("funding_ask", "is required: give it, or write unknown if the listing does not say")
    ]
