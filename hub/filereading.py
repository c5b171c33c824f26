"""Reading an import file whatever people bring: CSV in any common encoding, Excel workbooks
with several sheets or formulas, JSON from other tools, and files that are none of these.

Every problem with the file as a whole is an ``ImportFileError`` saying what was found and what
to do; what was guessed (an encoding, the sheet read) is kept in ``Records.notes`` for the report.
A file is streamed, never held whole in memory: it is read once to check it and count its rows,
and again, one record at a time, to import it.
"""

from __future__ import annotations

import codecs
import csv
import json
import zipfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import charset_normalizer
import ijson
import openpyxl
from openpyxl.utils.exceptions import InvalidFileException

from hub.catalogues import tr

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


Row = tuple[int, dict[str, Any]]


class Records:
    """(line, record) pairs read from a file one at a time, each time they are iterated, so a
    large file is never held in memory; plus where they came from, their columns, how many there
    are and what reading them had to guess."""

    def __init__(self, read: Callable[[], Iterator[Row]], source: str, notes: list[str]) -> None:
        self._read = read
        self.source = source
        self.notes = notes
        self.columns: set[str] = set()
        self.count = 0

    @classmethod
    def listed(cls, items: Iterable[Row], source: str = "records") -> Records:
        """Records already in memory (demo data, evaluation corpora)."""
        kept = list(items)
        records = cls(lambda: iter(kept), source, [])
        records.scan()
        return records

    def scan(self) -> None:
        """Read every record once, keeping only the columns and the count: the whole file's
        problems (broken quoting, formulas, the row limit) surface here, before any is imported."""
        columns: set[str] = set()
        count = 0
        for _, record in self._read():
            columns.update(record)
            count += 1
        self.columns, self.count = columns, count

    def __iter__(self) -> Iterator[Row]:
        return self._read()

    def __len__(self) -> int:
        return self.count


def restore(value: Any) -> Any:
    """Undo the apostrophe a CSV export puts before a formula-like text (``importing.neutralise``)."""
    if isinstance(value, str) and value.startswith("'") and value[1:].startswith(FORMULA_START):
        return value[1:]
    return value


def read_records(path: Path, *, sheet: str | None = None, limits: Limits | None = None) -> Records:
    """The records of a .csv, .xlsx or .json file, each with its line (or record) number.

    The file is checked as a whole here, in one streaming pass; iterating the result reads it
    again, one record at a time."""
    limits = limits or Limits()
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise ImportFileError(
            tr(
                "{file}: unsupported file type '{suffix}'; use {formats}",
                file=path.name,
                suffix=suffix,
                formats=", ".join(FORMATS),
            )
        )
    if not path.is_file():
        raise ImportFileError(
            tr("{file}: no such file", file=path)
            if not path.exists()
            else tr("{file}: a folder, not a file", file=path)
        )
    size = path.stat().st_size
    if size > limits.max_bytes:
        raise ImportFileError(
            tr(
                "{file} is {size} MB; the import limit is {limit} MB (HUB_IMPORT_MAX_MB): split the file, "
                "or raise the limit",
                file=path.name,
                size=f"{size / 2**20:.1f}",
                limit=f"{limits.max_bytes / 2**20:.0f}",
            )
        )
    opener = {".csv": _csv, ".xlsx": _xlsx, ".json": _json}[suffix]
    records = opener(path, sheet, limits)
    if not records:
        raise ImportFileError(tr("{file}: the file has no data rows", file=records.source))
    return records


def _counted(rows: Iterator[Row], source: str, limits: Limits) -> Iterator[Row]:
    for count, row in enumerate(rows, start=1):
        if count > limits.max_rows:
            raise ImportFileError(
                tr(
                    "{file} has more than {rows} rows, the import limit (HUB_IMPORT_MAX_ROWS): split the "
                    "file, or raise the limit",
                    file=source,
                    rows=f"{limits.max_rows:,}",
                )
            )
        yield row


# --- CSV -----------------------------------------------------------------------------------------


def _encoding(path: Path, notes: list[str]) -> str:
    """The encoding to read ``path`` with, judged from its start: UTF-16 by its byte-order
    mark, binary content refused, otherwise UTF-8 (the scan falls back to ``_detected``)."""
    with path.open("rb") as handle:
        start = handle.read(8192)
    if start.startswith((b"\xff\xfe", b"\xfe\xff")):
        notes.append(tr("{file} was read as UTF-16", file=path.name))
        return "utf-16"
    if b"\x00" in start:
        raise ImportFileError(
            tr(
                "{file} is not a text file (it holds binary data): export the sheet as CSV UTF-8",
                file=path.name,
            )
        )
    return "utf-8-sig"


