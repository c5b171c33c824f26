"""The deterministic demo data set: invented investors and project passports, labelled as demo.

Project text comes from hand-written archetypes in ``data/demo/projects/*.json`` (distinct
kinds of project per sector, in English and Russian, some also in Kazakh) placed in real regions
with their own figures. Each time an archetype is told again in the same language it opens with
another of its alternative first sentences and leaves out another body sentence, so listings of
the same kind of project read as different passports. A few submitted passports are deliberate
resubmissions of published listings (marked with ``DUPLICATE_KEY``) for the curation queue's
duplicate check. Investor theses are composed from the pools in ``data/demo/investors.json``,
written in investors' own words rather than the archetypes'.

Text choices draw from their own random streams, so the facts of a listing (place, stage,
amounts, status) stay the same when the text pools change. The same seed always gives the same
records, which go through the normal validation and import.
"""

from __future__ import annotations

import json
import math
import random
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from hub import repository
from hub.importing import ImportReport, Kind, Progress, import_records
from hub.models import utcnow
from hub.reference import Reference, RegionRef
from hub.vocab import InvestorType, Role, Stage

DEMO_LABEL = "(demo)"
PROJECT_COUNT = 620
INVESTORS_PER_TYPE = {
    InvestorType.VC: 32,
    InvestorType.PE: 16,
    InvestorType.DFI: 14,
    InvestorType.STATE_FUND: 10,
    InvestorType.CORPORATE: 22,
    InvestorType.ANGEL: 26,
    InvestorType.FAMILY_OFFICE: 18,
    InvestorType.BANK: 22,
}
# Share of projects per country beyond the two every region gets.
COUNTRY_WEIGHT = {"KZ": 0.50, "UZ": 0.17, "KG": 0.10, "TJ": 0.07, "TM": 0.04, "RU": 0.12}
# Share of Russian-language passports per country (the rest are English, or Kazakh, see below).
RUSSIAN_SHARE = {"KZ": 0.40, "UZ": 0.30, "KG": 0.40, "TJ": 0.30, "TM": 0.30, "RU": 0.90}
# Chance that a listing in Kazakhstan whose archetype has a Kazakh text is written in Kazakh.
# Each Kazakh text is told once only: the default encoder has most Kazakh letters outside its
# vocabulary, so two Kazakh tellings of one archetype look near-identical to it (cosine > 0.95).
KAZAKH_SHARE = 0.7
# Share of investors covering Kazakhstan whose thesis is written in Kazakh.
KAZAKH_THESIS_SHARE = 0.12
# Administrative centres of Kazakhstan's regions in Kazakh (the reference data has capitals in
# English and Russian only: RegionRef.capital("kk") gives the English name).
KAZAKH_CAPITALS = {
    "KZ-10": "Семей", "KZ-11": "Көкшетау", "KZ-15": "Ақтөбе", "KZ-19": "Қонаев", "KZ-23": "Атырау",
    "KZ-27": "Орал", "KZ-31": "Тараз", "KZ-33": "Талдықорған", "KZ-35": "Қарағанды",
    "KZ-39": "Қостанай", "KZ-43": "Қызылорда", "KZ-47": "Ақтау", "KZ-55": "Павлодар",
    "KZ-59": "Петропавл", "KZ-61": "Түркістан", "KZ-62": "Жезқазған", "KZ-63": "Өскемен",
    "KZ-71": "Астана", "KZ-75": "Алматы", "KZ-79": "Шымкент",
}  # fmt: skip
# Deliberate duplicates: submitted passports that resubmit a published listing of the same owner
# in the same region, so the curation queue has real duplicates to catch. Each carries the
# original's external id under DUPLICATE_KEY, a key the importer ignores (not a template column).
DUPLICATE_KEY = "resubmission_of"
DUPLICATE_COUNT = 4
RESUBMISSION_NOTE = {
    "en": "The cost estimate has been brought up to date since the first submission.",
    "ru": "С момента первой подачи смета проекта обновлена.",
    "kk": "Алғашқы өтінім берілгеннен бері жобаның сметасы жаңартылды.",
}
PROJECT_CURRENCIES = {
    "KZ": (("KZT", 0.55), ("USD", 0.45)),
    "UZ": (("UZS", 0.40), ("USD", 0.60)),
    "KG": (("KGS", 0.30), ("USD", 0.70)),
    "TJ": (("TJS", 0.30), ("USD", 0.70)),
    "TM": (("TMT", 0.40), ("USD", 0.60)),
    "RU": (("RUB", 0.70), ("USD", 0.20), ("EUR", 0.10)),
}
STATUS_SHARE = (
    ("published", 0.75),
    ("submitted", 0.08),
    ("in_review", 0.05),
    ("changes_requested", 0.03),
    ("draft", 0.04),
    ("rejected", 0.03),
    ("archived", 0.02),
)
LEGAL_FORM = {"KZ": "LLP", "UZ": "LLC", "KG": "LLC", "TJ": "LLC", "TM": "HJ", "RU": "LLC"}
OWNER_WORDS = (
    "Steppe", "Saryarka", "Irtysh", "Zhetysu", "Tengri", "Altai", "Caspian", "Aral", "Alatau", "Ferghana",
    "Zarafshan", "Pamir", "Issyk-Kul", "Karakum", "Ural", "Tobol", "Ishim", "Syr Darya", "Amu Darya",
    "Kopetdag", "Turan", "Sayram", "Khorezm", "Talas", "Naryn", "Hissar", "Kulunda", "Baraba", "Emba", "Ili",
)  # fmt: skip
OWNER_NOUNS = {
    "public_transport": ("Transit", "Mobility", "Bus Systems"),
    "healthcare": ("MedTech", "Health", "Clinics"),
    "education": ("EduLab", "Learning", "Academy"),
    "public_safety": ("SafeCity", "Guard Systems", "Rescue Tech"),
    "e_government": ("GovTech", "Civic Digital", "Open Services"),
    "green_building": ("Green Build", "BIM Studio", "Eco Construction"),
    "energy_efficiency": ("Energy Service", "Heat Saving", "Efficiency Partners"),
    "renewable_energy": ("Solar", "Wind Power", "Renewables"),
    "water_utilities": ("Water", "Utilities", "Aqua Systems"),
    "agriculture_food": ("Agro", "Foods", "Farming Cooperative"),
    "logistics": ("Logistics", "Cargo", "Terminals"),
    "fintech": ("Pay", "Finance Tech", "Credit"),
    "ict": ("Digital", "Soft", "Data Labs"),
    "mining_metals": ("Mining", "Metals", "Minerals"),
    "manufacturing": ("Industries", "Machinery", "Manufacturing"),
    "tourism": ("Travel", "Resorts", "Tourism"),
    "real_estate": ("Development", "Properties", "Estates"),
}
AIFC_LINKS = (
    ("aifc_registered", 0.45),
    ("aix_listed", 0.15),
    ("green_finance_centre", 0.25),
    ("other", 0.15),
)
TICKETS_USD = {  # (min low, min high, max low, max high) in US dollars
    "vc": (100_000, 500_000, 1_000_000, 5_000_000),
    "pe": (5_000_000, 20_000_000, 20_000_000, 100_000_000),
    "dfi": (2_000_000, 10_000_000, 20_000_000, 150_000_000),
    "state_fund": (5_000_000, 20_000_000, 50_000_000, 300_000_000),
    "corporate": (250_000, 2_000_000, 3_000_000, 20_000_000),
    "angel": (10_000, 50_000, 100_000, 500_000),
    "family_office": (500_000, 2_000_000, 3_000_000, 15_000_000),
    "bank": (1_000_000, 5_000_000, 10_000_000, 80_000_000),
}
STAGES_BY_TYPE = {
    "vc": ("seed", "early", "growth"),
    "pe": ("growth", "expansion", "mature"),
    "dfi": ("early", "growth", "expansion", "mature"),
    "state_fund": ("growth", "expansion", "mature"),
    "corporate": ("seed", "early", "growth"),
    "angel": ("idea", "seed", "early"),
    "family_office": ("early", "growth", "expansion"),
    "bank": ("growth", "expansion", "mature"),
}
INSTRUMENTS_BY_TYPE = {
    "vc": ("equity", "mezzanine"),
    "pe": ("equity", "mezzanine"),
    "dfi": ("debt", "equity", "mezzanine", "ppp", "grant"),
    "state_fund": ("equity", "ppp", "debt"),
    "corporate": ("equity", "ppp"),
    "angel": ("equity", "grant"),
    "family_office": ("equity", "debt", "mezzanine"),
    "bank": ("debt", "ppp", "mezzanine"),
}
COVERAGE_PATTERNS = (  # (countries, weight); "regions:KZ" means 2-5 named regions of KZ
    (("KZ", "UZ", "KG", "TJ", "TM"), 0.22),
    (("KZ",), 0.16),
    (("KZ", "RU"), 0.08),
    (("UZ", "KG", "TJ"), 0.10),
    (("KZ", "UZ", "KG"), 0.10),
    (("KZ", "UZ", "KG", "TJ", "TM", "RU"), 0.08),
    (("regions:KZ",), 0.10),
    (("regions:UZ",), 0.04),
    (("regions:RU",), 0.04),
    (("KG",), 0.03),
    (("TJ",), 0.02),
    (("UZ",), 0.03),
)
# Sectors each investor type favours (weight 4 against 1 for the rest).
SECTOR_AFFINITY = {
    "vc": ("ict", "fintech", "healthcare", "education", "e_government", "public_safety", "agriculture_food"),
    "pe": ("manufacturing", "logistics", "healthcare", "agriculture_food", "real_estate", "mining_metals"),
    "dfi": ("renewable_energy", "energy_efficiency", "water_utilities", "public_transport", "green_building",
            "healthcare", "education", "agriculture_food"),
    "state_fund": ("public_transport", "logistics", "renewable_energy", "water_utilities",
                   "mining_metals", "manufacturing", "e_government"),
    "corporate": ("manufacturing", "logistics", "ict", "mining_metals", "energy_efficiency",
                  "agriculture_food"),
    "angel": ("ict", "fintech", "education", "healthcare", "tourism", "e_government"),
    "family_office": ("real_estate", "tourism", "agriculture_food", "green_building", "healthcare",
                      "manufacturing"),
    "bank": ("renewable_energy", "real_estate", "logistics", "energy_efficiency", "public_transport",
             "water_utilities", "green_building"),
}  # fmt: skip
PLACEHOLDER = re.compile(r"\{(\w+)\}")


