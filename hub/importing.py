"""CSV, Excel and JSON import and export of projects and investors, with row-level reports.

An import checks every row before it writes anything. By default it is all-or-nothing: one
bad row and nothing is written; with ``skip_invalid`` the valid rows are written and the bad
ones reported. Export writes the same columns, so an exported file imports back unchanged.
"""

from __future__ import annotations

import io
import json
import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from hub import failpoints, repository
from hub.catalogues import N_, tr, translated
from hub.filereading import FORMATS, FORMULA_START, ImportFileError, Limits, Records, read_records
from hub.models import Investor, Project
from hub.passport import plausibility
from hub.reference import Reference
from hub.schemas import UNKNOWN, InvalidInput, missing_for_submission, validate_investor, validate_project
from hub.vocab import Role, Status

Progress = Callable[[int, int], None]


class Kind(StrEnum):
    PROJECTS = "projects"
    INVESTORS = "investors"


PROJECT_COLUMNS = (
    "external_id",
    "title",
    "summary",
    "description",
    "country",
    "region",
    "city",
    "sectors",
    "sdgs",
    "stage",
    "instruments",
    "funding_ask",
    "total_cost",
    "currency",
    "aifc_link",
    "owner_name",
    "owner_email",
    "language",
    "status",
)
PROJECT_OPTIONAL = (
    "aifc_reference",
    "expected_irr_pct",
    "payback_years",
    "jobs_created",
    "green_certification",
    "owner_phone",
    "website",
    "founded_year",
    "team_size",
    "past_investors",
)
FLUSH_EVERY = 1000  # rows written per round trip in a bulk import (one transaction all the same)
IMPORT_LOCK = 0x4855_4249  # "HUBI": PostgreSQL advisory lock an import holds while it writes
# With --as-draft only these columns must exist: a draft is stored with whatever else it has.
DRAFT_COLUMNS = ("external_id", "title")
INVESTOR_COLUMNS = (
    "external_id",
    "name",
    "investor_type",
    "thesis",
    "sectors",
    "regions",
    "stages",
    "instruments",
    "ticket_min",
    "ticket_max",
    "currency",
    "esg_mandate",
    "aifc_participant",
    "contact_email",
    "language",
)
INVESTOR_OPTIONAL = ("excluded_sectors", "active")

# Keys the importer knows and deliberately does not read (the demo's note of a resubmission).
IGNORED_COLUMNS = ("resubmission_of",)

COLUMNS = {Kind.PROJECTS: PROJECT_COLUMNS, Kind.INVESTORS: INVESTOR_COLUMNS}
OPTIONAL = {Kind.PROJECTS: PROJECT_OPTIONAL, Kind.INVESTORS: INVESTOR_OPTIONAL}


@dataclass(frozen=True)
class RowError:
    """One thing about one row: an error (the row is not written), a need (the row was stored
    as a draft without it) or a warning (a value worth a second look; it never blocks)."""

    line: int  # line in the file (the header is line 1); for JSON, the record number
    external_id: str
    field: str
    message: str

    def __str__(self) -> str:
        who = self.external_id or "(no external_id)"
        return f"line {self.line} [{who}] {self.field}: {self.message}"


@dataclass
class ImportReport:
    kind: Kind
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    needs: list[RowError] = field(default_factory=list)  # what rows stored as drafts still need
    warnings: list[RowError] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)  # not in the template: not read
    notes: list[str] = field(default_factory=list)  # what reading the file guessed (encoding, sheet)
    written: bool = False

    @property
    def bad_rows(self) -> int:
        return len({error.line for error in self.errors})

    @property
    def draft_rows(self) -> int:
        return len({need.line for need in self.needs})

    def sections(self) -> list[tuple[str, list[RowError]]]:
        """The non-empty row lists, in reading order: ``errors``, ``needs``, ``warnings``."""
        listed = (("errors", self.errors), ("needs", self.needs), ("warnings", self.warnings))
        return [(name, rows) for name, rows in listed if rows]

    KINDS = (N_("projects"), N_("investors"))  # what an import reports it wrote, translated

    def summary(self) -> str:
        """The outcome in a sentence or three, in the reader's language (``hub.lang``)."""
        if not self.written:
            return tr(
                "Imported nothing: {bad} of {rows} {kind} rows are invalid. Fix them and import again, "
                "or pass --skip-invalid to import only the valid rows.",
                bad=self.bad_rows,
                rows=self.rows,
                kind=translated(str(self.kind)),
            )
        parts = [tr("{created} created, {updated} updated", created=self.created, updated=self.updated)]
        if self.unchanged:
            parts.append(tr("{n} already present", n=self.unchanged))
        if self.errors:
            parts.append(tr("skipped {n} invalid", n=self.bad_rows))
        text = tr("Imported {kind}: {counts}.", kind=translated(str(self.kind)), counts=", ".join(parts))
        if self.needs:
            text += " " + tr(
                "{n} incomplete rows were stored as drafts; each one's needs are listed.", n=self.draft_rows
            )
        if self.warnings:
            text += " " + tr("{n} values are worth a second look (warnings).", n=len(self.warnings))
        return text