def _detected(path: Path, notes: list[str]) -> str:
    """The encoding of a file that is not UTF-8, as charset-normalizer tells it (from samples
    of the file; it is only read whole here, on this rare path)."""
    best = charset_normalizer.from_bytes(path.read_bytes()).best()
    name = ENCODINGS_TOLD.get(best.encoding) if best is not None else None
    if best is None or name is None:
        raise ImportFileError(
            tr(
                "{file} is not UTF-8 and its encoding could not be told: save it as 'CSV UTF-8' and "
                "import again",
                file=path.name,
            )
        )
    notes.append(
        tr(
            "{file} is not UTF-8: it was read as {encoding}; saving it as 'CSV UTF-8' avoids the guess",
            file=path.name,
            encoding=name,
        )
    )
    return best.encoding


class _Quotes:
    """The lines of a CSV file, passed on to the csv reader while noting the line on which a
    double quote last opened and whether it is still open (a doubled quote counts twice)."""

    def __init__(self, lines: Iterable[str]) -> None:
        self._lines = lines
        self.inside = False
        self.opened = 0

    def __iter__(self) -> Iterator[str]:
        for number, line in enumerate(self._lines, start=1):
            quotes = line.count('"')
            if quotes % 2:
                self.inside = not self.inside
            if quotes and self.inside:  # the line's last quote opened a quoted cell
                self.opened = number
            yield line

    def drain(self) -> None:
        for _ in self:
            pass


def _csv(path: Path, _sheet: str | None, limits: Limits) -> Records:
    notes: list[str] = []
    encoding = _encoding(path, notes)

    def read() -> Iterator[Row]:
        return _counted(_csv_rows(path, encoding), path.name, limits)

    records = Records(read, path.name, notes)
    try:
        records.scan()
    except UnicodeDecodeError:
        encoding = _detected(path, notes)
        records.scan()
    return records


def _csv_rows(path: Path, encoding: str) -> Iterator[Row]:
    csv.field_size_limit(MAX_CELL)
    with path.open(encoding=encoding, newline="") as handle:
        quotes = _Quotes(handle)
        reader = csv.DictReader(quotes)
        try:
            for row in reader:
                if None in row:  # more cells than header columns
                    raise ImportFileError(
                        tr(
                            "{file}: line {line} has more cells than the header has columns: check for an "
                            "unquoted comma in a cell, or a missing column name",
                            file=path.name,
                            line=reader.line_num,
                        )
                    )
                if any((value or "").strip() for value in row.values() if isinstance(value, str)):
                    yield reader.line_num, {k.strip(): restore(v) for k, v in row.items() if k}
        except csv.Error as error:
            quotes.drain()
            if not quotes.inside:
                raise ImportFileError(
                    tr(
                        "{file}: line {line} cannot be read as CSV ({error})",
                        file=path.name,
                        line=reader.line_num,
                        error=error,
                    )
                ) from None
        if quotes.inside:
            raise ImportFileError(
                tr(
                    '{file}: line {line} opens a double quote (") that never closes, so the rest of the file '
                    'would be read as one cell: close the quote, or double a quote inside a cell ("")',
                    file=path.name,
                    line=quotes.opened,
                )
            )


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


@contextmanager
def _workbook(path: Path) -> Iterator[Any]:
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=False)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError):
        raise ImportFileError(
            tr(
                "{file} is not an Excel workbook (.xlsx): open it in Excel and save it as .xlsx, or "
                "export the sheet as CSV UTF-8",
                file=path.name,
            )
        ) from None
    try:
        yield book
    finally:
        book.close()


def _xlsx(path: Path, sheet: str | None, limits: Limits) -> Records:
    with _workbook(path) as book:
        names = [ws.title for ws in book.worksheets]
        with_data = [ws.title for ws in book.worksheets if _has_data(ws)]
    if sheet is not None and sheet not in names:
        raise ImportFileError(
            tr(
                "{file} has no sheet '{sheet}': its sheets are {sheets}",
                file=path.name,
                sheet=sheet,
                sheets=", ".join(names),
            )
        )
    if sheet is None:
        if len(with_data) > 1:
            raise ImportFileError(
                tr(
                    "{file} has data on several sheets ({sheets}): choose the one to import (--sheet NAME, "
                    "or the sheet field on the import page)",
                    file=path.name,
                    sheets=", ".join(with_data),
                )
            )
        sheet = with_data[0] if with_data else names[0]
    source = tr("{file}, sheet '{sheet}'", file=path.name, sheet=sheet)
    chosen = sheet

    def read() -> Iterator[Row]:
        return _counted(_sheet_rows(path, chosen, source), source, limits)

    records = Records(read, source, [tr("read {source}", source=source)] if len(names) > 1 else [])
    records.scan()
    return records


