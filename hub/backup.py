"""Backup and restore: the whole database to one portable file, and back.

A backup is gzip-compressed JSON Lines, written and read a line at a time, so no table is ever
held whole in memory::

    {"format": "hubmatch-backup", "version": 1, "schema": "0002", "created_at": "…",
     "source": {"database": "sqlite", "hubmatch": "0.1.0"}, "tables": [{"name": "countries", "rows": 8}, …]}
    {"table": "countries", "columns": ["code", …], "kinds": ["string", …], "rows": 8}
    ["KZ", "Kazakhstan", …]            one line per row, a list in column order, by primary key
    …                                  the next table: parents before children
    {"end": "hubmatch-backup", "rows": 12345}

Values read back exactly on SQLite and PostgreSQL alike: timestamps as ISO-8601 UTC, money as an
exact decimal string in the row's currency ("1250000.00"), JSON columns as JSON, booleans and
floats as JSON's own. ``schema`` is the Alembic revision of the tables. Every table is there
(reference data, accounts with their password hashes, listings, interest, reviews, saved searches,
the audit log) except the change log's bookkeeping (``change_*``), which belongs to one database
and the instances following it. Vectors and the embedding cache live outside the database and
are not in the file: they are rebuilt from the restored rows.

Two backups of the same data are the same bytes apart from the header's ``created_at`` and
``source`` (the gzip header carries no name or time).
"""

from __future__ import annotations

import gzip
import io
import json
import os
import zlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from types import TracebackType
from typing import Any

from alembic.script import ScriptDirectory
from sqlalchemy import JSON, Boolean, Column, Float, Integer, String, Table
from sqlalchemy.exc import StatementError
from sqlalchemy.orm import Session

from hub import __version__, repository
from hub.db import alembic_config, head_revision
from hub.models import Base, Money, UTCDateTime, utcnow

FORMAT = "hubmatch-backup"
VERSION = 1  # of the file layout; a reader refuses a later one
BATCH = 1000  # rows per read from the database and per executemany
# Filled from the data files by every start (``open_hub``): present even in an "empty" database,
# and replaced by the backup's rows on restore.
REFERENCE_TABLES = frozenset({"countries", "regions", "sectors", "sdgs"})
HEADER_LIMIT = 1 << 20  # characters read, at most, to tell a backup from another file

Progress = Callable[[int, int], None]  # (rows done, rows in all)


class BackupError(ValueError):
    """A backup cannot be written or restored; the message says what is wrong and what to do."""


class NotEmpty(BackupError):
    """The database to restore into already holds data (rows per table, reference data aside)."""

    def __init__(self, found: dict[str, int]) -> None:
        self.found = found
        super().__init__(f"the database is not empty ({self.listing})")

    @property
    def listing(self) -> str:
        """The rows a person recognises first, e.g. "projects: 620, accounts: 695 and 7 more tables"."""
        named = [name for name in ("projects", "investors", "accounts", "audit_events") if name in self.found]
        others = len(self.found) - len(named)
        listed = ", ".join(f"{name.replace('_', ' ')}: {self.found[name]}" for name in named)
        more = f"rows in {others} more table{'s' if others > 1 else ''}" if others else ""
        return " and ".join(part for part in (listed, more) if part)


def backed_up_tables() -> list[Table]:
    """The tables a backup holds, parents before children (the order rows are inserted in)."""
    return [table for table in Base.metadata.sorted_tables if not table.name.startswith("change_")]


def kind_of(column: Column[Any]) -> str:
    """How a column's values are written: datetime, money, json, boolean, float, integer, string."""
    kinds = (
        (UTCDateTime, "datetime"),
        (Money, "money"),
        (JSON, "json"),
        (Boolean, "boolean"),
        (Float, "float"),
        (Integer, "integer"),
        (String, "string"),
    )
    for type_, kind in kinds:
        if isinstance(column.type, type_):
            return kind
    raise TypeError(f"{column.table.name}.{column.name}: no backup rule for {column.type!r}")


def _datetime_out(value: datetime) -> str:
    return value.astimezone(UTC).isoformat()


def _money_out(value: Decimal) -> str:
    return format(value, "f")