# --- reading -------------------------------------------------------------------------------------


def _missing_columns(kind: Kind, columns: set[str], as_draft: bool) -> list[str]:
    required = DRAFT_COLUMNS if as_draft and kind == Kind.PROJECTS else COLUMNS[kind]
    return [column for column in required if column not in columns]


# --- importing -----------------------------------------------------------------------------------


def import_file(
    factory: sessionmaker[Session],
    kind: Kind,
    path: Path,
    reference: Reference,
    *,
    skip_invalid: bool = False,
    as_draft: bool = False,
    confirm_contact_changes: bool = False,
    actor: str = "cli",
    is_demo: bool = False,
    progress: Progress | None = None,
    sheet: str | None = None,
    limits: Limits | None = None,
) -> ImportReport:
    """Validate every row of ``path``, then write all of them in one transaction (or none)."""
    records = read_records(path, sheet=sheet, limits=limits)
    return import_records(
        factory,
        kind,
        records,
        reference,
        skip_invalid=skip_invalid,
        as_draft=as_draft,
        confirm_contact_changes=confirm_contact_changes,
        actor=actor,
        is_demo=is_demo,
        progress=progress,
        source=records.source,
    )


def import_records(
    factory: sessionmaker[Session],
    kind: Kind,
    records: Records | Sequence[tuple[int, dict[str, Any]]],
    reference: Reference,
    *,
    skip_invalid: bool = False,
    as_draft: bool = False,
    confirm_contact_changes: bool = False,
    actor: str = "cli",
    is_demo: bool = False,
    progress: Progress | None = None,
    source: str = "records",
    keep_existing: bool = False,
) -> ImportReport:
    """Import numbered records (as ``read_records`` returns them); see ``import_file``.

    With ``as_draft`` (projects only) a row that is incomplete for its status (a text too
    short, a fact missing) is stored as a draft, and the report lists what it still needs;
    only wrong values are errors. With ``keep_existing`` a row whose external id is already
    stored is left as it is (counted as unchanged) instead of overwriting the stored row.

    Each project is linked to the project-owner account of its ``owner_email`` (created, without
    a password, when there is none). A row that would change the contact of a listing an owner
    account manages is an error unless ``confirm_contact_changes``.
    """
    as_draft = as_draft and kind == Kind.PROJECTS
    if not isinstance(records, Records):
        records = Records.listed(records, source)
    missing = _missing_columns(kind, records.columns, as_draft)
    if missing:
        raise ImportFileError(
            f"{source}: missing column(s) {', '.join(missing)}; the {kind} template has: "
            f"{', '.join(COLUMNS[kind])}"
            + (f" (with --as-draft only {', '.join(DRAFT_COLUMNS)} are required)" if as_draft else "")
        )
    # "unknown" (a list such as "stage;funding_ask") is read too: another way to write the
    # "unknown" cells, for files from tools that cannot put a word in an amount column
    known = {*COLUMNS[kind], *OPTIONAL[kind], *IGNORED_COLUMNS, "unknown"}
    report = ImportReport(kind=kind, rows=len(records), notes=list(records.notes))
    report.ignored_columns = sorted(c for c in records.columns if c not in known)
    valid: list[Any] = []
    seen: dict[str, int] = {}
    demoted: dict[str, int] = {}  # external id -> line: rows stored as drafts despite their status
    for line, record in records:
        external_id = str(record.get("external_id") or "").strip()
        if not external_id:
            report.errors.append(
                RowError(line, "", "external_id", tr("is required: give each row a unique id"))
            )
            continue
        if external_id in seen:
            report.errors.append(
                RowError(
                    line,
                    external_id,
                    "external_id",
                    tr("repeats the id of line {line}", line=seen[external_id]),
                )
            )
            continue
        seen[external_id] = line
        try:
            item = _validate_row(
                kind, record, reference, as_draft=as_draft, line=line, external_id=external_id, report=report
            )
            given = str(record.get("status") or "").strip().lower()
            if kind == Kind.PROJECTS and item.is_draft and given not in ("", Status.DRAFT):
                demoted[external_id] = line
        except InvalidInput as invalid:
            report.errors += [RowError(line, external_id, e.field, e.message) for e in invalid.errors]
            continue
        valid.append(item)
    if demoted:
        valid = _keep_listed(factory, demoted, valid, report)
    if kind == Kind.PROJECTS and not confirm_contact_changes:
        valid = _unchanged_contacts(factory, valid, seen, report)
    if report.errors and not skip_invalid:
        return report
    try:
        _write(factory, kind, valid, report, actor=actor, is_demo=is_demo, progress=progress, source=source,
               keep_existing=keep_existing)  # fmt: skip
    except IntegrityError:  # another import wrote one of these rows meanwhile (PostgreSQL)
        raise ImportFileError(
            f"{source}: another import wrote some of these rows at the same moment, so nothing of this "
            "file was written; import it again to update them"
        ) from None
    report.written = True
    return report