def _sheet_rows(path: Path, sheet: str, source: str) -> Iterator[Row]:
    formulas: list[str] = []
    with _workbook(path) as book:
        rows = book[sheet].iter_rows(values_only=False)
        header = [_text(cell.value).strip() for cell in next(rows, ())]
        for number, row in enumerate(rows, start=2):
            values = {}
            for i, cell in enumerate(row):
                if getattr(cell, "data_type", None) == "f":
                    formulas.append(f"{cell.coordinate} ({cell.value})")
                elif i < len(header) and header[i]:
                    values[header[i]] = restore(_text(cell.value))
            if any(v.strip() for v in values.values()):
                yield number, values
    if formulas:
        more = tr(" and {n} more", n=len(formulas) - 5) if len(formulas) > 5 else ""
        raise ImportFileError(
            tr(
                "{source} holds formulas, whose results are not stored in the file: {cells}. Paste them as "
                "values (Paste special → Values) and import again",
                source=source,
                cells=", ".join(formulas[:5]) + more,
            )
        )


def _has_data(sheet: Any) -> bool:
    """A header and at least one row (read until the second filled row, not further)."""
    filled = 0
    for row in sheet.iter_rows(values_only=True):
        filled += any(value not in (None, "") for value in row)
        if filled >= 2:
            return True
    return False


# --- JSON ----------------------------------------------------------------------------------------


def _json(path: Path, _sheet: str | None, limits: Limits) -> Records:
    with path.open("rb") as handle:
        start = handle.read(4096).removeprefix(codecs.BOM_UTF8)
    try:
        codecs.getincrementaldecoder("utf-8")().decode(start, final=False)
    except UnicodeDecodeError:
        raise ImportFileError(
            tr("{file} is not UTF-8 text: export it again as UTF-8 JSON", file=path.name)
        ) from None
    if not start.lstrip().startswith(b"["):
        raise ImportFileError(tr("{file}: expected a JSON list of objects, one per row", file=path.name))

    def read() -> Iterator[Row]:
        return _counted(_json_rows(path), path.name, limits)

    records = Records(read, path.name, [])
    records.scan()
    return records


def _json_rows(path: Path) -> Iterator[Row]:
    with path.open("rb") as handle:
        if handle.read(len(codecs.BOM_UTF8)) != codecs.BOM_UTF8:
            handle.seek(0)
        items = ijson.items(handle, "item", use_float=True)
        number = 0
        try:
            for number, item in enumerate(items, start=1):
                if not isinstance(item, dict):
                    raise ImportFileError(
                        tr("{file}: expected a JSON list of objects, one per row", file=path.name)
                    )
                _flat(path, number, item)
                yield number, item
        except ijson.JSONError as error:
            raise ImportFileError(f"{path.name}: {_json_problem(path, error, number)}") from None


def _flat(path: Path, number: int, item: dict[str, Any]) -> None:
    for key, value in item.items():
        nested = isinstance(value, dict) or (
            isinstance(value, list) and any(isinstance(v, dict | list) for v in value)
        )
        if nested:
            raise ImportFileError(
                tr(
                    "{file}: record {number}, field '{key}' holds a nested object; give a plain value (text, "
                    "number, true/false) or a list of plain values",
                    file=path.name,
                    number=number,
                    key=key,
                )
            )


def _json_problem(path: Path, error: Exception, records_read: int) -> str:
    """What is wrong with a JSON file the streaming parser gave up on: the standard parser's
    line and column when it agrees (the file is read whole only on this error path)."""
    if "UTF8" in str(error):
        return tr("not UTF-8 text: export it again as UTF-8 JSON")
    try:
        json.loads(path.read_bytes().decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as precise:
        return tr("not valid JSON ({reason})", reason=precise)
    first = str(error).strip().splitlines()[0]
    return tr("not valid JSON after record {number} ({reason})", number=records_read, reason=first)
