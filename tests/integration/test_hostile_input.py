"""The bad-input corpus: each probe of the hostile-input run with the message it must give,
and that nothing is half-written or lost."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from hub.context import Hub
from hub.importing import (
    PROJECT_COLUMNS,
    PROJECT_OPTIONAL,
    ImportFileError,
    Kind,
    export_file,
    import_file,
    read_records,
    write_rows,
)
from hub.reference import Reference
from hub.schemas import InvalidInput, validate_project
from tests.conftest import sqlite_only
from tests.unit.test_validation import GOOD_PROJECT

COLUMNS = (*PROJECT_COLUMNS, *PROJECT_OPTIONAL)
FORMULAS = ["=1+1", "+SUM(A1:A2)", "-2+3", "@cmd", "\t=1+1", '=HYPERLINK("http://evil.example","x")']


@pytest.mark.parametrize("char", ["\x00", "\x0b", "\x1b", "\x7f"])
def test_control_characters_are_refused_with_where_they_are(reference: Reference, char: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        validate_project({**GOOD_PROJECT, "title": f"Electric{char} buses"}, reference)
    (error,) = caught.value.errors
    assert error.field == "title" and f"U+{ord(char):04X}" in error.message and "position 9" in error.message


def test_tabs_and_line_breaks_are_kept_and_windows_line_ends_unified(reference: Reference) -> None:
    text = GOOD_PROJECT["description"] + "\r\nSecond paragraph.\tTabbed."
    assert validate_project({**GOOD_PROJECT, "description": text}, reference).description.endswith(
        "\nSecond paragraph.\tTabbed."
    )


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_exports_neutralise_formulas_and_import_them_back_unchanged(
    hub: Hub, tmp_path: Path, suffix: str
) -> None:
    rows = [
        {
            **GOOD_PROJECT,
            "external_id": f"F-{n}",
            "title": f"{formula} title",
            "summary": formula + " makes a summary long enough",
        }
        for n, formula in enumerate(FORMULAS)
    ]
    write_rows(rows, COLUMNS, tmp_path / "in.json")
    assert import_file(hub.sessions, Kind.PROJECTS, tmp_path / "in.json", hub.reference).written
    with hub.sessions() as session:
        export_file(session, Kind.PROJECTS, tmp_path / f"out{suffix}")
    if suffix == ".csv":
        with (tmp_path / "out.csv").open(encoding="utf-8") as handle:
            cells = [cell for row in csv.reader(handle) for cell in row]
        assert not [c for c in cells if c.startswith(("=", "+", "@", "\t")) or c.startswith("-2")]
    back = {r["external_id"]: r["title"] for _, r in read_records(tmp_path / f"out{suffix}")}
    stored = {f"F-{n}": f"{formula} title".strip() for n, formula in enumerate(FORMULAS)}
    assert back == stored


# --- files people bring ------------------------------------------------------------------------


def _template_csv(rows: list[dict]) -> str:
    import io

    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(COLUMNS))
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


RUSSIAN = {
    **GOOD_PROJECT,
    "external_id": "RU-1",
    "title": "Электробусное депо в Караганде",
    "summary": "Депо на 60 электробусов с ночной зарядкой для двенадцати городских маршрутов.",
    "language": "ru",
}


def test_a_windows_1251_csv_is_read_and_the_report_says_so(hub: Hub, tmp_path: Path) -> None:
    path = tmp_path / "cp1251.csv"
    path.write_bytes(_template_csv([RUSSIAN]).encode("cp1251"))
    report = import_file(hub.sessions, Kind.PROJECTS, path, hub.reference)
    assert report.written and report.created == 1
    assert any("Windows-1251" in note and "CSV UTF-8" in note for note in report.notes)
    with hub.sessions() as session:
        from hub import repository

        assert repository.find_project(session, "RU-1").title == RUSSIAN["title"]


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("junk.csv", bytes(range(256)) * 40, "not a text file"),
        ("junk.xlsx", b"PK\x03\x04 not really a zip" * 10, "not an Excel workbook"),
        ("junk.json", b"\xff\xfe\x00junk" * 10, "not UTF-8 text"),
        ("nested.json", b'[{"external_id": {"a": [1, {"b": 2}]}}]', "holds a nested object"),
        ("quotes.csv", b'external_id,title\nA-1,"Unclosed title\nA-2,Fine\n', "line 2 opens a double quote"),
        ("extra.csv", b"external_id,title\nA-1,Title,extra cell\n", "more cells than the header"),
    ],
    ids=["binary csv", "junk xlsx", "binary json", "nested json", "broken quoting", "extra cells"],
)
def test_unreadable_files_are_refused_with_what_was_found(
    hub: Hub, tmp_path: Path, name: str, content: bytes, words: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(ImportFileError, match=words):
        import_file(hub.sessions, Kind.PROJECTS, path, hub.reference)


@pytest.mark.parametrize("suffix", [".csv", ".json"])
def test_a_large_file_is_streamed_not_held_in_memory(tmp_path: Path, suffix: str) -> None:
    import tracemalloc

    path = tmp_path / f"large{suffix}"
    rows = [{**GOOD_PROJECT, "external_id": f"L-{n}"} for n in range(6000)]
    write_rows(rows, COLUMNS, path)
    size = path.stat().st_size
    tracemalloc.start()
    try:
        records = read_records(path)  # checks the whole file and counts its rows
        seen = sum(1 for _ in records)  # reads it again, one record at a time
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert seen == len(records) == 6000
    assert size > 2_000_000 and peak < size / 10, f"{peak:,} bytes at peak for a {size:,}-byte file"


def test_a_cell_longer_than_the_csv_module_allows_reaches_validation(hub: Hub, tmp_path: Path) -> None:
    path = tmp_path / "long.csv"
    path.write_text(_template_csv([{**GOOD_PROJECT, "description": "x" * 200_000}]), encoding="utf-8")
    report = import_file(hub.sessions, Kind.PROJECTS, path, hub.reference)
    assert not report.written
    assert [(e.field, "shorten it to at most 10000" in e.message) for e in report.errors] == [
        ("description", True)
    ]


def _workbook(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    import openpyxl

    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


def test_a_workbook_names_its_sheet_and_refuses_several_data_sheets_unless_one_is_chosen(
    hub: Hub, tmp_path: Path
) -> None:
    header = list(COLUMNS)
    row = [GOOD_PROJECT.get(c, "") for c in header]
    path = _workbook(
        tmp_path / "two.xlsx", {"Notes": [["read me"]], "Data": [header, row], "Old": [header, row]}
    )
    with pytest.raises(ImportFileError, match=r"data on several sheets \(Data, Old\).*--sheet"):
        import_file(hub.sessions, Kind.PROJECTS, path, hub.reference)
    report = import_file(hub.sessions, Kind.PROJECTS, path, hub.reference, sheet="Data")
    assert report.written and "read two.xlsx, sheet 'Data'" in report.notes
    with pytest.raises(ImportFileError, match="has no sheet 'Sheet9': its sheets are Notes, Data, Old"):
        import_file(hub.sessions, Kind.PROJECTS, path, hub.reference, sheet="Sheet9")
    only = _workbook(
        tmp_path / "second.xlsx", {"Sheet1": [], "Projects": [["external_id", "title"], ["A", "B"]]}
    )
    with pytest.raises(ImportFileError, match=r"second\.xlsx, sheet 'Projects': missing column"):
        import_file(hub.sessions, Kind.PROJECTS, only, hub.reference)


def test_formula_cells_are_reported_as_formulas(hub: Hub, tmp_path: Path) -> None:
    header = list(COLUMNS)
    row = [GOOD_PROJECT.get(c, "") for c in header]
    row[header.index("funding_ask")] = "=10000000*1.25"
    path = _workbook(tmp_path / "formula.xlsx", {"Data": [header, row]})
    with pytest.raises(ImportFileError, match=r"holds formulas.*L2 \(=10000000\*1\.25\).*Paste special"):
        import_file(hub.sessions, Kind.PROJECTS, path, hub.reference)


def test_files_over_the_size_or_row_limit_are_refused_with_the_limit(hub: Hub, tmp_path: Path) -> None:
    from hub.filereading import Limits

    path = tmp_path / "many.csv"
    path.write_text(
        _template_csv([{**GOOD_PROJECT, "external_id": f"M-{n}"} for n in range(30)]), encoding="utf-8"
    )
    with pytest.raises(ImportFileError, match=r"more than 10 rows, the import limit \(HUB_IMPORT_MAX_ROWS"):
        import_file(hub.sessions, Kind.PROJECTS, path, hub.reference, limits=Limits(max_rows=10))
    with pytest.raises(ImportFileError, match=r"the import limit is 0 MB \(HUB_IMPORT_MAX_MB"):
        import_file(hub.sessions, Kind.PROJECTS, path, hub.reference, limits=Limits(max_bytes=100))
    folder = tmp_path / "folder.csv"
    folder.mkdir()
    with pytest.raises(ImportFileError, match="a folder, not a file"):
        import_file(hub.sessions, Kind.PROJECTS, folder, hub.reference)


def test_a_write_conflict_with_another_import_is_a_clear_message(
    hub: Hub, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sqlalchemy.exc import IntegrityError

    from hub import repository

    def collide(*_args: object, **_kwargs: object) -> None:
        raise IntegrityError("INSERT", {}, Exception("duplicate key value violates unique constraint"))

    monkeypatch.setattr(repository, "save_project", collide)
    path = tmp_path / "p.csv"
    path.write_text(_template_csv([GOOD_PROJECT]), encoding="utf-8")
    with pytest.raises(ImportFileError, match="another import wrote some of these rows at the same moment"):
        import_file(hub.sessions, Kind.PROJECTS, path, hub.reference)


def test_two_imports_of_different_rows_at_once_both_succeed(hub: Hub, demo, tmp_path: Path) -> None:
    import threading

    halves = {"a": demo.projects[:150], "b": demo.projects[150:300]}
    for name, rows in halves.items():
        write_rows(rows, COLUMNS, tmp_path / f"{name}.csv")
    reports: dict[str, object] = {}

    def run(name: str) -> None:
        reports[name] = import_file(hub.sessions, Kind.PROJECTS, tmp_path / f"{name}.csv", hub.reference)

    threads = [threading.Thread(target=run, args=(name,)) for name in halves]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # some owners have listings in both halves: the second import finds the owner account the
    # first one made (SQLite's write lock, PostgreSQL's advisory lock) instead of colliding on it
    assert set(reports) == set(halves)
    assert all(r.written and r.created == 150 for r in reports.values())


# --- damaged state repairs itself --------------------------------------------------------------


def test_a_corrupt_embedding_cache_is_moved_aside_and_started_afresh(tmp_path: Path) -> None:
    from embeddings.cache import EmbeddingCache

    (tmp_path / "embeddings.sqlite").write_bytes(b"not a database" * 100)
    cache = EmbeddingCache(tmp_path / "embeddings.sqlite")
    assert cache.repaired and "unreadable" in cache.repaired and cache.count() == 0
    assert list(tmp_path.glob("embeddings.sqlite.damaged-*"))


def test_damaged_index_files_are_rebuilt_from_the_database(tmp_path: Path) -> None:
    import json

    import numpy as np

    from embeddings.index import VectorIndex
    from hub.indexing import IndexKind, index_folder, refresh
    from tests.fakes import FakeEncoder

    encoder = FakeEncoder()
    texts = {1: "Solar park in Turkistan", 2: "Bus depot in Karaganda"}
    refresh(tmp_path, IndexKind.PROJECTS, texts, encoder)
    folder = index_folder(tmp_path, IndexKind.PROJECTS)
    (folder / "hashes.json").write_text(json.dumps(["only one"]))  # the wrong length
    index, report = refresh(tmp_path, IndexKind.PROJECTS, texts, encoder)
    assert "hashes.json holds 1 hashes for 2 vectors" in report.rebuilt_because and len(index) == 2
    assert isinstance(VectorIndex.load(folder), VectorIndex)
    shutil_folder = folder
    import shutil

    shutil.rmtree(shutil_folder)
    shutil_folder.write_text("a file where a folder belongs")
    index, report = refresh(tmp_path, IndexKind.PROJECTS, texts, encoder)
    assert "a file stood where the index folder belongs" in report.rebuilt_because and len(index) == 2
    assert np.isfinite(index.vector(1)).all()


def test_an_encode_stopped_half_way_keeps_what_it_encoded(tmp_path: Path) -> None:
    from embeddings.cache import SAVE_EVERY, CachedEncoder, EmbeddingCache
    from tests.fakes import FakeEncoder

    class Killed(FakeEncoder):
        calls = 0

        def encode(self, texts, *, progress=None):  # type: ignore[no-untyped-def]
            Killed.calls += 1
            if Killed.calls > 1:
                raise KeyboardInterrupt  # as a kill in the middle of a re-index
            return super().encode(texts, progress=progress)

    cache = EmbeddingCache(tmp_path / "cache.sqlite")
    texts = [f"listing number {n}" for n in range(SAVE_EVERY * 2)]
    with pytest.raises(KeyboardInterrupt):
        CachedEncoder(Killed(), cache).encode(texts)
    again = CachedEncoder(FakeEncoder(), EmbeddingCache(tmp_path / "cache.sqlite"))
    again.encode(texts)
    assert again.misses == SAVE_EVERY  # the first slice was kept; only the rest is encoded now


@sqlite_only  # the embedded database's file in a read-only folder; a server's database has no such folder
def test_stats_and_export_work_on_a_read_only_data_folder(
    seeded_settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os

    from hub.cli import EXIT_OK
    from tests.integration.test_cli import run

    data = seeded_settings.data_dir
    real_access = os.access

    def access(path: object, mode: int, *args: object, **kwargs: object) -> bool:
        # as a data folder mounted read-only looks (the tests run as root, whom chmod does not stop)
        if mode == os.W_OK and str(path).startswith(str(data)):
            return False
        return real_access(path, mode, *args, **kwargs)

    before = {p: p.stat().st_mtime_ns for p in data.rglob("*") if p.is_file()}
    monkeypatch.setattr(os, "access", access)
    code, output = run(seeded_settings, "stats")
    assert code == EXIT_OK and "620 projects" in output
    code, output = run(seeded_settings, "export", "projects", str(tmp_path / "all.csv"))
    assert code == EXIT_OK and "Exported 620 projects" in output
    after = {p: p.stat().st_mtime_ns for p in data.rglob("*") if p.is_file()}
    assert {p: t for p, t in after.items() if p in before} == before  # nothing in the folder written


def test_the_same_file_imported_twice_at_once_never_fails_with_a_traceback(
    hub: Hub, demo, tmp_path: Path
) -> None:
    """The second import waits for the first and updates (SQLite's write lock, PostgreSQL's
    advisory lock); should the two still collide, it says so plainly and writes nothing. Either
    way the rows are there once."""
    import threading

    write_rows(demo.projects[:120], COLUMNS, tmp_path / "same.csv")
    outcomes: list[object] = []

    def run() -> None:
        try:
            outcomes.append(import_file(hub.sessions, Kind.PROJECTS, tmp_path / "same.csv", hub.reference))
        except ImportFileError as error:
            outcomes.append(error)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(outcomes) == 2
    assert any(getattr(o, "written", False) for o in outcomes)
    for outcome in outcomes:
        assert getattr(outcome, "written", False) or "another import wrote some of these rows" in str(outcome)
    from hub import repository

    with hub.sessions() as session:
        assert repository.count_projects(session) == 120