@dataclass(frozen=True)
class DemoData:
    investors: list[dict[str, Any]]
    projects: list[dict[str, Any]]


def _pick(rng: random.Random, weighted: Sequence[tuple[Any, float]]) -> Any:
    values, weights = zip(*weighted, strict=True)
    return rng.choices(values, weights=weights, k=1)[0]


def _round_amount(value: float) -> Decimal:
    """Round to three significant figures, as people write asks."""
    if value <= 0:
        return Decimal(0)
    digits = math.floor(math.log10(value)) - 2
    step = 10**digits
    return Decimal(int(round(value / step) * step))


def _log_uniform(rng: random.Random, low: float, high: float) -> float:
    return math.exp(rng.uniform(math.log(low), math.log(high)))


def _fill(template: str, values: dict[str, Any]) -> str:
    return PLACEHOLDER.sub(lambda m: str(values[m.group(1)]), template)


def _place_values(region: RegionRef, country_name: str, language: str) -> dict[str, str]:
    """Place names for an archetype's placeholders; Kazakh texts also get locative and genitive
    forms ("Қарағанды облысында", "Қарағанды қаласының"), since Kazakh inflects the name."""
    if language != "kk":
        return {"region": region.name(language), "city": region.capital(language), "country": country_name}
    city = KAZAKH_CAPITALS[region.code]
    name = region.name("kk")
    stem, noun = (name.removesuffix(" облысы"), "облысы") if name.endswith(" облысы") else (name, "қаласы")
    return {
        "region": name,
        "region_loc": f"{stem} {noun}нда",
        "region_gen": f"{stem} {noun}ның",
        "city": city,
        "city_loc": f"{city} қаласында",
        "city_gen": f"{city} қаласының",
        "country": country_name,
    }