def _datetime_in(value: Any) -> datetime:
    parsed = datetime.fromisoformat(value)  # TypeError when not a string
    if parsed.tzinfo is None:
        raise ValueError(f"{value!r} has no time zone")
    return parsed.astimezone(UTC)


def _money_in(value: Any) -> Decimal:
    if not isinstance(value, str):
        raise TypeError(f"{value!r} is not a decimal string")
    try:
        return Decimal(value)
    except InvalidOperation:
        raise ValueError(f"{value!r} is not a decimal number") from None


def _checked(*types: type) -> Callable[[Any], Any]:
    def check(value: Any) -> Any:
        if (isinstance(value, bool) and bool not in types) or not isinstance(value, types):
            raise TypeError(f"{value!r} is not a {' or '.join(t.__name__ for t in types)}")
        return value

    return check


ENCODE: dict[str, Callable[[Any], Any]] = {"datetime": _datetime_out, "money": _money_out}
DECODE: dict[str, Callable[[Any], Any]] = {
    "datetime": _datetime_in,
    "money": _money_in,
    "json": lambda value: value,
    "boolean": _checked(bool),
    "float": _checked(float, int),
    "integer": _checked(int),
    "string": _checked(str),
}


def _encoded(encoders: list[Callable[[Any], Any] | None], row: Sequence[Any]) -> list[Any]:
    return [v if v is None or e is None else e(v) for e, v in zip(encoders, row, strict=True)]


