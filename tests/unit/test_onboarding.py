"""Real listings onboarding: incomplete drafts, unknown facts, plausibility warnings and the
duplicate signals (folded names, websites, phones) with the rule that combines them."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from hub.duplicates import DuplicateRule, entity_key, identity, normal_phone, normal_website, website_key
from hub.passport import eligibility, plausibility
from hub.reference import Reference
from hub.schemas import InvalidInput, missing_for_submission, validate_project
from tests.unit.test_validation import GOOD_PROJECT

THIN = {"external_id": "DIR-7", "title": "Qoly", "status": "draft"}  # a real 4-letter company name


def _fields(errors: Any) -> set[str]:
    return {e.field for e in errors}


# --- drafts ------------------------------------------------------------------------------------


def test_a_draft_needs_only_a_title_and_lists_what_submission_still_needs(reference: Reference) -> None:
    draft = validate_project(THIN, reference)
    assert draft.is_draft and draft.summary is None and draft.region is None
    assert draft.language == "en" and draft.currency == "USD"  # told from the text; no amounts yet
    needs = _fields(missing_for_submission(draft))
    assert needs == {
        "summary", "description", "owner_name", "owner_email", "country", "region", "sectors",
        "stage", "instruments", "funding_ask",
    }  # fmt: skip
    assert all(n.message for n in missing_for_submission(draft))


def test_a_draft_still_refuses_wrong_values_and_an_empty_title(reference: Reference) -> None:
    with pytest.raises(InvalidInput) as caught:
        validate_project({**THIN, "region": "KZ-99", "owner_email": "nobody"}, reference)
    assert _fields(caught.value.errors) == {"region", "owner_email"}
    with pytest.raises(InvalidInput) as caught:
        validate_project({**THIN, "title": ""}, reference)
    assert _fields(caught.value.errors) == {"title"}


def test_submission_applies_the_text_minimums_a_draft_does_not(reference: Reference) -> None:
    short = {**GOOD_PROJECT, "summary": "Too short", "status": "draft"}
    assert validate_project(short, reference).summary == "Too short"
    with pytest.raises(InvalidInput) as caught:
        validate_project({**short, "status": "submitted"}, reference)
    assert [e.message for e in caught.value.errors] == ["is too short (9 characters): write at least 20"]


def test_an_amount_without_a_currency_is_refused_even_in_a_draft(reference: Reference) -> None:
    with pytest.raises(InvalidInput) as caught:
        validate_project({**THIN, "funding_ask": "250000"}, reference)
    assert [(e.field, "KZT or USD" in e.message) for e in caught.value.errors] == [("currency", True)]


# --- unknown ------------------------------------------------------------------------------------


def test_stage_instruments_and_ask_may_be_declared_unknown_and_submission_accepts_it(
    reference: Reference,
) -> None:
    project = validate_project(
        {**GOOD_PROJECT, "stage": "Unknown", "instruments": "unknown", "funding_ask": "unknown"}, reference
    )
    assert project.unknown == ["funding_ask", "instruments", "stage"]
    assert (project.stage, project.instruments, project.funding_ask) == (None, [], None)
    assert missing_for_submission(project) == []
    size = next(c for c in eligibility(project, reference) if c.name == "size")
    assert size.passed and "not known" in size.message


def test_unknown_beside_a_real_value_or_a_given_fact_is_refused(reference: Reference) -> None:
    with pytest.raises(InvalidInput) as caught:
        validate_project({**GOOD_PROJECT, "instruments": "equity;unknown"}, reference)
    assert "'unknown': not a known instrument" in str(caught.value)
    with pytest.raises(InvalidInput) as caught:
        validate_project({**GOOD_PROJECT, "unknown": "stage"}, reference)  # stage "growth" is given
    assert [e.field for e in caught.value.errors] == ["stage"]


# --- plausibility -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"funding_ask": "100", "total_cost": "", "stage": "seed"}, "funding_ask", "far below"),
        ({"funding_ask": "900000000", "total_cost": "", "stage": "idea"}, "funding_ask", "far above"),
        ({"funding_ask": "100000", "total_cost": "9000000"}, "total_cost", "90 times the funding ask"),
        ({"founded_year": "2031"}, "founded_year", "lies in the future"),
        ({"expected_irr_pct": "150"}, "expected_irr_pct", "is rare"),
    ],
)
def test_implausible_values_are_warned_about_never_refused(
    reference: Reference, change: dict[str, str], field: str, words: str
) -> None:
    project = validate_project({**GOOD_PROJECT, **change}, reference)  # accepted
    warnings = plausibility(project, reference, today=date(2026, 11, 30))
    assert [w.field for w in warnings] == [field] and words in warnings[0].message


def test_a_sensible_passport_has_no_warnings(reference: Reference) -> None:
    assert plausibility(validate_project(GOOD_PROJECT, reference), reference) == []


# --- duplicate signals ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("names", "key"),
    [
        (("ТОО «Kaspi»", "Kaspi LLP", "Kaspi.kz JSC", "Joint Stock Company Kaspi.kz", "АО Каспи"), "kaspi"),
        (('ООО "Яндекс.Такси"', "Яндекс Такси"), "iandeks taksi"),
        (("Astana Hub", "ASTANA-HUB LLP"), "astana hub"),
    ],
)
def test_organisation_names_fold_legal_forms_case_punctuation_and_script(
    names: tuple[str, ...], key: str
) -> None:
    assert {entity_key(name) for name in names} == {key}


def test_a_name_that_is_only_a_legal_form_has_no_key() -> None:
    assert entity_key("LLP") is None and entity_key("ТОО") is None and entity_key(None) is None


@pytest.mark.parametrize(
    ("url", "key"),
    [
        ("https://www.kaspi.kz/shop/c/phones", "kaspi.kz"),
        ("kaspi.kz", "kaspi.kz"),
        ("http://m.Kaspi.KZ", "kaspi.kz"),
        ("https://shop.example.com.kz/about", "example.com.kz"),
        ("https://instagram.com/qoly.kz/", "instagram.com/qoly.kz"),
        ("https://www.instagram.com/", None),
        ("not a website", None),
    ],
)
def test_a_website_is_keyed_by_the_domain_or_the_page_on_a_shared_host(url: str, key: str | None) -> None:
    assert website_key(url) == key


def test_websites_and_phones_are_stored_in_one_form_or_refused_with_the_fix() -> None:
    assert normal_website("kaspi.kz/about") == "https://kaspi.kz/about"
    assert normal_phone("8 (717) 200-00-00", "KZ") == normal_phone("+7 717 200 0000", None) == "+77172000000"
    with pytest.raises(ValueError, match="not a web address"):
        normal_website("ftp://files")
    with pytest.raises(ValueError, match="with the country code"):
        normal_phone("12", "KZ")


RULE = DuplicateRule()


def test_the_same_website_is_a_duplicate_whatever_the_text() -> None:
    a = identity("Qoly", "Qoly LLP", "https://qoly.kz")
    b = identity("Qoly delivery app", "ТОО «Qoly Group»", "www.qoly.kz/ru")
    assert [s.kind for s in RULE.signals(a, b, 0.1)] == ["website", "name", "text"]


def test_one_company_written_up_twice_is_caught_by_its_name_when_the_text_differs() -> None:
    a = identity("InDriver", "inDriver Inc.", None)
    b = identity("inDrive", None, None)  # renamed; a profile in another source
    assert [s.kind for s in RULE.signals(a, b, 0.44)] == ["name", "text"]
    assert RULE.signals(a, b, 0.2) == ()  # a name alone, with unrelated text, is not enough


def test_two_companies_in_one_line_of_business_are_comparables_not_duplicates() -> None:
    a = identity("Glovo", "Glovoapp23 SL", "glovoapp.com")
    b = identity("Wolt", "Wolt Enterprises Oy", "wolt.com")
    assert RULE.signals(a, b, 0.85) == ()


def test_one_organisation_s_other_project_needs_close_text_to_be_flagged() -> None:
    akimat = {"organisation": "Akimat of Astana", "website": None, "region": "KZ-71"}
    school = identity("New school in Yesil district", akimat["organisation"], None, region="KZ-71")
    depot = identity("Electric bus depot", akimat["organisation"], None, region="KZ-71")
    assert RULE.signals(school, depot, 0.35) == ()
    resubmitted = identity("Yesil district school, revised", akimat["organisation"], None, region="KZ-71")
    assert [s.kind for s in RULE.signals(school, resubmitted, 0.8)] == ["organisation", "text"]


def test_the_same_generic_title_in_two_regions_is_two_projects_and_phase_2_is_not_phase_3() -> None:
    almaty = identity("School construction", "Akimat of Almaty", None, region="KZ-75")
    shymkent = identity("School construction", "Akimat of Shymkent", None, region="KZ-79")
    assert RULE.signals(almaty, shymkent, 0.7) == ()
    phase2 = identity("Solar park phase 2", "Samruk Green", None, region="KZ-61")
    phase3 = identity("Solar park phase 3", "Other Energy", None, region="KZ-61")
    assert RULE.signals(phase2, phase3, 0.5) == ()


def test_a_shared_contact_email_or_phone_is_a_signal() -> None:
    a = identity("Agro drones", "Sky Agro", None, email="CEO@skyagro.kz", phone="+77010000000")
    b = identity(
        "Crop spraying drones", "SkyAgro Services", None, email="ceo@skyagro.kz", phone="+77010000000"
    )
    assert [s.kind for s in RULE.signals(a, b, 0.65)] == ["email", "phone", "text"]
