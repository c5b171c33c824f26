"""The deterministic demo data set: invented investors and project passports, labelled as demo.

Project text comes from hand-written archetypes in ``data/demo/projects/*.json`` (distinct
kinds of project per sector, in English and Russian) placed in real regions with their own
figures; investor theses are composed from the pools in ``data/demo/investors.json``. The
same seed always gives the same records, which go through the normal validation and import.
"""

from __future__ import annotations

import json
import math
import random
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from hub import repository
from hub.importing import ImportReport, Kind, Progress, import_records
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
# Share of Russian-language passports per country (the rest are English).
RUSSIAN_SHARE = {"KZ": 0.40, "UZ": 0.30, "KG": 0.40, "TJ": 0.30, "TM": 0.30, "RU": 0.90}
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


def _projects(rng: random.Random, reference: Reference, archetypes: dict[str, dict[str, Any]]) -> list[dict]:
    pool = [(sector, a) for sector, data in sorted(archetypes.items()) for a in data["archetypes"]]
    plan: list[tuple[str, dict[str, Any]]] = []
    while len(plan) < PROJECT_COUNT:
        batch = pool[:]
        rng.shuffle(batch)
        plan += batch
    regions = _region_plan(rng, reference, PROJECT_COUNT)
    used_names: set[str] = set()
    owners: list[tuple[str, str, str]] = []  # (name, email, country) to reuse for repeat owners
    records = []
    for number, ((sector, archetype), region) in enumerate(
        zip(plan[:PROJECT_COUNT], regions, strict=True), start=1
    ):
        country = reference.countries[region.country]
        language = "ru" if rng.random() < RUSSIAN_SHARE[region.country] else "en"
        values: dict[str, Any] = {
            "region": region.name(language),
            "city": region.capital(language),
            "country": country.short_name(language),
        }
        for key, (low, high) in archetype.get("numbers", {}).items():
            values[key] = rng.randint(low, high)
        text = archetype[language]
        extras = rng.sample(archetypes[sector]["extras"][language], k=rng.randint(1, 2))
        description = " ".join(_fill(s, values) for s in [*text["description"], *extras])
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
    return records


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
    joiner = " и " if language == "ru" else " and "
    return ", ".join(names[:-1]) + joiner + names[-1]


def _investors(rng: random.Random, reference: Reference, pools: dict[str, Any]) -> list[dict]:
    sector_slugs = sorted(reference.sectors)
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
            thesis = _thesis(
                rng,
                pools,
                kind=kind,
                sectors=sectors,
                excluded=excluded,
                coverage=coverage,
                reference=reference,
                language=language,
            )
            green = any(reference.sectors[s].green for s in sectors)
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
                    "esg_mandate": kind == "dfi" or rng.random() < (0.6 if green else 0.25),
                    "aifc_participant": rng.random() < (0.45 if "KZ" in "".join(coverage) else 0.15),
                    "contact_email": f"deals@{_slug(name)}.example",
                    "language": ["ru", "en"]
                    if language == "ru"
                    else (["en", "ru"] if rng.random() < 0.6 else ["en"]),
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
    investors = _investors(random.Random(seed), reference, pools)
    projects = _projects(random.Random(seed + 1), reference, archetypes)
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
    return SeedReport(investors=investors, projects=projects, accounts=accounts)


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
    owners: dict[str, int] = {}
    for record in demo.projects:
        email = record["owner_email"]
        if email not in owners:
            account = repository.save_account(
                session, email=email, display_name=record["owner_name"], role=Role.PROJECT_OWNER,
                organisation=record["owner_name"], is_demo=True,
            )  # fmt: skip
            owners[email] = account.id
            count += 1
        repository.link_project_owner(session, record["external_id"], owners[email])
    return count