def _tell(
    text: dict[str, Any],
    extras: list[str],
    values: dict[str, Any],
    *,
    figures: set[str],
    turn: int,
    offset: int,
) -> str:
    """An archetype's description as its ``turn``-th listing in this language tells it.

    Successive turns open with another of the alternative first sentences and leave out another
    body sentence (two once the openings come round again, so that listings sharing an opening
    share as little of the body as possible); ``offset`` varies where the rotation starts. A body
    sentence repeating one of the archetype's ``figures`` that the opening already gives is left
    out too. The body keeps its order, which is the order its facts build on.
    """
    openings = [text["description"][0], *text.get("openings", [])]
    body = text["description"][1:]
    step = offset + turn
    opening = openings[step % len(openings)]
    left_out = {step % len(body)}
    if turn >= len(openings):
        left_out.add((step + 1) % len(body))
    given = figures & set(PLACEHOLDER.findall(opening))
    left_out |= {i for i, s in enumerate(body) if given & set(PLACEHOLDER.findall(s))}
    kept = [s for i, s in enumerate(body) if i not in left_out]
    return " ".join(_fill(s, values) for s in [opening, *kept, *extras])


def _fresh_extras(words: random.Random, drawn: list[str], pool: list[str], used: set[str]) -> list[str]:
    """The drawn extra sentences, each one that an earlier listing of the same archetype in the same
    language already used swapped for an unused one while any are left; ``used`` is updated."""
    fresh = [s for s in pool if s not in used and s not in drawn]
    chosen = []
    for sentence in drawn:
        kept = fresh.pop(words.randrange(len(fresh))) if sentence in used and fresh else sentence
        chosen.append(kept)
        used.add(kept)
    return chosen


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def load_archetypes(folder: Path) -> dict[str, dict[str, Any]]:
    """Sector slug -> that sector's archetype file."""
    files = sorted((folder / "demo" / "projects").glob("*.json"))
    return {f.stem: json.loads(f.read_text(encoding="utf-8")) for f in files}