def _line(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")) + "\n"


# --- writing ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Written:
    path: Path
    schema: str  # the Alembic revision of the tables
    tables: dict[str, int]  # rows per table
    size: int  # bytes of the file

    @property
    def rows(self) -> int:
        return sum(self.tables.values())


def write_backup(session: Session, path: Path, progress: Progress | None = None) -> Written:
    """Write every table to ``path``, a table at a time in ``BATCH``-row reads. ``session`` should
    read one snapshot (``repository.begin_snapshot``) so that the tables agree with each other.
    The file appears only once complete: a failed backup leaves whatever was at ``path``."""
    tables = backed_up_tables()
    counts = {table.name: repository.count_rows(session, table) for table in tables}
    total, done = sum(counts.values()), 0
    schema = head_revision()  # open_hub has brought the database to it
    header = {
        "format": FORMAT,
        "version": VERSION,
        "schema": schema,
        "created_at": _datetime_out(utcnow()),
        "source": {"database": session.get_bind().dialect.name, "hubmatch": __version__},
        "tables": [{"name": name, "rows": rows} for name, rows in counts.items()],
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.partial")
    try:
        with (
            partial.open("wb") as raw,
            gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=6) as packed,
            io.TextIOWrapper(packed, encoding="utf-8", newline="\n") as out,
        ):
            out.write(_line(header))
            for table in tables:
                columns = list(table.columns)
                kinds = [kind_of(column) for column in columns]
                encoders = [ENCODE.get(kind) for kind in kinds]
                names = [column.name for column in columns]
                out.write(
                    _line({"table": table.name, "columns": names, "kinds": kinds, "rows": counts[table.name]})
                )
                written = 0
                for rows in repository.stream_rows(session, table, BATCH):
                    out.writelines(_line(_encoded(encoders, row)) for row in rows)
                    written += len(rows)
                    done += len(rows)
                    if progress:
                        progress(done, total)
                if written != counts[table.name]:  # a read outside a snapshot met a concurrent write
                    raise BackupError(f"{table.name} changed while it was read: take the backup again")
            out.write(_line({"end": FORMAT, "rows": total}))
        os.replace(partial, path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return Written(path, schema, counts, path.stat().st_size)


# --- reading ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Header:
    version: int
    schema: str
    created_at: str  # ISO-8601 UTC
    source: dict[str, Any]  # {"database": "sqlite" | "postgresql", "hubmatch": version}
    tables: dict[str, int]  # rows per table, as written


@dataclass(frozen=True)
class Restored:
    header: Header
    tables: dict[str, int]  # rows restored per table
    replaced: dict[str, int] = field(default_factory=dict)  # rows deleted first (reference data aside)

    @property
    def rows(self) -> int:
        return sum(self.tables.values())


class _Reader:
    """A backup's lines, parsed, one at a time (gzip-compressed, or already decompressed)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.number = 0
        self._raw: io.BufferedReader | None = None
        self._text: io.TextIOWrapper | None = None

    def __enter__(self) -> _Reader:
        if not self.path.is_file():
            what = "is a folder, not a file" if self.path.is_dir() else "does not exist"
            raise BackupError(f"{self.path} {what}: give the path of a backup file")
        try:
            raw = self._raw = self.path.open("rb")
        except OSError as error:
            raise BackupError(f"cannot open {self.path}: {error.strerror or error}") from None
        stream: Any = gzip.GzipFile(fileobj=raw, mode="rb") if raw.read(2) == b"\x1f\x8b" else raw
        raw.seek(0)
        self._text = io.TextIOWrapper(stream, encoding="utf-8", newline="\n")
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        if self._text is not None:
            self._text.close()
        if self._raw is not None:  # GzipFile leaves the file it was given open
            self._raw.close()

    def header(self) -> Header:
        not_a_backup = BackupError(
            f"{self.path} is not a HubMatch backup (its first line does not name the format "
            f"{FORMAT!r}): give a file written by `python -m hub backup`"
        )
        try:
            first = self._read(HEADER_LIMIT)
            data = json.loads(first)
        except (BackupError, ValueError):
            raise not_a_backup from None
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise not_a_backup
        version, schema = data.get("version"), data.get("schema")
        if not isinstance(version, int) or not isinstance(schema, str):
            raise self.damaged("its header lacks the format version or the schema")
        if version > VERSION:
            raise BackupError(
                f"{self.path} was written by a newer HubMatch (backup format {version}; this release "
                f"reads format {VERSION}): restore it with that release or a later one"
            )
        known = {script.revision for script in ScriptDirectory.from_config(alembic_config()).walk_revisions()}
        if schema not in known:
            raise BackupError(
                f"{self.path} holds a database of schema {schema}, newer than this release's "
                f"({head_revision()}): upgrade HubMatch to the release that wrote it, or a later one, "
                "and restore with that"
            )
        try:
            tables = {str(t["name"]): int(t["rows"]) for t in data["tables"]}
            return Header(version, schema, str(data["created_at"]), dict(data["source"]), tables)
        except (KeyError, TypeError, ValueError):
            raise self.damaged("the header lacks a field") from None

    def _read(self, limit: int = -1) -> str:
        assert self._text is not None
        try:
            line = self._text.readline(limit)
        except (OSError, EOFError, zlib.error, UnicodeDecodeError) as error:
            # BadGzipFile is an OSError; EOFError: the compressed stream was cut short
            raise self.damaged(f"it cannot be read after line {self.number} ({error})") from None
        self.number += 1
        return line

    def __iter__(self) -> Iterator[Any]:
        while line := self._read():
            try:
                yield json.loads(line)
            except ValueError:
                raise self.damaged(f"line {self.number} is not JSON") from None

    def damaged(self, why: str) -> BackupError:
        return BackupError(
            f"{self.path} is damaged or incomplete: {why}. Nothing was restored; use another copy of "
            "the backup, or take it again"
        )


def read_header(path: Path) -> Header:
    """What a backup holds (``BackupError`` when ``path`` is no backup this release can restore)."""
    with _Reader(path) as reader:
        return reader.header()


# --- restoring -------------------------------------------------------------------------------------


def restore_backup(
    session: Session, path: Path, *, replace: bool = False, progress: Progress | None = None
) -> Restored:
    """Put the backup's rows in place of the database's in ``session``'s transaction, keeping
    their ids; the caller commits (all or nothing). Other writers wait until then. ``NotEmpty``
    when the database holds data besides the reference tables, unless ``replace``: then every row
    is deleted first. Reference tables always end up as in the backup. On PostgreSQL the id
    sequences move past the restored ids. Call with a session that has not queried yet."""
    tables = backed_up_tables()
    with _Reader(path) as reader:
        header = reader.header()
        repository.lock_for_restore(session, tables)
        found = {
            table.name: rows
            for table in tables
            if table.name not in REFERENCE_TABLES and (rows := repository.count_rows(session, table))
        }
        if found and not replace:
            raise NotEmpty(found)
        repository.delete_all_rows(session, tables)
        restored = _Loader(session, reader, header, progress).load()
    repository.advance_sequences(session, tables)
    return Restored(header, restored, found)


@dataclass
class _Table:
    table: Table
    names: list[str]
    decoders: list[Callable[[Any], Any]]
    expected: int
    rows: int = 0


class _Loader:
    """Inserts a backup's rows, table by table, ``BATCH`` rows per executemany."""

    def __init__(self, session: Session, reader: _Reader, header: Header, progress: Progress | None) -> None:
        self.session, self.reader, self.header, self.progress = session, reader, header, progress
        self.tables = {table.name: table for table in backed_up_tables()}
        self.total, self.done = sum(header.tables.values()), 0
        self.restored: dict[str, int] = {}
        self.current: _Table | None = None
        self.batch: list[dict[str, Any]] = []

    def load(self) -> dict[str, int]:
        for item in self.reader:
            if isinstance(item, list):
                self._row(item)
            elif isinstance(item, dict) and "table" in item:
                self._finish_table()
                self.current = self._start_table(item)
            elif isinstance(item, dict) and item.get("end") == FORMAT:
                self._finish_table()
                if item.get("rows") != self.done or self.restored != self.header.tables:
                    raise self.reader.damaged("its row counts do not add up")
                return self.restored
            else:
                raise self.reader.damaged(f"line {self.reader.number} is neither a table nor a row")
        raise self.reader.damaged("it ends before its last line")

    def _start_table(self, item: dict[str, Any]) -> _Table:
        name, columns, kinds = item.get("table"), item.get("columns"), item.get("kinds")
        table = self.tables.get(name) if isinstance(name, str) else None
        if table is None:
            raise BackupError(f"the backup holds a table {name!r} that this release does not have")
        if name in self.restored:
            raise self.reader.damaged(f"table {name} appears twice")
        if not (isinstance(columns, list) and isinstance(kinds, list) and len(columns) == len(kinds)):
            raise self.reader.damaged(f"line {self.reader.number} does not list {name}'s columns")
        decoders = []
        for column, kind in zip(columns, kinds, strict=True):
            if column not in table.columns:
                raise BackupError(
                    f"the backup's table {name} has a column {column!r} this release does not have"
                )
            here = kind_of(table.columns[column])
            if kind != here:
                raise BackupError(f"{name}.{column} holds {kind} values in the backup, {here} values here")
            decoders.append(DECODE[kind])
        return _Table(table, columns, decoders, self.header.tables.get(name, -1))

    def _row(self, values: list[Any]) -> None:
        current = self.current
        if current is None or len(values) != len(current.names):
            raise self.reader.damaged(f"line {self.reader.number} is a row that fits no table")
        try:
            self.batch.append(
                {
                    name: None if value is None else decode(value)
                    for name, decode, value in zip(current.names, current.decoders, values, strict=True)
                }
            )
        except (TypeError, ValueError) as error:
            raise self.reader.damaged(
                f"line {self.reader.number}, a row of {current.table.name}: {error}"
            ) from None
        if len(self.batch) >= BATCH:
            self._flush()

    def _flush(self) -> None:
        if self.current is None or not self.batch:
            return
        table = self.current.table
        try:
            repository.insert_rows(self.session, table, self.batch)
        except StatementError as error:  # the database refused it, or a column type could not store it
            reason = str(error.orig).strip().splitlines()[0] if error.orig else str(error)
            raise BackupError(
                f"the database refused a row of {table.name} ({reason}). Nothing was restored"
            ) from None
        self.current.rows += len(self.batch)
        self.done += len(self.batch)
        self.batch = []
        if self.progress:
            self.progress(self.done, self.total)

    def _finish_table(self) -> None:
        self._flush()
        if self.current is not None:
            if self.current.rows != self.current.expected:
                raise self.reader.damaged(
                    f"table {self.current.table.name} has fewer or more rows than its header says"
                )
            self.restored[self.current.table.name] = self.current.rows
            self.current = None