def _write(
    factory: sessionmaker[Session],
    kind: Kind,
    valid: list[Any],
    report: ImportReport,
    *,
    actor: str,
    is_demo: bool,
    progress: Progress | None,
    source: str,
    keep_existing: bool,
) -> None:
    """Write the valid rows and the import's audit event in one transaction."""
    save = repository.save_project if kind == Kind.PROJECTS else repository.save_investor
    stored = repository.stored_external_ids if keep_existing else None
    with factory.begin() as session:
        # take the write lock before reading what exists: a concurrent import then waits and
        # reads what this one wrote (its rows, the owner accounts of its emails) instead of
        # colliding with it: SQLite's write lock (busy timeout), on PostgreSQL an advisory lock
        dialect = session.get_bind().dialect.name
        if dialect == "sqlite":
            session.execute(text("BEGIN IMMEDIATE"))
        elif dialect == "postgresql":
            session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": IMPORT_LOCK})
        existing = stored(session, str(kind)) if stored else set()
        deferred: list[Any] = []  # projects saved since the last flush, their events to write
        if kind == Kind.PROJECTS:  # one query for all the rows' projects and owner accounts
            emails = [item.owner_email for item in valid if item.owner_email]
            repository.prefetch_for_import(session, [item.external_id for item in valid], emails)
        for done, item in enumerate(valid, start=1):
            if item.external_id in existing:
                report.unchanged += 1
            elif kind == Kind.PROJECTS:
                row, created = save(session, item, actor=actor, is_demo=is_demo, deferred=deferred)
                _link_owner(session, row, item)
                report.created += created
                report.updated += not created
            else:
                _, created = save(session, item, actor=actor, is_demo=is_demo)
                report.created += created
                report.updated += not created
            if len(deferred) >= FLUSH_EVERY or (deferred and done == len(valid)):
                session.flush()  # one round of INSERTs for the batch, then its audit events
                repository.record_saved(session, deferred, actor=actor)
                deferred.clear()
                failpoints.checkpoint("import.batch")  # a test may kill -9 here, mid-transaction
            if progress:
                progress(done, len(valid))
        repository.record_event(
            session,
            actor=actor,
            action=f"import.{kind}",
            entity_type=str(kind),
            entity_id=None,
            details={
                "source": source,
                "created": report.created,
                "updated": report.updated,
                "skipped": report.bad_rows,
            },
        )


def _unchanged_contacts(
    factory: sessionmaker[Session], valid: list[Any], lines: dict[str, int], report: ImportReport
) -> list[Any]:
    """Rows that would change the contact email of a listing an owner account manages become
    errors: an import must not take a listing's contact from its owner without staff saying so."""
    with factory() as session:
        stored = repository.owner_contacts(session, [item.external_id for item in valid])
    changed = {
        item.external_id
        for item in valid
        if item.external_id in stored and stored[item.external_id].lower() != (item.owner_email or "").lower()
    }
    for key in sorted(changed, key=lambda k: lines[k]):
        report.errors.append(
            RowError(
                lines[key],
                key,
                "owner_email",
                tr(
                    "would replace the contact {contact} of a listing its owner manages: check with the "
                    "owner, then import with --confirm-contact-changes (the staff page's confirmation)",
                    contact=stored[key],
                ),
            )
        )
    return [item for item in valid if item.external_id not in changed]