# --- projects ------------------------------------------------------------------------------------


def _region_plan(rng: random.Random, reference: Reference, count: int) -> list[RegionRef]:
    """Every region twice, the rest by country weight and within a country by sqrt(population)."""
    regions = sorted(reference.regions.values(), key=lambda r: r.code)
    plan = [r for r in regions for _ in range(2)]
    by_country: dict[str, list[RegionRef]] = {}
    for region in regions:
        by_country.setdefault(region.country, []).append(region)
    while len(plan) < count:
        country = _pick(rng, list(COUNTRY_WEIGHT.items()))
        candidates = by_country[country]
        weights = [math.sqrt(r.population_k) for r in candidates]
        plan.append(rng.choices(candidates, weights=weights, k=1)[0])
    rng.shuffle(plan)
    return plan[:count]


def _owner_name(rng: random.Random, sector: str, country: str, used: set[str]) -> str:
    """An invented, unique owner organisation name, labelled as demo."""
    name = ""
    for attempt in range(1000):
        number = f" {attempt // 100 + 1}" if attempt >= 100 else ""
        name = f"{rng.choice(OWNER_WORDS)} {rng.choice(OWNER_NOUNS[sector])}{number} {LEGAL_FORM[country]}"
        if name not in used:
            break
    used.add(name)
    return f"{name} {DEMO_LABEL}"


def _aifc(rng: random.Random, country: str, green: bool, number: int) -> tuple[str, str | None]:
    if rng.random() > (0.32 if country == "KZ" else 0.14):
        return "none", None
    link = _pick(rng, AIFC_LINKS)
    if link == "green_finance_centre" and not green:
        link = "aifc_registered"
    reference = {
        "aifc_registered": f"AIFC registration {230000 + number:06d}",
        "aix_listed": f"AIX ticker DEM{number % 1000:03d}",
        "green_finance_centre": "AIFC Green Finance Centre green taxonomy review",
        "other": "Astana Hub / AIFC Fintech Lab participant",
    }[link]
    return link, reference


