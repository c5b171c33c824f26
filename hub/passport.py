"""What a good project passport holds: completeness for its kind, and the admission criteria.

Pure rules over a passport (a submitted form, ``ProjectIn``, or a stored row, ``Project``):
nothing here reads the database or matches, so the catalog, the curation workflow and the
pages can all use them without importing each other.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from hub.catalogues import tr
from hub.i18n import money, usd
from hub.schemas import FieldError
from hub.vocab import AifcLink, Stage

if TYPE_CHECKING:
    from hub.models import Project
    from hub.reference import Reference
    from hub.schemas import ProjectIn

# The admission criteria, published on the submit page (in the spirit of the InvestEU portal).
MIN_ASK_USD = Decimal(50_000)
MAX_ASK_USD = Decimal(2_000_000_000)
MIN_DESCRIPTION = 300

# Stages of a young company: its investors judge the team, the product and the traction, and
# nobody expects an IRR, a payback period or a count of jobs created from it yet.
VENTURE_STAGES = frozenset({Stage.IDEA, Stage.SEED, Stage.EARLY})


# What listings of each stage usually ask, in US dollars (low, high): seed rounds in the region
# run from tens of thousands to a few million, infrastructure from millions to billions. An ask
# far outside (``PLAUSIBLE_FACTOR`` beyond either end) is more often a typo or a wrong currency
# than a fact, so it is flagged for a second look, never refused.
TYPICAL_ASK_USD: dict[str, tuple[Decimal, Decimal]] = {
    Stage.IDEA: (Decimal(10_000), Decimal(1_000_000)),
    Stage.SEED: (Decimal(25_000), Decimal(5_000_000)),
    Stage.EARLY: (Decimal(100_000), Decimal(30_000_000)),
    Stage.GROWTH: (Decimal(500_000), Decimal(300_000_000)),
    Stage.EXPANSION: (Decimal(1_000_000), Decimal(2_000_000_000)),
    Stage.MATURE: (Decimal(1_000_000), Decimal(5_000_000_000)),
}
ANY_STAGE_ASK_USD = (Decimal(10_000), Decimal(5_000_000_000))
PLAUSIBLE_FACTOR = 10
TOTAL_COST_FACTOR = 20  # a total cost over 20x the ask: the ask is probably missing zeros
HIGH_IRR_PCT = 60


def plausibility(
    project: ProjectIn | Project, reference: Reference, today: date | None = None
) -> list[FieldError]:
    """Values that are allowed but unlikely, each saying what to check. Warnings never block:
    import reports them, forms show them and the curation card lists them."""
    warnings: list[FieldError] = []
    low, high = TYPICAL_ASK_USD.get(project.stage or "", ANY_STAGE_ASK_USD)
    if project.funding_ask is not None and project.currency:
        usd = reference.fx.to_usd(project.funding_ask, project.currency)
        if usd * PLAUSIBLE_FACTOR < low:
            warnings.append(
                FieldError(
                    "funding_ask",
                    tr(
                        "about {ask} is far below what a listing at this stage usually asks ({low} or more): "
                        "check for missing zeros or the wrong currency",
                        ask=money(usd),
                        low=money(low),
                    ),
                )
            )
        elif usd > high * PLAUSIBLE_FACTOR:
            warnings.append(
                FieldError(
                    "funding_ask",
                    tr(
                        "about {ask} is far above what a listing at this stage usually asks (up to {high}): "
                        "check for extra zeros, the wrong currency or the stage",
                        ask=money(usd),
                        high=money(high),
                    ),
                )
            )
    if (
        project.total_cost is not None
        and project.funding_ask
        and project.total_cost > project.funding_ask * TOTAL_COST_FACTOR
    ):
        ratio = project.total_cost / project.funding_ask
        warnings.append(
            FieldError(
                "total_cost",
                tr(
                    "is {ratio} times the funding ask: check that the ask is the amount raised here and that "
                    "neither has missing or extra zeros",
                    ratio=f"{ratio:,.0f}",
                ),
            )
        )
    year = (today or date.today()).year
    if project.founded_year is not None and project.founded_year > year:
        warnings.append(
            FieldError(
                "founded_year",
                tr("{year} lies in the future: give the year it was founded", year=project.founded_year),
            )
        )
    if project.expected_irr_pct is not None and project.expected_irr_pct > HIGH_IRR_PCT:
        warnings.append(
            FieldError(
                "expected_irr_pct",
                tr(
                    "{irr}% a year is rare: check it is a yearly percentage, not a multiple",
                    irr=f"{project.expected_irr_pct:g}",
                ),
            )
        )
    return warnings


@dataclass(frozen=True)
class Criterion:
    name: str
    passed: bool
    message: str


def is_venture(stage: str | None) -> bool:
    """A listing of a young company (idea, seed or early stage), as opposed to an asset or a
    mature business raising growth, project or infrastructure finance. Unknown counts as young:
    the thin listings that lack a stage are mostly start-ups."""
    return stage is None or stage in VENTURE_STAGES


def completeness(project: ProjectIn | Project) -> tuple[float, list[str]]:
    """Share (0..1) of the parts a passport of its kind should have, and which are missing.

    Every passport should name its city and SDGs, describe itself in 300+ characters and back
    a claimed AIFC link with a reference. A growth-stage business or an infrastructure project
    should also give its total cost, its expected return or payback and the jobs it creates;
    a young company is not marked down for leaving those out.
    """
    parts = {
        tr("city"): bool(project.city),
        tr("SDGs"): bool(project.sdgs),
        tr("a description of {least}+ characters", least=MIN_DESCRIPTION): len(project.description or "")
        >= MIN_DESCRIPTION,
        tr("AIFC reference"): project.aifc_link == AifcLink.NONE or bool(project.aifc_reference),
    }
    if not is_venture(project.stage):
        parts |= {
            tr("total cost"): project.total_cost is not None,
            tr("jobs created"): project.jobs_created is not None,
            tr("expected return or payback"): project.expected_irr_pct is not None
            or project.payback_years is not None,
        }
    missing = [name for name, present in parts.items() if not present]
    return (len(parts) - len(missing)) / len(parts), missing


def eligibility(project: ProjectIn, reference: Reference) -> list[Criterion]:
    """The published admission criteria, checked against a passport (a draft may fail some
    for want of a fact; an ask declared unknown passes, for investors to ask about)."""
    region = reference.regions.get(project.region or "")
    priority = [s for s in project.sectors if s in reference.sectors]
    description = len(project.description or "")
    if project.funding_ask is None:
        size = Criterion(
            "size",
            "funding_ask" in project.unknown,
            tr("the ask is not known yet: investors see it as unknown and ask about it")
            if "funding_ask" in project.unknown
            else tr("give the funding ask, or mark it unknown"),
        )
    else:
        ask_usd = reference.fx.to_usd(project.funding_ask, project.currency or "USD")
        inside = MIN_ASK_USD <= ask_usd <= MAX_ASK_USD
        bounds = {"ask": usd(ask_usd), "low": usd(MIN_ASK_USD), "high": usd(MAX_ASK_USD)}
        size = Criterion(
            "size",
            inside,
            tr("ask of about {ask} is within {low} – {high}", **bounds)
            if inside
            else tr("ask of about {ask} is outside {low} – {high}", **bounds),
        )
    return [
        Criterion(
            "location",
            region is not None,
            tr(
                "{region} is in the hub's region (Kazakhstan, Central Asia, Russian border regions)",
                region=region.name(),
            )
            if region
            else tr("name the region where the project is"),
        ),
        Criterion(
            "sector",
            bool(priority),
            tr("a priority sector is named") if priority else tr("name at least one of the hub's sectors"),
        ),
        size,
        Criterion(
            "description",
            description >= MIN_DESCRIPTION,
            tr("the description explains the project")
            if description >= MIN_DESCRIPTION
            else tr(
                "write at least {least} characters of description (now {now}): problem, solution, business "
                "model, use of funds",
                least=MIN_DESCRIPTION,
                now=description,
            ),
        ),
        Criterion(
            "impact",
            bool(project.sdgs),
            tr("SDGs are named") if project.sdgs else tr("name the SDGs the project contributes to"),
        ),
    ]