def _link_owner(session: Session, project: Any, item: Any) -> None:
    """Link the project to the project-owner account of its contact email, creating one
    (without a password: the owner sets one by signing up with that email) when there is none."""
    email = (item.owner_email or "").strip()
    if not email:
        return
    account = repository.account_by_email(session, email)
    if account is None:
        account = repository.save_account(
            session,
            email=email,
            display_name=item.owner_name or email,
            role=Role.PROJECT_OWNER,
            organisation=item.owner_name,
            is_demo=project.is_demo,
            flush=False,  # flushed with its project's batch
        )
    if account.role == Role.PROJECT_OWNER:
        project.owner_account = account


def _keep_listed(
    factory: sessionmaker[Session], demoted: dict[str, int], valid: list[Any], report: ImportReport
) -> list[Any]:
    """An incomplete row stored as a draft must not pull a listing already submitted or
    published back to draft: such rows become errors, and the listing stays as it is."""
    with factory() as session:
        statuses = repository.project_statuses(session, list(demoted))
    kept = {key: status for key, status in statuses.items() if status != Status.DRAFT}
    for key, status in kept.items():
        report.errors.append(
            RowError(
                demoted[key],
                key,
                "status",
                tr(
                    "the stored listing is {status}: an incomplete row would move it back to draft; complete "
                    "the row, or leave it out of this import",
                    status=status,
                ),
            )
        )
    report.needs = [n for n in report.needs if n.external_id not in kept]
    report.warnings = [w for w in report.warnings if w.external_id not in kept]
    return [item for item in valid if item.external_id not in kept]


def _validate_row(
    kind: Kind,
    record: dict[str, Any],
    reference: Reference,
    *,
    as_draft: bool,
    line: int,
    external_id: str,
    report: ImportReport,
) -> Any:
    """A valid row; for projects, its warnings and (stored as a draft) its needs go to ``report``."""
    if kind == Kind.INVESTORS:
        return validate_investor(record, reference)
    try:
        project = validate_project(record, reference)
    except InvalidInput:
        if not as_draft:
            raise
        project = validate_project({**record, "status": Status.DRAFT.value}, reference)
    if project.is_draft:
        report.needs += [
            RowError(line, external_id, n.field, n.message) for n in missing_for_submission(project)
        ]
    report.warnings += [
        RowError(line, external_id, w.field, w.message) for w in plausibility(project, reference)
    ]
    return project


# --- exporting -----------------------------------------------------------------------------------


# A CSV cell starting with one of these is a formula to Excel, LibreOffice and Google Sheets:
# "=HYPERLINK(...)" in a title would run in whoever opens the export. Such cells are written with
# a leading apostrophe (shown as text by every spreadsheet), which the importer removes again.
NUMBER = re.compile(r"^[+-]?\d+(\.\d+)?$")


