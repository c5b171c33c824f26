"""What a good project passport holds: completeness for its kind, and the admission criteria.

Pure rules over a passport (a submitted form, ``ProjectIn``, or a stored row, ``Project``):
nothing here reads the database or matches, so the catalog, the curation workflow and the
pages can all use them without importing each other.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

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
        "city": bool(project.city),
        "SDGs": bool(project.sdgs),
        f"a description of {MIN_DESCRIPTION}+ characters": len(project.description or "") >= MIN_DESCRIPTION,
        "AIFC reference": project.aifc_link == AifcLink.NONE or bool(project.aifc_reference),
    }
    if not is_venture(project.stage):
        parts |= {
            "total cost": project.total_cost is not None,
            "jobs created": project.jobs_created is not None,
            "expected return or payback": project.expected_irr_pct is not None
            or project.payback_years is not None,
        }
    missing = [name for name, present in parts.items() if not present]
    return (len(parts) - len(missing)) / len(parts), missing


def eligibility(project: ProjectIn, reference: Reference) -> list[Criterion]:
    """The published admission criteria, checked against a (valid) passport."""
    ask_usd = reference.fx.to_usd(project.funding_ask, project.currency)
    region = reference.regions[project.region]
    priority = [s for s in project.sectors if s in reference.sectors]
    return [
        Criterion(
            "location",
            True,
            f"{region.name_en} is in the hub's region (Kazakhstan, Central Asia, Russian border regions)",
        ),
        Criterion(
            "sector",
            bool(priority),
            "a priority sector is named" if priority else "name at least one of the hub's sectors",
        ),
        Criterion(
            "size",
            MIN_ASK_USD <= ask_usd <= MAX_ASK_USD,
            f"ask of about USD {ask_usd:,.0f} is within USD {MIN_ASK_USD:,.0f} – {MAX_ASK_USD:,.0f}"
            if MIN_ASK_USD <= ask_usd <= MAX_ASK_USD
            else f"ask of about USD {ask_usd:,.0f} is outside USD {MIN_ASK_USD:,.0f} – {MAX_ASK_USD:,.0f}",
        ),
        Criterion(
            "description",
            len(project.description) >= MIN_DESCRIPTION,
            "the description explains the project"
            if len(project.description) >= MIN_DESCRIPTION
            else f"write at least {MIN_DESCRIPTION} characters of description "
            f"(now {len(project.description)}): problem, solution, business model, use of funds",
        ),
        Criterion(
            "impact",
            bool(project.sdgs),
            "SDGs are named" if project.sdgs else "name the SDGs the project contributes to",
        ),
    ]