@dataclass
class _Texts:
    """The text choices of the listings, drawn from their own random stream ``words``."""

    words: random.Random
    turns: Counter[tuple[str, str]] = field(default_factory=Counter)  # (archetype, language) -> told
    offsets: dict[tuple[str, str], int] = field(default_factory=dict)
    used_extras: dict[tuple[str, str], set[str]] = field(default_factory=dict)
    told_in_kazakh: set[str] = field(default_factory=set)

    def in_kazakh(self, archetype: dict[str, Any], country: str) -> bool:
        """Whether this listing tells the archetype's Kazakh text: only in Kazakhstan, by chance,
        and once per archetype."""
        if "kk" not in archetype or country != "KZ" or archetype["key"] in self.told_in_kazakh:
            return False
        if self.words.random() >= KAZAKH_SHARE:
            return False
        self.told_in_kazakh.add(archetype["key"])
        return True

    def describe(
        self,
        archetype: dict[str, Any],
        language: str,
        values: dict[str, Any],
        drawn: list[str],
        extras: list[str],
    ) -> str:
        """The listing's description; ``drawn`` are the extra sentences its facts stream drew."""
        combo = (archetype["key"], language)
        chosen = _fresh_extras(self.words, drawn, extras, self.used_extras.setdefault(combo, set()))
        description = _tell(
            archetype[language],
            chosen,
            values,
            figures=set(archetype.get("numbers", {})),
            turn=self.turns[combo],
            offset=self.offsets.setdefault(combo, self.words.randrange(60)),
        )
        self.turns[combo] += 1
        return description


def _projects(
    rng: random.Random, words: random.Random, reference: Reference, archetypes: dict[str, dict[str, Any]]
) -> list[dict]:
    """The demo listings: ``rng`` draws their facts, ``words`` their text choices."""
    pool = [(sector, a) for sector, data in sorted(archetypes.items()) for a in data["archetypes"]]
    plan: list[tuple[str, dict[str, Any]]] = []
    while len(plan) < PROJECT_COUNT:
        batch = pool[:]
        rng.shuffle(batch)
        plan += batch
    regions = _region_plan(rng, reference, PROJECT_COUNT)
    used_names: set[str] = set()
    owners: list[tuple[str, str, str]] = []  # (name, email, country) to reuse for repeat owners
    texts = _Texts(words)
    records = []
    for number, ((sector, archetype), region) in enumerate(
        zip(plan[:PROJECT_COUNT], regions, strict=True), start=1
    ):
        country = reference.countries[region.country]
        language = "ru" if rng.random() < RUSSIAN_SHARE[region.country] else "en"
        kazakh = texts.in_kazakh(archetype, region.country)
        told = "kk" if kazakh else language
        values: dict[str, Any] = _place_values(region, country.short_name(told), told)
        for key, (low, high) in archetype.get("numbers", {}).items():
            values[key] = rng.randint(low, high)
        extras = archetypes[sector]["extras"]
        drawn = rng.sample(extras[language], k=rng.randint(1, 2))
        if kazakh:
            drawn = words.sample(extras["kk"], k=len(drawn))
        language = told
        text = archetype[language]
        description = texts.describe(archetype, language, values, drawn, extras[language])
        stage = rng.choice(archetype["stages"])
        instruments = rng.sample(archetype["instruments"], k=rng.randint(1, len(archetype["instruments"])))
        currency = _pick(rng, PROJECT_CURRENCIES[region.country])
        ask_usd = _log_uniform(rng, *archetype["ask_usd"])
        ask = _round_amount(float(reference.fx.from_usd(Decimal(int(ask_usd)), currency)))
        total = _round_amount(float(ask) * rng.uniform(1.0, 2.6))
        sectors = [sector]
        if archetype["secondary_sectors"] and rng.random() < 0.5:
            sectors.append(rng.choice(archetype["secondary_sectors"]))
        same_owner = [o for o in owners if o[2] == region.country]
        if same_owner and rng.random() < 0.12:
            owner_name, owner_email, _ = rng.choice(same_owner)
        else:
            owner_name = _owner_name(rng, sector, region.country, used_names)
            owner_email = f"projects@{_slug(owner_name.removesuffix(DEMO_LABEL))}.example"
            owners.append((owner_name, owner_email, region.country))
        aifc_link, aifc_reference = _aifc(rng, region.country, archetype["green"], number)
        jobs = int(
            max(5, float(ask) / float(reference.fx.units_per_usd(currency)) / rng.uniform(20_000, 90_000))
        )
        records.append(
            {
                "external_id": f"DEMO-P-{number:04d}",
                "title": _fill(text["title"], values),
                "summary": _fill(text["summary"], values),
                "description": description,
                "country": region.country,
                "region": region.code,
                "city": values["city"],
                "sectors": sectors,
                "sdgs": archetype["sdgs"],
                "stage": stage,
                "instruments": instruments,
                "funding_ask": ask,
                "total_cost": total,
                "currency": currency,
                "aifc_link": aifc_link,
                "aifc_reference": aifc_reference,
                "owner_name": owner_name,
                "owner_email": owner_email,
                "language": language,
                "status": _pick(rng, STATUS_SHARE),
                "jobs_created": jobs,
                "expected_irr_pct": round(rng.uniform(9, 28), 1) if "equity" in instruments else None,
                "payback_years": round(rng.uniform(2.5, 12), 1) if stage not in ("idea", "seed") else None,
                "green_certification": rng.choice(("EDGE", "LEED Gold", "BREEAM Very Good"))
                if sector == "green_building" and stage not in ("idea", "seed")
                else None,
            }
        )
    _resubmit(words, records)
    return records


