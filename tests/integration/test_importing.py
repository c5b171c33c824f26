"""Import and export: all-or-nothing by default, row-level reports, round trips in three formats."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from sqlalchemy import select

from hub import repository
from hub.context import Hub
from hub.demo import DemoData
from hub.importing import (
    INVESTOR_COLUMNS,
    PROJECT_COLUMNS,
    ImportFileError,
    Kind,
    export_file,
    import_file,
    read_records,
    write_rows,
)
from hub.models import Project

ALL_PROJECT_COLUMNS = (*PROJECT_COLUMNS, "aifc_reference", "jobs_created")


def _write_projects(path: Path, rows: list[dict]) -> Path:
    write_rows(rows, ALL_PROJECT_COLUMNS, path)
    return path


def test_a_mixed_file_imports_nothing_and_names_every_bad_row_and_field(
    hub: Hub, demo: DemoData, tmp_path: Path
) -> None:
    rows = [dict(r) for r in demo.projects[:6]]
    rows[1]["funding_ask"] = "-100"
    rows[3]["region"] = "KZ-99"
    rows[3]["stage"] = "unicorn"
    rows[4]["owner_email"] = "nobody"
    path = _write_projects(tmp_path / "mixed.csv", rows)

    report = import_file(hub.sessions, Kind.PROJECTS, path, hub.reference)

    assert not report.written
    assert {(e.line, e.external_id, e.field) for e in report.errors} == {
        (3, rows[1]["external_id"], "funding_ask"),
        (5, rows[3]["external_id"], "region"),
        (5, rows[3]["external_id"], "stage"),
        (6, rows[4]["external_id"], "owner_email"),
    }
    assert "Imported nothing: 3 of 6 projects rows are invalid" in report.summary()
    with hub.sessions() as session:
        assert repository.count_projects(session) == 0


def test_skip_invalid_imports_the_good_rows_and_reports_the_rest(
    hub: Hub, demo: DemoData, tmp_path: Path
) -> None:
    rows = [dict(r) for r in demo.projects[:5]]
    rows[2]["currency"] = "XYZ"
    path = _write_projects(tmp_path / "mixed.xlsx", rows)

    report = import_file(hub.sessions, Kind.PROJECTS, path, hub.reference, skip_invalid=True)

    assert report.written and report.created == 4
    assert [(e.line, e.field) for e in report.errors] == [(4, "currency")]
    with hub.sessions() as session:
        stored = set(session.scalars(select(Project.external_id)))
    assert rows[2]["external_id"] not in stored and len(stored) == 4


def test_line_numbers_follow_the_file_even_with_multi_line_cells(
    hub: Hub, tmp_path: Path, demo: DemoData
) -> None:
    rows = [dict(r) for r in demo.projects[:3]]
    rows[0]["description"] = rows[0]["description"] + "\nSecond paragraph.\nThird paragraph."
    rows[2]["stage"] = "late"
    path = _write_projects(tmp_path / "multiline.csv", rows)
    report = import_file(hub.sessions, Kind.PROJECTS, path, hub.reference)
    assert [e.line for e in report.errors] == [6]  # header 1, row one spans 2-4, row two 5, row three 6


def test_duplicate_external_ids_within_a_file_are_rejected(hub: Hub, demo: DemoData, tmp_path: Path) -> None:
    rows = [dict(demo.projects[0]), dict(demo.projects[1], external_id=demo.projects[0]["external_id"])]
    report = import_file(
        hub.sessions, Kind.PROJECTS, _write_projects(tmp_path / "d.csv", rows), hub.reference
    )
    assert not report.written
    assert report.errors[0].message == "repeats the id of line 2"


def test_a_file_missing_template_columns_is_refused_with_the_column_names(hub: Hub, tmp_path: Path) -> None:
    path = tmp_path / "short.csv"
    path.write_text("external_id,title\nP-1,Something\n", encoding="utf-8")
    with pytest.raises(ImportFileError, match=r"missing column\(s\) summary, description"):
        import_file(hub.sessions, Kind.PROJECTS, path, hub.reference)


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("empty.csv", "", "empty"),
        ("projects.txt", "external_id,title\n", "unsupported file type '.txt'"),
        ("absent.csv", None, "not found|no such file|does not exist"),
    ],
)
def test_unreadable_files_are_refused_with_a_reason(
    tmp_path: Path, name: str, content: str | None, reason: str
) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(ImportFileError, match=f"(?i){reason}"):
        read_records(path)


@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".json"])
def test_export_then_import_round_trips_projects_and_investors(
    seeded_hub: Hub, hub: Hub, tmp_path: Path, suffix: str
) -> None:
    with seeded_hub.sessions() as session:
        n_projects = export_file(session, Kind.PROJECTS, tmp_path / f"projects{suffix}")
        n_investors = export_file(session, Kind.INVESTORS, tmp_path / f"investors{suffix}")

    for kind in Kind:
        report = import_file(hub.sessions, kind, tmp_path / f"{kind}{suffix}", hub.reference)
        assert report.written, report.errors[:3]
    assert (n_projects, n_investors) == (620, 160)

    with hub.sessions() as session:
        export_file(session, Kind.PROJECTS, tmp_path / f"again{suffix}")
        export_file(session, Kind.INVESTORS, tmp_path / f"again_investors{suffix}")
    assert list(read_records(tmp_path / f"again{suffix}")) == list(
        read_records(tmp_path / f"projects{suffix}")
    )
    assert list(read_records(tmp_path / f"again_investors{suffix}")) == list(
        read_records(tmp_path / f"investors{suffix}")
    )


def test_an_excel_export_keeps_text_that_looks_like_a_formula_as_text(tmp_path: Path) -> None:
    rows = [{"external_id": "X-1", "title": '=HYPERLINK("http://x")', "irr": 12.3456789}]
    write_rows(rows, ["external_id", "title", "irr"], tmp_path / "t.xlsx")
    (back,) = [record for _, record in read_records(tmp_path / "t.xlsx")]
    assert back["title"] == rows[0]["title"]  # not a formula: it reads back as written
    assert float(back["irr"]) == 12.3456789
    assert not list(tmp_path.glob("*.partial"))  # no partial file left beside it


def test_exported_csv_has_exactly_the_template_columns_first(seeded_hub: Hub, tmp_path: Path) -> None:
    with seeded_hub.sessions() as session:
        export_file(session, Kind.INVESTORS, tmp_path / "i.csv")
        export_file(session, Kind.PROJECTS, tmp_path / "p.csv")
    with (tmp_path / "i.csv").open(encoding="utf-8") as handle:
        assert tuple(next(csv.reader(handle))[: len(INVESTOR_COLUMNS)]) == INVESTOR_COLUMNS
    with (tmp_path / "p.csv").open(encoding="utf-8") as handle:
        assert tuple(next(csv.reader(handle))[: len(PROJECT_COLUMNS)]) == PROJECT_COLUMNS


def test_json_export_keeps_amounts_exact_as_strings(seeded_hub: Hub, tmp_path: Path) -> None:
    with seeded_hub.sessions() as session:
        export_file(session, Kind.PROJECTS, tmp_path / "p.json")
    first = json.loads((tmp_path / "p.json").read_text(encoding="utf-8"))[0]
    assert isinstance(first["funding_ask"], str) and first["funding_ask"].endswith(tuple("0123456789"))
    assert isinstance(first["sectors"], list)


def test_an_import_records_one_audit_event_with_its_counts(hub: Hub, demo: DemoData, tmp_path: Path) -> None:
    path = _write_projects(tmp_path / "p.csv", [dict(r) for r in demo.projects[:3]])
    import_file(hub.sessions, Kind.PROJECTS, path, hub.reference, actor="curator@hub.example")
    with hub.sessions() as session:
        event = next(e for e in repository.recent_events(session) if e.action == "import.projects")
    assert event.actor == "curator@hub.example"
    assert event.details == {"source": "p.csv", "created": 3, "updated": 0, "skipped": 0}


@pytest.mark.parametrize("kind", list(Kind))
def test_the_shipped_templates_import_cleanly(hub: Hub, kind: Kind) -> None:
    path = Path(__file__).parents[2] / "data" / "templates" / f"{kind}_template.csv"
    report = import_file(hub.sessions, kind, path, hub.reference)
    assert report.written and not report.errors
