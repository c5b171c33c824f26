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
    Kind,
    export_file,
    import_file,
    read_records,
    write_rows,
)
from hub.reference import Reference
from hub.schemas import InvalidInput, validate_project
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