def _resubmit(words: random.Random, records: list[dict]) -> None:
    """Turn a few queued passports into resubmissions of published listings by the same owner in
    the same region: the same text with an updated estimate. They keep their id and status."""
    queued = [i for i, r in enumerate(records) if r["status"] in ("submitted", "in_review")]
    published = [r for r in records if r["status"] == "published"]
    for slot, original in zip(
        sorted(words.sample(queued, k=DUPLICATE_COUNT)),
        words.sample(published, k=DUPLICATE_COUNT),
        strict=True,
    ):
        note = RESUBMISSION_NOTE[original["language"]]
        records[slot] = {
            **original,
            "external_id": records[slot]["external_id"],
            "status": records[slot]["status"],
            "description": f"{original['description']} {note}",
            "total_cost": _round_amount(float(original["total_cost"]) * 1.08),
            DUPLICATE_KEY: original["external_id"],
        }


# --- investors -----------------------------------------------------------------------------------


def _coverage(rng: random.Random, reference: Reference) -> list[str]:
    pattern = _pick(rng, COVERAGE_PATTERNS)
    if pattern[0].startswith("regions:"):
        country = pattern[0].split(":")[1]
        codes = sorted(r.code for r in reference.regions_of(country))
        return sorted(rng.sample(codes, k=min(len(codes), rng.randint(2, 5))))
    return list(pattern)


def _coverage_names(codes: list[str], reference: Reference, language: str) -> str:
    names = [
        reference.countries[c].short_name(language) if c in reference.countries
        else reference.regions[c].name(language)
        for c in codes
    ]  # fmt: skip
    if len(names) == 1:
        return names[0]
    joiner = {"ru": " и ", "kk": " және "}.get(language, " and ")
    return ", ".join(names[:-1]) + joiner + names[-1]


