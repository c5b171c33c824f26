"""Completeness asks of a passport what matters for its kind of listing."""

from __future__ import annotations

from hub.passport import completeness
from hub.reference import Reference
from hub.schemas import validate_project
from tests.unit.test_validation import GOOD_PROJECT

LONG = "x" * 320


def test_a_seed_startup_is_not_marked_down_for_having_no_return_payback_or_jobs(reference: Reference) -> None:
    startup = validate_project(
        {**GOOD_PROJECT, "stage": "seed", "instruments": "equity", "total_cost": "", "description": LONG},
        reference,
    )
    score, missing = completeness(startup)
    assert score == 1.0 and missing == []


def test_a_growth_project_must_give_its_cost_return_and_jobs(reference: Reference) -> None:
    project = validate_project({**GOOD_PROJECT, "total_cost": "", "description": LONG}, reference)
    score, missing = completeness(project)
    assert score < 1.0
    assert {"total cost", "jobs created", "expected return or payback"} <= set(missing)
