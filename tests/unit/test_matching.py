"""The matching pipeline on small hand-built catalogs and a deterministic fake encoder."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from embeddings.index import VectorIndex
from hub.catalog import InvestorCatalog, InvestorFacts, Places, ProjectCatalog, ProjectFacts
from hub.duplicates import identity
from hub.i18n import usd
from hub.matching import (
    FACTORS,
    Matcher,
    MatchSettings,
    ProjectFilters,
    Weights,
    diversify,
    join_fields,
    split_sentences,
)
from hub.reference import Reference
from tests.fakes import FakeEncoder

NOW = datetime(2026, 11, 26, tzinfo=UTC)

INVESTOR = InvestorFacts(
    id=1,
    external_id="I-1",
    name="Steppe Transit Fund",
    investor_type="vc",
    stages=("seed", "early"),
    instruments=("equity",),
    sectors=("public_transport",),
    excluded_sectors=("mining_metals",),
    regions=("KG-GB",),
    countries=("KZ",),
    ticket_min_usd=200_000,
    ticket_max_usd=2_000_000,
    esg_mandate=True,
    aifc_participant=True,
    languages=("en",),
)
THESIS = "electric buses depot charging city transit ticketing"


def project(id_: int, **changes: object) -> ProjectFacts:
    base = ProjectFacts(
        id=id_,
        external_id=f"P-{id_}",
        title=f"Project {id_}",
        owner_name="Owner",
        country="KZ",
        region="KZ-35",
        stage="seed",
        instruments=("equity",),
        sectors=("public_transport",),
        sdgs=(11,),
        ask_usd=600_000,
        aifc_link="none",
        green=True,
        language="en",
        published_at=NOW - timedelta(days=10),
        completeness=1.0,
    )
    return replace(base, **changes)


class MemoryTexts:
    def __init__(self, projects: dict[int, str], investors: dict[int, str]) -> None:
        self.projects, self.investors = projects, investors

    def project_texts(self, ids: Sequence[int]) -> dict[int, str]:
        return {i: self.projects[i] for i in ids if i in self.projects}

    def investor_texts(self, ids: Sequence[int]) -> dict[int, str]:
        return {i: self.investors[i] for i in ids if i in self.investors}


def make_matcher(
    reference: Reference,
    projects: list[tuple[ProjectFacts, str]],
    investors: list[tuple[InvestorFacts, str]] | None = None,
    settings: MatchSettings | None = None,
) -> Matcher:
    investors = investors or [(INVESTOR, THESIS)]
    encoder = FakeEncoder()
    places = Places.of(reference)
    project_index = VectorIndex(encoder.dimension, model=encoder.name)
    project_index.upsert(
        [f.id for f, _ in projects], encoder.encode([t for _, t in projects]), ["h"] * len(projects)
    )
    investor_index = VectorIndex(encoder.dimension, model=encoder.name)
    investor_index.upsert(
        [f.id for f, _ in investors], encoder.encode([t for _, t in investors]), ["h"] * len(investors)
    )
    return Matcher(
        projects=ProjectCatalog(places, [f for f, _ in projects]),
        investors=InvestorCatalog(places, [f for f, _ in investors]),
        project_index=project_index,
        investor_index=investor_index,
        encoder=encoder,
        texts=MemoryTexts({f.id: t for f, t in projects}, {f.id: t for f, t in investors}),
        reference=reference,
        settings=settings or MatchSettings(),
        clock=lambda: NOW,
    )


ON_TOPIC = "Electric buses and a depot with overnight charging for city transit. Ticketing included here."


def variant(n: int) -> str:
    """ON_TOPIC with words of its own: about as relevant, but not a near-copy of another."""
    return f"{ON_TOPIC} " + " ".join(
        f"{word}{n}"
        for word in ("lot", "phase", "site", "batch", "plot", "unit", "zone", "block", "wing", "bay")
    )


def test_each_hard_constraint_keeps_a_misfit_out(reference: Reference) -> None:
    fits = project(10)
    misfits = {
        "region": project(11, country="UZ", region="UZ-SA"),
        "stage": project(12, stage="mature"),
        "instrument": project(13, instruments=("debt",)),
        "ticket too small": project(14, ask_usd=50_000),
        "ticket too large": project(15, ask_usd=9_000_000),
        "excluded sector": project(16, sectors=("public_transport", "mining_metals")),
    }
    matcher = make_matcher(reference, [(fits, ON_TOPIC)] + [(p, ON_TOPIC) for p in misfits.values()])
    result = matcher.projects_for_investor(1, top=10)
    assert [m.id for m in result.items] == [10]
    assert result.passing == 1
    assert result.note is not None and "Only 1 match(es)" in result.note.render()


def test_the_ticket_tolerance_admits_an_ask_just_outside_the_range(reference: Reference) -> None:
    near = project(20, ask_usd=2_150_000)  # 7.5% above the maximum
    assert make_matcher(reference, [(near, ON_TOPIC)]).projects_for_investor(1).items
    strict = MatchSettings(ticket_tolerance=0.0)
    assert not make_matcher(reference, [(near, ON_TOPIC)], settings=strict).projects_for_investor(1).items


def test_a_named_region_and_a_whole_country_both_count_as_covered(reference: Reference) -> None:
    named = project(30, country="KG", region="KG-GB")
    country = project(31, region="KZ-55")
    rows = [(named, variant(1)), (country, variant(2))]
    result = make_matcher(reference, rows).projects_for_investor(1)
    fits = {m.id: m.factors["region"] for m in result.items}
    assert set(fits) == {30, 31} and fits[30] > fits[31]


def test_neighbouring_countries_pass_only_when_allowed_and_with_a_lower_fit(reference: Reference) -> None:
    uzbek = project(40, country="UZ", region="UZ-TK")
    assert not make_matcher(reference, [(uzbek, ON_TOPIC)]).projects_for_investor(1).items
    loose = make_matcher(reference, [(uzbek, ON_TOPIC)], settings=MatchSettings(allow_neighbouring=True))
    match = loose.projects_for_investor(1).items[0]
    assert 0 < match.factors["region"] < Weights().normalised()["region"] * 0.7


def test_factor_contributions_add_up_to_the_score_and_the_closer_text_ranks_first(
    reference: Reference,
) -> None:
    close = project(50)
    far = project(51)
    matcher = make_matcher(
        reference,
        [(far, "A bakery with sourdough bread and pastries. Nothing else here."), (close, ON_TOPIC)],
    )
    result = matcher.projects_for_investor(1)
    assert [m.id for m in result.items] == [50, 51]
    for match in result.items:
        assert set(match.factors) == set(FACTORS)
        assert sum(match.factors.values()) == pytest.approx(match.score)
        assert 0 <= match.score <= 1


def test_the_explanation_names_factors_constraints_and_the_closest_sentence(reference: Reference) -> None:
    text = "A bakery opens downtown for commuters. Electric buses charge at the depot for city transit overnight."
    match = make_matcher(reference, [(project(60), text)]).projects_for_investor(1).items[0]
    assert match.evidence[0][0] == "Electric buses charge at the depot for city transit overnight."
    words = match.explanation()
    assert "Text similarity" in words and "Passes:" in words
    assert "Karaganda Region lies in covered Kazakhstan" in words
    assert f"ask {usd(600_000)} within ticket {usd(200_000)}–{usd(2_000_000)}" in words
    data = match.as_json("title")
    assert {"id", "external_id", "title", "score", "factors", "explanation"} <= set(data)


def test_why_not_higher_explains_a_project_that_fails_a_constraint(reference: Reference) -> None:
    matcher = make_matcher(reference, [(project(70, stage="mature", ask_usd=9_000_000), ON_TOPIC)])
    match = matcher.explain_pair(1, 70)
    assert not match.passed
    failed = {c.name for c in match.constraints if not c.passed}
    assert failed == {"stage", "ticket"}
    assert "Fails: stage Mature is not among Seed, Early" in match.explanation()


def test_no_single_region_fills_the_top_ten_when_others_fit_about_as_well(reference: Reference) -> None:
    same_region = [(project(100 + n, region="KZ-71"), variant(n)) for n in range(12)]
    elsewhere = [(project(200 + n, region=r), variant(50 + n)) for n, r in enumerate(["KZ-55", "KZ-39"])]
    result = make_matcher(reference, same_region + elsewhere).projects_for_investor(1, top=10)
    groups = [m.id // 100 for m in result.items]
    assert {200, 201} <= {m.id for m in result.items}  # both other regions get a place …
    assert groups.count(1) == 8  # … and Astana fills the rest rather than leaving slots empty
    moved = [m for m in result.items if m.moved_for_diversity]
    assert moved and all(m.passed_over > 0 for m in moved)
    assert "Placed below" in moved[0].explanation()


def test_the_variety_penalty_never_buries_a_clearly_better_fit(reference: Reference) -> None:
    # listings concentrated in one city, as real startup lists are: the clear fits stay on top
    astana = [(project(100 + n, region="KZ-71"), variant(n)) for n in range(6)]
    weak = [(project(300, region="KZ-55"), "A bakery with sourdough bread and pastries. Buses nearby.")]
    result = make_matcher(reference, astana + weak).projects_for_investor(1, top=7)
    ids = [m.id for m in result.items]
    assert ids[-1] == 300 and set(ids[:6]) == {100 + n for n in range(6)}
    assert result.items[5].score - result.items[6].score > MatchSettings().diversity_margin


def test_diversify_prefers_variety_within_the_margin_and_never_drops_below_the_requested_count() -> None:
    regions = np.array([0, 0, 0, 0, 0, 1])
    sectors = np.zeros(6, dtype=int)
    close = np.array([0.90, 0.89, 0.875, 0.87, 0.865, 0.865])
    page = diversify(close, 6, MatchSettings(max_per_region=2), regions=regions, sectors=sectors)
    assert page.chosen[:3] == [0, 1, 5] and len(page.chosen) == 6
    assert set(page.passed_over) == {2, 3, 4}
    apart = np.array([0.90, 0.89, 0.88, 0.87, 0.86, 0.50])  # the other region fits clearly worse
    page = diversify(apart, 6, MatchSettings(max_per_region=2), regions=regions, sectors=sectors)
    assert page.chosen == [0, 1, 2, 3, 4, 5] and not page.passed_over


def test_a_page_never_shows_two_near_copies_and_names_the_one_left_off(reference: Reference) -> None:
    rows = [(project(1), ON_TOPIC), (project(2, region="KZ-55"), ON_TOPIC), (project(3), variant(3))]
    result = make_matcher(reference, rows).projects_for_investor(1, top=10)
    shown = [m.id for m in result.items]
    assert len(shown) == 2 and 3 in shown and len({1, 2} & set(shown)) == 1
    kept = next(m for m in result.items if m.id in (1, 2))
    assert kept.near_copies == ("P-2",) if kept.id == 1 else ("P-1",)
    assert "Near-identical" in kept.explanation()


def test_a_generalist_investors_thesis_decides_its_top_match(reference: Reference) -> None:
    everything = replace(
        INVESTOR,
        id=5,
        sectors=tuple(sorted(reference.sectors)),
        excluded_sectors=(),
        regions=(),
        countries=("KZ", "UZ", "KG", "TJ", "TM", "RU"),
        stages=("idea", "seed", "early", "growth", "expansion", "mature"),
        instruments=("equity", "debt", "mezzanine", "ppp", "grant"),
        ticket_min_usd=100_000,
        ticket_max_usd=100_000_000,
    )
    thesis = "We finance cold storage warehouses for fruit exporters."
    rows = [
        (project(1, sectors=("healthcare",)), "A diagnostic imaging centre with MRI and CT scanners for the city."),
        (project(2, sectors=("ict",), region="KZ-71"), "A Tier III cloud data centre with colocation racks."),
        (project(3, sectors=("logistics",), country="UZ", region="UZ-FA"),
         "Cold storage warehouses where fruit exporters keep apricots and grapes before shipping."),
        (project(4, sectors=("public_transport",)), ON_TOPIC),
    ]  # fmt: skip
    matcher = make_matcher(reference, rows, investors=[(everything, thesis)])
    assert matcher.projects_for_investor(5, top=4).items[0].id == 3


def test_only_sentences_that_stand_out_are_quoted(reference: Reference) -> None:
    unrelated = (
        "A bakery opens downtown for commuters. Sourdough loaves and pastries are baked every morning."
    )
    matcher = make_matcher(reference, [(project(60), unrelated), (project(61), ON_TOPIC)])
    found = {m.id: m for m in matcher.projects_for_investor(1).items}
    assert found[61].evidence and not found[60].evidence
    assert "No single sentence stands out" in found[60].explanation()


def test_free_text_search_shows_only_relevant_results(reference: Reference) -> None:
    rows = [
        (project(1), ON_TOPIC),
        (project(2), "A bakery with sourdough bread and pastries. Nothing else here."),
    ]
    matcher = make_matcher(reference, rows)
    result = matcher.search_projects("electric buses depot charging", top=10)
    assert [m.id for m in result.items] == [1]
    assert result.below_floor == 1 and "relevant enough" in result.note.render()
    assert not matcher.search_projects("quantum chromodynamics lattice", top=10).items


def test_unknown_stage_instruments_and_ask_pass_are_said_and_lower_confidence(reference: Reference) -> None:
    thin = project(70, stage=None, instruments=(), ask_usd=None)
    matcher = make_matcher(reference, [(thin, ON_TOPIC), (project(71), variant(71))])
    found = {m.id: m for m in matcher.projects_for_investor(1).items}
    assert set(found) == {70, 71}
    match = found[70]
    assert set(match.unknown) == {"stage", "instrument", "ticket"} and match.passed
    assert match.confidence < found[71].confidence == 1.0
    words = match.explanation()
    assert "stage unknown" in words and "instruments unknown" in words and "ask unknown" in words
    assert "confidence" in words
    assert match.factors["stage"] < found[71].factors["stage"]


def test_filters_narrow_the_results(reference: Reference) -> None:
    rows = [
        (project(80, aifc_link="aifc_registered"), ON_TOPIC),
        (project(81, language="ru"), ON_TOPIC),
        (project(82, sdgs=(7,)), ON_TOPIC),
    ]
    matcher = make_matcher(reference, rows)
    assert [m.id for m in matcher.projects_for_investor(1, filters=ProjectFilters(aifc_only=True)).items] == [
        80
    ]
    assert [
        m.id for m in matcher.projects_for_investor(1, filters=ProjectFilters(languages=("ru",))).items
    ] == [81]
    assert [m.id for m in matcher.search_projects(ON_TOPIC, filters=ProjectFilters(sdgs=(7,))).items] == [82]


def test_a_project_sees_the_investors_whose_mandate_it_fits(reference: Reference) -> None:
    other = replace(INVESTOR, id=2, external_id="I-2", name="Bank", stages=("mature",), instruments=("debt",))
    matcher = make_matcher(
        reference, [(project(90), ON_TOPIC)], investors=[(INVESTOR, THESIS), (other, THESIS)]
    )
    result = matcher.investors_for_project(90)
    assert [m.id for m in result.items] == [1]
    assert result.items[0].evidence  # the thesis sentence closest to the project


def test_similar_projects_flag_near_duplicates(reference: Reference) -> None:
    rows = [
        (project(1), ON_TOPIC),
        (project(2), ON_TOPIC),
        (project(3), "A bakery with bread and pastries here."),
    ]
    result = make_matcher(reference, rows).similar_projects(1, top=2)
    assert [m.id for m in result.items] == [2, 3]
    assert result.items[0].duplicate and not result.items[1].duplicate


def test_the_same_kind_of_project_elsewhere_by_someone_else_is_a_comparable_not_a_duplicate(
    reference: Reference,
) -> None:
    rows = [
        (project(1), ON_TOPIC),
        (project(2, region="KZ-75", owner_name="Another owner"), ON_TOPIC),  # same text, Almaty city
        (project(3, region="KZ-75"), ON_TOPIC),  # same owner, another region
    ]
    matcher = make_matcher(reference, rows)
    flags = {m.id: [s.kind for s in m.duplicate] for m in matcher.similar_projects(1, top=2).items}
    assert flags == {2: [], 3: ["organisation", "text"]}
    # a passport under review is checked the same way against the published listings
    newcomer = identity("A new listing", "Someone new", None, region="KZ-75")
    found = matcher.duplicate_candidates(ON_TOPIC, who=newcomer, top=3)
    assert {m.id: bool(m.duplicate) for m in found.items} == {1: False, 2: True, 3: True}
    elsewhere = identity("Another listing", "x", None, region="KZ-35")
    assert [m.id for m in matcher.duplicate_candidates(ON_TOPIC, who=elsewhere, exclude=1).items] == [2, 3]


def test_an_unknown_or_inactive_investor_is_reported_not_guessed(reference: Reference) -> None:
    matcher = make_matcher(reference, [(project(1), ON_TOPIC)])
    with pytest.raises(LookupError, match="not active"):
        matcher.projects_for_investor(999)


def test_explanations_are_catalogue_texts_rendered_in_the_readers_language(reference: Reference) -> None:
    # the Russian catalogue entry is used for Russian readers, with the region's Russian name
    from hub import catalogues

    said = catalogues.load("ru")["constraint.region_country"].format(
        region="Карагандинская область", country="Казахстан"
    )
    match = make_matcher(reference, [(project(60), ON_TOPIC)]).projects_for_investor(1).items[0]
    region = next(c for c in match.constraints if c.name == "region")
    assert region.text.render("ru") == said
    assert region.detail == "Karaganda Region lies in covered Kazakhstan"  # English for the CLI and JSON
    assert said in match.explanation("ru")


def test_the_count_of_fitting_investors_is_the_number_that_pass(reference: Reference) -> None:
    other = replace(INVESTOR, id=2, external_id="I-2", name="Bank", stages=("mature",))
    matcher = make_matcher(
        reference, [(project(90), ON_TOPIC)], investors=[(INVESTOR, THESIS), (other, THESIS)]
    )
    assert matcher.count_investors_for(90) == matcher.investors_for_project(90).passing == 1


def test_a_filter_naming_a_code_no_longer_known_matches_nothing_instead_of_failing(
    reference: Reference,
) -> None:
    matcher = make_matcher(reference, [(project(1), ON_TOPIC)])
    assert ProjectFilters(regions=("KZ-35",)).mask(matcher.projects).tolist() == [True]
    assert ProjectFilters(regions=("XX-1",), sectors=("space",)).mask(matcher.projects).tolist() == [False]


def test_sentences_split_where_a_stop_lacks_its_space_and_fields_keep_a_boundary() -> None:
    pasted = "Salary advances for workers before payday.What is new: employers pay the fee, not staff."
    assert split_sentences(pasted) == [
        "Salary advances for workers before payday.",
        "What is new: employers pay the fee, not staff.",
    ]
    assert split_sentences("Payments through kaspi.kz cost 2.5% per transfer for every merchant.") == [
        "Payments through kaspi.kz cost 2.5% per transfer for every merchant."
    ]
    joined = join_fields(
        "Mobile payroll app for small shops in Almaty", "It replaces paper payslips entirely."
    )
    assert joined == "Mobile payroll app for small shops in Almaty. It replaces paper payslips entirely."
    assert len(split_sentences(joined)) == 2


def test_the_same_kind_of_project_twice_gives_way_to_a_near_equal_other_kind() -> None:
    angle = np.arccos(0.85)  # two data centres in two cities: close texts, not copies
    vectors = np.array([[1.0, 0.0, 0.0], [np.cos(angle), np.sin(angle), 0.0], [0.0, 0.0, 1.0]])
    page = diversify(np.array([0.90, 0.89, 0.88]), 3, MatchSettings(), vectors=vectors)
    assert page.chosen == [0, 2, 1] and page.passed_over == {1: 1}
    far_behind = diversify(np.array([0.90, 0.89, 0.70]), 3, MatchSettings(), vectors=vectors)
    assert far_behind.chosen == [0, 1, 2]  # a clearly worse fit is not lifted for variety
