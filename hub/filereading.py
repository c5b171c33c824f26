"""Reading an import file whatever people bring: CSV in any common encoding, Excel workbooks
with several sheets or formulas, JSON from other tools, and files that are none of these.

Every problem with the file as a whole is an ``ImportFileError`` saying what was found and what
to do; what was guessed (an encoding, the sheet read) is kept in ``Records.notes`` for the report.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import charset_normalizer
import openpyxl
from openpyxl.utils.exceptions import InvalidFileException

FORMATS = (".csv", ".xlsx", ".json")
MAX_CELL = 1_000_000  # characters in one CSV cell; longer texts are refused by validation anyway
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
ENCODINGS_TOLD = {  # what charset-normalizer may answer for the files people here export
    "cp1251": "Windows-1251 (Cyrillic)",
    "cp866": "DOS-866 (Cyrillic)",
    "koi8_r": "KOI8-R (Cyrillic)",
    "mac_cyrillic": "Mac Cyrillic",
    "cp1252": "Windows-1252 (Western)",
    "latin_1": "Latin-1",
    "iso8859_5": "ISO-8859-5 (Cyrillic)",
    "utf_16": "UTF-16",
    "utf_16_le": "UTF-16",
    "utf_16_be": "UTF-16",
}


class ImportFileError(ValueError):
    """The file as a whole cannot be read: wrong format, missing columns, no rows."""


@dataclass(frozen=True)
class Limits:
    max_bytes: int = 50 * 1024 * 1024
    max_rows: int = 50_000


class Records(list):  # type: ignore[type-arg]
    """(line, record) pairs, plus where they came from and what reading them had to guess."""

    def __init__(self, items: list[tuple[int, dict[str, Any]]], source: str, notes: list[str]) -> None:
        super().__init__(items)
        self.source = source
        self.notes = notes


def restore(value: Any) -> Any:
    """Undo the apostrophe a CSV export puts before a formula-like text (``importing.neutralise``)."""
    if isinstance(value, str) and value.startswith("'") and value[1:].startswith(FORMULA_START):
        return value[1:]
    return value


def read_records(path: Path, *, sheet: str | None = None, limits: Limits | None = None) -> Records:
    """The records of a .csv, .xlsx or .json file, each with its line (or record) number."""
    limits = limits or Limits()
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise ImportFileError(f"{path.name}: unsupported file type '{suffix}'; use {', '.join(FORMATS)}")
    if not path.is_file():
        raise ImportFileError(
            f"{path}: no such file" if not path.exists() else f"{path}: a folder, not a file"
        )
    size = path.stat().st_size
    if size > limits.max_bytes:
        raise ImportFileError(
            f"{path.name} is {size / 2**20:.1f} MB; the import limit is {limits.max_bytes / 2**20:.0f} MB "
            "(HUB_IMPORT_MAX_MB): split the file, or raise the limit"
        )
    reader = {".csv": _csv, ".xlsx": _xlsx, ".json": _json}[suffix]
    records = reader(path, sheet)
    if not records:
        raise ImportFileError(f"{records.source}: the file has no data rows")
    if len(records) > limits.max_rows:
        raise ImportFileError(
            f"{records.source} has {len(records):,} rows; the import limit is {limits.max_rows:,} "
            "(HUB_IMPORT_MAX_ROWS): split the file, or raise the limit"
        )
    return records


# --- CSV -----------------------------------------------------------------------------------------


def _decoded(path: Path, raw: bytes, notes: list[str]) -> str:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        notes.append(f"{path.name} was read as UTF-16")
        return raw.decode("utf-16")
    if b"\x00" in raw[:8192]:
        raise ImportFileError(
            f"{path.name} is not a text file (it holds binary data): export the sheet as CSV UTF-8"
        )
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    best = charset_normalizer.from_bytes(raw).best()
    name = ENCODINGS_TOLD.get(best.encoding) if best is not None else None
    if best is None or name is None:
        raise ImportFileError(
            f"{path.name} is not UTF-8 and its encoding could not be told: "
            "save it as 'CSV UTF-8' and import again"
        )
    notes.append(
        f"{path.name} is not UTF-8: it was read as {name}; saving it as 'CSV UTF-8' avoids the guess"
    )
    return str(best)


def _unclosed_quote(text: str) -> int | None:
    """The line on which a double quote opens and never closes, if any."""
    if text.count('"') % 2 == 0:
        return None  # balanced (a quote inside a quoted cell is doubled, so it counts twice)
    inside, opened = False, 0
    for number, line in enumerate(text.split("\n"), start=1):
        for char in line:
            if char == '"':
                inside = not inside
                if inside:
                    opened = number
    return opened if inside else None


def _csv(path: Path, _sheet: str | None) -> Records:
    notes: list[str] = []
    text = _decoded(path, path.read_bytes(), notes)
    broken = _unclosed_quote(text)
    if broken is not None:
        raise ImportFileError(
            f'{path.name}: line {broken} opens a double quote (") that never closes, so the rest of '
            'the file would be read as one cell: close the quote, or double a quote inside a cell ("")'
        )
    csv.field_size_limit(MAX_CELL)
    reader = csv.DictReader(io.StringIO(text, newline=""))
    records = []
    try:
        for row in reader:
            if None in row:  # more cells than header columns
                raise ImportFileError(
                    f"{path.name}: line {reader.line_num} has more cells than the header has columns: "
                    "check for an unquoted comma in a cell, or a missing column name"
                )
            if any((value or "").strip() for value in row.values() if isinstance(value, str)):
                records.append((reader.line_num, {k.strip(): restore(v) for k, v in row.items() if k}))
    except csv.Error as error:
        raise ImportFileError(
            f"{path.name}: line {reader.line_num} cannot be read as CSV ({error})"
        ) from None
    return Records(records, path.name, notes)


# --- Excel ---------------------------------------------------------------------------------------


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def _xlsx(path: Path, sheet: str | None) -> Records:
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=False)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError):
        raise ImportFileError(
            f"{path.name} is not an Excel workbook (.xlsx): open it in Excel and save it as .xlsx, "
            "or export the sheet as CSV UTF-8"
        ) from None
    try:
        sheets = {ws.title: [list(row) for row in ws.iter_rows(values_only=False)] for ws in book.worksheets}
    finally:
        book.close()
    with_data = [name for name, rows in sheets.items() if _has_data(rows)]
    if sheet is not None and sheet not in sheets:
        raise ImportFileError(f"{path.name} has no sheet '{sheet}': its sheets are {', '.join(sheets)}")
    if sheet is None:
        if len(with_data) > 1:
            raise ImportFileError(
                f"{path.name} has data on several sheets ({', '.join(with_data)}): choose the one to "
                "import (--sheet NAME, or the sheet field on the import page)"
            )
        sheet = with_data[0] if with_data else next(iter(sheets))
    rows = sheets[sheet]
    source = f"{path.name}, sheet '{sheet}'"
    formulas = [
        f"{cell.coordinate} ({cell.value})"
        for row in rows
        for cell in row
        if getattr(cell, "data_type", None) == "f"
    ]
    if formulas:
        shown = ", ".join(formulas[:5]) + (f" and {len(formulas) - 5} more" if len(formulas) > 5 else "")
        raise ImportFileError(
            f"{source} holds formulas, whose results are not stored in the file: {shown}. "
            "Paste them as values (Paste special → Values) and import again"
        )
    if not rows:
        return Records([], source, [])
    header = [_text(cell.value).strip() for cell in rows[0]]
    records = []
    for number, row in enumerate(rows[1:], start=2):
        values = {
            header[i]: restore(_text(cell.value))
            for i, cell in enumerate(row)
            if i < len(header) and header[i]
        }
        if any(v.strip() for v in values.values()):
            records.append((number, values))
    notes = [f"read {source}"] if len(sheets) > 1 else []
    return Records(records, source, notes)


def _has_data(rows: list[list[Any]]) -> bool:
    filled = [row for row in rows if any(getattr(cell, "value", None) not in (None, "") for cell in row)]
    return len(filled) >= 2  # a header and a row


# --- JSON ----------------------------------------------------------------------------------------


def _json(path: Path, _sheet: str | None) -> Records:
    try:
        data = json.loads(path.read_bytes().decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise ImportFileError(f"{path.name} is not UTF-8 text: export it again as UTF-8 JSON") from None
    except json.JSONDecodeError as error:
        raise ImportFileError(f"{path.name}: not valid JSON ({error})") from None
    if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
        raise ImportFileError(f"{path.name}: expected a JSON list of objects, one per row")
    for number, item in enumerate(data, start=1):
        for key, value in item.items():
            nested = isinstance(value, dict) or (
                isinstance(value, list) and any(isinstance(v, dict | list) for v in value)
            )
            if nested:
                raise ImportFileError(
                    f"{path.name}: record {number}, field '{key}' holds a nested object; give a plain "
                    "value (text, number, true/false) or a list of plain values"
                )
    return Records([(number, item) for number, item in enumerate(data, start=1)], path.name, [])