def neutralise(value: Any) -> Any:
    """A cell as it is safe to write to CSV: a text starting like a formula gets an apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_START) and not NUMBER.match(value):
        return "'" + value
    return value


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """A table as UTF-8 CSV with every formula-like text cell neutralised."""
    return frame.map(neutralise).to_csv(index=False).encode("utf-8")


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, float):
        return repr(value)  # every digit: an export imports back unchanged
    if isinstance(value, (list, tuple)):
        return ";".join(str(v) for v in value)
    return value


def project_row(project: Project) -> dict[str, Any]:
    """A project as a template row (lists and numbers still typed)."""
    confidential = project.confidential
    unknown = set(project.unknown or ())
    return {
        "external_id": project.external_id,
        "title": project.title,
        "summary": project.summary,
        "description": project.description,
        "country": project.country_code,
        "region": project.region_code,
        "city": project.city,
        "sectors": [s.slug for s in project.sectors],
        "sdgs": [s.number for s in project.sdgs],
        "stage": UNKNOWN if "stage" in unknown else project.stage,
        "instruments": [UNKNOWN] if "instruments" in unknown else list(project.instruments),
        "funding_ask": UNKNOWN if "funding_ask" in unknown else project.funding_ask,
        "total_cost": project.total_cost,
        "currency": project.currency,
        "aifc_link": project.aifc_link,
        "owner_name": project.owner_name,
        "owner_email": confidential.contact_email if confidential else None,
        "language": project.language,
        "status": project.status,
        "aifc_reference": project.aifc_reference,
        "expected_irr_pct": project.expected_irr_pct,
        "payback_years": project.payback_years,
        "jobs_created": project.jobs_created,
        "green_certification": project.green_certification,
        "owner_phone": confidential.contact_phone if confidential else None,
        "website": project.website,
        "founded_year": project.founded_year,
        "team_size": project.team_size,
        "past_investors": project.past_investors,
    }


def investor_row(investor: Investor) -> dict[str, Any]:
    """An investor as a template row (lists and numbers still typed)."""
    return {
        "external_id": investor.external_id,
        "name": investor.name,
        "investor_type": investor.investor_type,
        "thesis": investor.thesis,
        "sectors": [s.slug for s in investor.sectors],
        "regions": [c.code for c in investor.countries] + [r.code for r in investor.regions],
        "stages": list(investor.stages),
        "instruments": list(investor.instruments),
        "ticket_min": investor.ticket_min,
        "ticket_max": investor.ticket_max,
        "currency": investor.currency,
        "esg_mandate": investor.esg_mandate,
        "aifc_participant": investor.aifc_participant,
        "contact_email": investor.contact_email,
        "language": list(investor.languages),
        "excluded_sectors": [s.slug for s in investor.excluded_sectors],
        "active": investor.active,
    }


def _json_value(value: Any) -> Any:
    if isinstance(value, Decimal):
        return f"{value:.2f}"  # a string keeps the amount exact
    return value


def excel_bytes(frame: pd.DataFrame, sheet: str = "data") -> bytes:
    """An .xlsx file of ``frame`` in which every text stays text: a title such as "=1+1" or
    "=HYPERLINK(...)" is not turned into a formula (which would run in the reader's Excel and
    come back empty on import)."""
    book = openpyxl.Workbook()
    table = book.active
    table.title = sheet[:31] or "data"
    table.append([str(c) for c in frame.columns])
    for values in frame.itertuples(index=False):
        cells = [None if pd.isna(v) else v.item() if hasattr(v, "item") else v for v in values]
        # control characters (from rows stored before validation refused them) would make
        # openpyxl refuse the whole workbook: they are dropped from the cell
        table.append([ILLEGAL_CHARACTERS_RE.sub("", c) if isinstance(c, str) else c for c in cells])
    for row in table.iter_rows(min_row=2):
        for cell in row:
            if cell.data_type == "f":  # openpyxl reads a leading "=" as a formula
                cell.data_type = "s"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def write_rows(rows: Sequence[dict[str, Any]], columns: Sequence[str], path: Path) -> None:
    """Write template rows to .csv, .xlsx or .json, chosen by the file's suffix.

    Atomic: the file is written beside the target and renamed over it, so a failure never
    leaves half an export in place of the previous one."""
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise ImportFileError(f"{path.name}: unsupported file type '{suffix}'; use {', '.join(FORMATS)}")
    path.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".json":
        payload = [{c: _json_value(row.get(c)) for c in columns} for row in rows]
        data = json.dumps(payload, ensure_ascii=False, indent=1).encode("utf-8")
    else:
        frame = pd.DataFrame([{c: _cell(row.get(c)) for c in columns} for row in rows], columns=list(columns))
        data = csv_bytes(frame) if suffix == ".csv" else excel_bytes(frame, path.stem)
    partial = path.with_name(f".{path.name}.partial")
    partial.write_bytes(data)
    os.replace(partial, path)


def export_file(session: Session, kind: Kind, path: Path) -> int:
    """Write every project or investor to ``path``; returns the number of rows."""
    columns = (*COLUMNS[kind], *OPTIONAL[kind])
    if kind == Kind.PROJECTS:
        rows = [project_row(p) for p in repository.projects_for_export(session)]
    else:
        rows = [investor_row(i) for i in repository.investors_for_export(session)]
    write_rows(rows, columns, path)
    return len(rows)