def _investors(
    rng: random.Random, words: random.Random, reference: Reference, pools: dict[str, Any]
) -> list[dict]:
    """The demo investors: ``rng`` draws their facts, ``words`` their theses."""
    # the sectors the thesis pools describe (the demo covers the hub's priority sectors, not
    # every sector of the list)
    sector_slugs = sorted(s for s in reference.sectors if s in pools["sector_focus"])
    records = []
    number = 0
    for kind, count in INVESTORS_PER_TYPE.items():
        names = rng.sample(pools["org_names"][kind], k=count)
        for name in names:
            number += 1
            coverage = _coverage(rng, reference)
            language = "ru" if ("RU" in coverage or rng.random() < 0.28) and rng.random() < 0.8 else "en"
            n_sectors = rng.choice((1, 2, 2, 3, 3, 4))
            weights = [4 if s in SECTOR_AFFINITY[kind] else 1 for s in sector_slugs]
            sectors: list[str] = []
            while len(sectors) < n_sectors:
                pick = rng.choices(sector_slugs, weights=weights, k=1)[0]
                if pick not in sectors:
                    sectors.append(pick)
            others = [s for s in sector_slugs if s not in sectors]
            excluded = sorted(rng.sample(others, k=rng.randint(1, 2))) if rng.random() < 0.25 else []
            stage_span = STAGES_BY_TYPE[kind]
            first = rng.randint(0, len(stage_span) - 2)
            stages = list(stage_span[first : first + rng.randint(2, len(stage_span) - first)])
            allowed = INSTRUMENTS_BY_TYPE[kind]
            instruments = [allowed[0], *rng.sample(allowed[1:], k=rng.randint(0, min(2, len(allowed) - 1)))]
            low_min, high_min, low_max, high_max = TICKETS_USD[kind]
            currency = rng.choices(
                ("USD", "KZT", "EUR", "RUB" if "RU" in coverage else "UZS"), (60, 20, 8, 12)
            )[0]
            ticket_min = _round_amount(
                float(reference.fx.from_usd(Decimal(int(_log_uniform(rng, low_min, high_min))), currency))
            )
            ticket_max = _round_amount(
                float(reference.fx.from_usd(Decimal(int(_log_uniform(rng, low_max, high_max))), currency))
            )
            kazakh = any(c.startswith("KZ") for c in coverage) and words.random() < KAZAKH_THESIS_SHARE
            thesis = _thesis(
                words,
                pools,
                kind=kind,
                sectors=sectors,
                excluded=excluded,
                coverage=coverage,
                reference=reference,
                language="kk" if kazakh else language,
            )
            green = any(reference.sectors[s].green for s in sectors)
            esg = kind == "dfi" or rng.random() < (0.6 if green else 0.25)
            aifc = rng.random() < (0.45 if "KZ" in "".join(coverage) else 0.15)
            languages = ["ru", "en"] if language == "ru" else (["en", "ru"] if rng.random() < 0.6 else ["en"])
            records.append(
                {
                    "external_id": f"DEMO-I-{number:04d}",
                    "name": f"{name} {DEMO_LABEL}",
                    "investor_type": kind.value,
                    "thesis": thesis,
                    "sectors": sectors,
                    "excluded_sectors": excluded,
                    "regions": coverage,
                    "stages": [s for s in Stage if s in stages],
                    "instruments": instruments,
                    "ticket_min": ticket_min,
                    "ticket_max": max(ticket_max, ticket_min),
                    "currency": currency,
                    "esg_mandate": esg,
                    "aifc_participant": aifc,
                    "contact_email": f"deals@{_slug(name)}.example",
                    "language": ["kk", "ru"] if kazakh else languages,
                    "active": rng.random() > 0.04,
                }
            )
    return records


def _thesis(
    rng: random.Random,
    pools: dict[str, Any],
    *,
    kind: str,
    sectors: list[str],
    excluded: list[str],
    coverage: list[str],
    reference: Reference,
    language: str,
) -> str:
    openings = [s for s in pools["openings"][kind][language] if not re.search(r"\d", s)]
    parts = [rng.choice(openings)]
    for index, sector in enumerate(sectors[:3]):
        parts += rng.sample(pools["sector_focus"][sector][language], k=2 if index == 0 else 1)
    geography = _coverage_names(coverage, reference, language)
    parts.append(rng.choice(pools["geography"][language]).replace("{geography}", geography))
    parts += rng.sample(pools["approach"][language], k=rng.randint(1, 2))
    if excluded:
        names = ", ".join(reference.sectors[s].name(language).lower() for s in excluded)
        parts.append(rng.choice(pools["exclusions"][language]).replace("{sectors}", names))
    return " ".join(parts)


