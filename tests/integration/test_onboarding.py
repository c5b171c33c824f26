"""Real listings onboarding end to end: incomplete drafts stored and completed, unknown facts
exported and matched, submission enforcing the minimums, duplicates found by entity among
listings of any status, and a database of the previous release upgraded without loss."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import select

from hub import repository
from hub.config import Settings
from hub.context import Hub, open_hub
from hub.curation import Actor, WorkflowError, duplicate_check, move
from hub.db import create_schema, make_engine
from hub.engine import open_engine
from hub.importing import (
    PROJECT_COLUMNS,
    PROJECT_OPTIONAL,
    Kind,
    export_file,
    import_file,
    read_records,
    write_rows,
)
from hub.models import Project
from tests.conftest import Backend
from tests.fakes import FakeEncoder
from tests.unit.test_validation import GOOD_PROJECT

COLUMNS = (*PROJECT_COLUMNS, *PROJECT_OPTIONAL)
STAFF = Actor("staff@hubmatch.example", "hub_staff")
FIXTURES = Path(__file__).parent.parent / "fixtures"

THIN_ROWS = [  # what a startup directory export gives once mapped to the template
    {"external_id": "DIR-1", "title": "Qoly", "summary": "Grocery delivery app", "website": "qoly.kz",
     "country": "KZ", "region": "KZ-75", "status": "submitted"},
    {"external_id": "DIR-2", "title": "Payflow", "founded_year": "2021", "team_size": "35",
     "past_investors": "500 Startups; Quest Ventures", "status": "submitted"},
    {"external_id": "DIR-3", "title": "Enegix", "funding_ask": "100", "currency": "USD", "stage": "seed",
     "status": "draft"},
]  # fmt: skip


def _project(**change: str) -> dict:
    return {**GOOD_PROJECT, **change}


def test_incomplete_rows_fail_as_submitted_but_are_all_stored_as_drafts_with_their_needs(
    hub: Hub, tmp_path: Path
) -> None:
    path = tmp_path / "directory.csv"
    write_rows(THIN_ROWS, COLUMNS, path)
    refused = import_file(hub.sessions, Kind.PROJECTS, path, hub.reference)
    assert not refused.written and refused.bad_rows == 2  # the two marked submitted are incomplete

    report = import_file(hub.sessions, Kind.PROJECTS, path, hub.reference, as_draft=True)
    assert report.written and (report.created, report.draft_rows) == (3, 3)
    needs = {(n.external_id, n.field) for n in report.needs}
    assert ("DIR-1", "description") in needs and ("DIR-1", "region") not in needs
    assert ("DIR-3", "instruments") in needs and ("DIR-3", "funding_ask") not in needs
    assert [(w.external_id, w.field) for w in report.warnings] == [("DIR-3", "funding_ask")]  # USD 100
    with hub.sessions() as session:
        stored = {p.external_id: p for p in repository.projects_for_export(session)}
        assert {p.status for p in stored.values()} == {"draft"}
        assert (stored["DIR-1"].website, stored["DIR-1"].website_domain) == ("https://qoly.kz", "qoly.kz")
        assert (stored["DIR-2"].founded_year, stored["DIR-2"].team_size) == (2021, 35)
        assert stored["DIR-2"].region_code is None and stored["DIR-2"].stage is None


def test_an_incomplete_draft_cannot_be_submitted_until_it_is_complete(hub: Hub) -> None:
    draft = {"external_id": "DIR-9", "title": "Qoly", "summary": "Too short", "status": "draft"}
    with hub.sessions.begin() as session:
        project, _ = repository.save_project(session, _validated(hub, draft), actor="cli")
        with pytest.raises(WorkflowError, match="still needs: summary: is too short") as caught:
            move(session, project, "submitted", STAFF)
        assert "funding_ask: is required: give it, or write unknown" in str(caught.value)
    complete = _project(external_id="DIR-9", title="Qoly", stage="unknown", status="draft")
    with hub.sessions.begin() as session:
        project, created = repository.save_project(session, _validated(hub, complete), actor="cli")
        assert not created
        move(session, project, "submitted", STAFF)
        assert project.status == "submitted" and project.unknown == ["stage"]


def _validated(hub: Hub, data: dict):
    from hub.schemas import validate_project

    return validate_project(data, hub.reference)


@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".json"])
def test_unknowns_and_the_new_columns_round_trip_through_every_format(
    hub: Hub, backend: Backend, tmp_path: Path, suffix: str
) -> None:
    rows = [
        _project(external_id="RT-1", stage="unknown", instruments="unknown", funding_ask="unknown",
                 total_cost="", website="www.qoly.kz", founded_year="2019", team_size="12",
                 past_investors="Astana Hub; MOST Ventures", owner_phone="8 701 000 00 00"),
        {"external_id": "RT-2", "title": "Thin draft", "status": "draft"},
    ]  # fmt: skip
    write_rows(rows, COLUMNS, tmp_path / f"in{suffix}")
    assert import_file(hub.sessions, Kind.PROJECTS, tmp_path / f"in{suffix}", hub.reference).written
    with hub.sessions() as session:
        export_file(session, Kind.PROJECTS, tmp_path / f"out{suffix}")
    exported = {r["external_id"]: r for _, r in read_records(tmp_path / f"out{suffix}")}
    first = exported["RT-1"]
    unknown_list = ["unknown"] if suffix == ".json" else "unknown"
    assert (first["stage"], first["instruments"], first["funding_ask"]) == (
        "unknown",
        unknown_list,
        "unknown",
    )
    assert first["website"] == "https://www.qoly.kz" and first["owner_phone"] == "+77010000000"
    assert str(first["founded_year"]) == "2019" and first["past_investors"] == "Astana Hub; MOST Ventures"

    with backend.empty(tmp_path / "again") as elsewhere:  # a second database on the same backend
        again = open_hub(elsewhere)
        assert import_file(again.sessions, Kind.PROJECTS, tmp_path / f"out{suffix}", again.reference).written
        with again.sessions() as session:
            export_file(session, Kind.PROJECTS, tmp_path / f"again{suffix}")
        again.engine.dispose()
    assert list(read_records(tmp_path / f"again{suffix}")) == list(read_records(tmp_path / f"out{suffix}"))


def test_a_published_listing_with_unknown_facts_is_matched_with_lower_confidence(hub: Hub) -> None:
    data = _project(external_id="UNK-1", stage="unknown", instruments="unknown", funding_ask="unknown",
                    total_cost="", status="published")  # fmt: skip
    investor = {
        "external_id": "I-UNK", "name": "Transit Fund", "investor_type": "dfi",
        "thesis": "We finance electric buses, depots and charging for city transport in Kazakhstan.",
        "sectors": "public_transport", "regions": "KZ", "stages": "growth", "instruments": "debt",
        "ticket_min": "1000000", "ticket_max": "50000000", "currency": "USD",
        "contact_email": "deals@transit.example", "language": "en",
    }  # fmt: skip
    from hub.schemas import validate_investor

    with hub.sessions.begin() as session:
        repository.save_project(session, _validated(hub, data), actor="cli")
        repository.save_investor(session, validate_investor(investor, hub.reference), actor="cli")
    matcher = open_engine(hub, FakeEncoder(), sentences=False).matcher
    with hub.sessions() as session:
        investor_id = repository.find_investor(session, "I-UNK").id
    (match,) = matcher.projects_for_investor(investor_id, top=5).items
    assert match.external_id == "UNK-1" and match.passed
    assert set(match.unknown) == {"stage", "instrument", "ticket"} and match.confidence < 1


def test_the_queue_finds_a_duplicate_among_unpublished_listings_by_website_and_says_so(hub: Hub) -> None:
    first = _project(external_id="A-1", website="https://qoly.kz", status="draft", owner_name="Qoly LLP")
    second = _project(external_id="B-1", title="Qoly: groceries in 15 minutes", owner_name="ТОО «Qoly»",
                      description=GOOD_PROJECT["description"] + " Rewritten.", website="qoly.kz/ru",
                      owner_email="hello@qoly.example", status="submitted")  # fmt: skip
    with hub.sessions.begin() as session:
        repository.save_project(session, _validated(hub, first), actor="cli")
        repository.save_project(session, _validated(hub, second), actor="cli")
    matcher = open_engine(hub, FakeEncoder(), sentences=False).matcher
    with hub.sessions() as session:
        submitted = repository.find_project(session, "B-1")
        (found,) = duplicate_check(session, matcher, submitted)
    assert found.external_id == "A-1" and found.status == "draft"
    assert [s.kind for s in found.duplicate][:2] == ["website", "organisation"]


def test_an_sqlite_database_of_the_previous_release_is_upgraded_in_place_and_keeps_its_rows(
    tmp_path: Path,
) -> None:
    # SQLite only: the previous release's schema is an SQLite file (the embedded default database)
    path = tmp_path / "old.db"
    old = sqlite3.connect(path)
    old.executescript((FIXTURES / "schema_release_before_drafts.sql").read_text(encoding="utf-8"))
    old.executescript(
        """
        INSERT INTO countries VALUES ('KZ', 'Kazakhstan', 'Казахстан', 'Қазақстан', 'KZT', '[]');
        INSERT INTO regions VALUES ('KZ-71', 'KZ', 'city', 'Astana', 'Астана', 'Астана', 'Astana', 'Астана', 51.1, 71.4);
        INSERT INTO sectors VALUES ('ict', 'ICT', 'ИКТ', 'АКТ', 'J', '[]', 0);
        INSERT INTO projects (id, external_id, title, summary, description, owner_name, country_code,
            region_code, stage, instruments, funding_ask, currency, aifc_link, language, status, is_demo,
            created_at, updated_at)
        VALUES (1, 'OLD-1', 'Old listing', 'A summary of twenty chars', 'desc', 'Old Owner LLP', 'KZ',
            'KZ-71', 'seed', '["equity"]', 10000000, 'USD', 'none', 'en', 'published', 0,
            '2026-01-01 00:00:00', '2026-01-01 00:00:00');
        INSERT INTO project_sectors VALUES (1, 'ict');
        INSERT INTO project_confidential (project_id, contact_email) VALUES (1, 'old@owner.example');
        """
    )  # fmt: skip
    old.commit()
    old.close()

    settings = Settings(data_dir=tmp_path, database_url=f"sqlite:///{path}")
    hub = open_hub(settings)
    assert "projects.website added" in hub.upgraded and "projects.stage may now be empty" in hub.upgraded
    with hub.sessions() as session:
        project = session.scalars(select(Project)).one()
        assert (project.external_id, project.funding_ask, [s.slug for s in project.sectors]) == (
            "OLD-1", 100000, ["ict"],
        )  # fmt: skip
        assert project.confidential.contact_email == "old@owner.example"
        assert (project.org_key, project.name_key) == ("old owner", "old listing")  # filled in
    report = import_file(  # a draft with no stage, place or ask can now be stored
        hub.sessions, Kind.PROJECTS, _thin(tmp_path), hub.reference
    )
    assert report.written and report.created == 1
    assert create_schema(make_engine(settings.resolved_database_url)) == []  # nothing left to do
    hub.engine.dispose()


def _thin(folder: Path) -> Path:
    write_rows([{"external_id": "NEW-1", "title": "Qoly", "status": "draft"}], COLUMNS, folder / "thin.csv")
    return folder / "thin.csv"


def test_an_incomplete_row_never_pulls_a_published_listing_back_to_draft(hub: Hub, tmp_path: Path) -> None:
    write_rows([_project(external_id="PUB-1", status="published")], COLUMNS, tmp_path / "full.csv")
    assert import_file(hub.sessions, Kind.PROJECTS, tmp_path / "full.csv", hub.reference).written
    thin = [{"external_id": "PUB-1", "title": "Qoly", "status": "published"}, THIN_ROWS[0]]
    write_rows(thin, COLUMNS, tmp_path / "thin.csv")
    report = import_file(hub.sessions, Kind.PROJECTS, tmp_path / "thin.csv", hub.reference, as_draft=True)
    assert not report.written
    assert [(e.external_id, e.field) for e in report.errors] == [("PUB-1", "status")]
    assert "the stored listing is published" in report.errors[0].message
    assert {n.external_id for n in report.needs} == {"DIR-1"}
    with hub.sessions() as session:
        assert repository.find_project(session, "PUB-1").status == "published"