def build_demo(reference: Reference, folder: Path, seed: int) -> DemoData:
    """The demo investors and projects as template records (see hub.importing)."""
    archetypes = load_archetypes(folder)
    pools = json.loads((folder / "demo" / "investors.json").read_text(encoding="utf-8"))
    investors = _investors(random.Random(seed), random.Random(f"{seed}:theses"), reference, pools)
    projects = _projects(random.Random(seed + 1), random.Random(f"{seed}:texts"), reference, archetypes)
    return DemoData(investors=investors, projects=projects)


@dataclass(frozen=True)
class SeedReport:
    investors: ImportReport
    projects: ImportReport
    accounts: int

    def summary(self) -> str:
        return (
            f"Demo investors: {self.investors.created} added, {self.investors.unchanged} already present. "
            f"Demo projects: {self.projects.created} added, {self.projects.unchanged} already present. "
            f"Demo accounts: {self.accounts}."
        )


def seed_demo(
    sessions: sessionmaker[Session],
    reference: Reference,
    folder: Path,
    seed: int,
    *,
    progress: Progress | None = None,
) -> SeedReport:
    """Load the demo data set; rows already present (by external id) are left untouched.

    ``progress(done, total)`` is called as rows are written, over investors and projects together.
    """
    demo = build_demo(reference, folder, seed)
    total = len(demo.investors) + len(demo.projects)

    def step(offset: int) -> Progress | None:
        return None if progress is None else (lambda done, _n: progress(offset + done, total))

    common = {"actor": "seed", "is_demo": True, "keep_existing": True, "source": "demo data"}
    investors = import_records(
        sessions, Kind.INVESTORS, list(enumerate(demo.investors, 1)), reference, progress=step(0), **common
    )
    projects = import_records(
        sessions,
        Kind.PROJECTS,
        list(enumerate(demo.projects, 1)),
        reference,
        progress=step(len(demo.investors)),
        **common,
    )
    with sessions.begin() as session:
        accounts = _seed_accounts(session, demo)
        if projects.created:
            repository.backdate_submissions(session, submission_dates(demo.projects, seed))
    return SeedReport(investors=investors, projects=projects, accounts=accounts)


def submission_dates(projects: Sequence[dict], seed: int) -> dict[str, Any]:
    """When the queued demo passports were submitted: in the last 3 weeks for those waiting,
    2 to 8 weeks ago for those already in review, so the queue's oldest-first order means
    something (a new passport lands at the end, not among them)."""
    days = random.Random(seed + 17)
    now = utcnow()
    spans = {"submitted": (1, 21), "in_review": (14, 56)}
    return {
        record["external_id"]: now - timedelta(days=days.uniform(*spans[record["status"]]))
        for record in projects
        if record["status"] in spans
    }


def _seed_accounts(session: Session, demo: DemoData) -> int:
    """One account per demo investor and per demo project owner, plus hub staff and an admin."""
    repository.save_account(
        session, email="staff@hubmatch.example", display_name="Hub curator (demo)", role=Role.HUB_STAFF,
        organisation="HubMatch", is_demo=True,
    )  # fmt: skip
    repository.save_account(
        session, email="admin@hubmatch.example", display_name="Hub administrator (demo)", role=Role.ADMIN,
        organisation="HubMatch", is_demo=True,
    )  # fmt: skip
    count = 2
    for record in demo.investors:
        investor = repository.investor_by_external_id(session, record["external_id"])
        repository.save_account(
            session,
            email=record["contact_email"],
            display_name=record["name"],
            role=Role.INVESTOR,
            organisation=record["name"],
            investor_id=investor.id if investor else None,
            is_demo=True,
        )
        count += 1
    # the import made one project-owner account per owner email and linked its projects
    return count + len({record["owner_email"] for record in demo.projects})
