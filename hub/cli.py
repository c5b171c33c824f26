"""The command line: ``python -m hub <command> …`` (``--help`` on each command)."""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TextIO

from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session
from tqdm import tqdm

from hub import catalogues, lang, repository
from hub.accounts import MIN_PASSWORD, AccountError, NewAccount
from hub.actors import SYSTEM
from hub.backup import BackupError, NotEmpty
from hub.config import PROJECT_ROOT, Settings, get_settings
from hub.context import Hub, open_encoder, open_hub
from hub.db import DatabaseUnavailable, head_revision, make_engine, schema_revision
from hub.engine import MatchingEngine, open_engine
from hub.i18n import MESSAGES
from hub.importing import ImportFileError, Kind
from hub.indexing import IndexKind, index_folder
from hub.matching import MatchResult
from hub.services import Services
from hub.vocab import Role

EXIT_OK = 0
EXIT_INVALID = 1  # the input was rejected; nothing was written
EXIT_USAGE = 2


def _progress_bar(description: str) -> tuple[Callable[[int, int], None], Callable[[], None]]:
    """A tqdm bar on stderr driven by ``progress(done, total)`` calls, and a closer."""
    bar: dict[str, tqdm] = {}

    def update(done: int, total: int) -> None:
        if "bar" not in bar:
            # disable=None: no bar when stderr is not a terminal (CI logs, pipes)
            bar["bar"] = tqdm(total=total, desc=description, unit="row", file=sys.stderr, disable=None)
        bar["bar"].update(done - bar["bar"].n)

    def close() -> None:
        if "bar" in bar:
            bar["bar"].close()

    return update, close


def cmd_init(hub: Hub, _args: argparse.Namespace, out: TextIO) -> int:
    if hub.upgraded:
        out.write(f"Upgraded the existing database: {', '.join(hub.upgraded)}.\n")
    where = hub.engine.url.render_as_string(hide_password=True)
    out.write(f"Database ready at {where} (schema {schema_revision(hub.engine)}, the latest)\n")
    return EXIT_OK


def cmd_health(settings: Settings | None, out: TextIO) -> int:
    """Exit 0 when the database answers and its schema is this release's; 1 otherwise. Changes
    nothing (unlike every other command, it does not create or upgrade the schema)."""
    settings = settings or get_settings()
    engine = make_engine(settings.resolved_database_url)
    where = engine.url.render_as_string(hide_password=True)
    try:
        found, latest = schema_revision(engine), head_revision()
        with Session(engine) as session:
            revision = repository.change_revision(session)[0] if found else None
    except OperationalError as error:
        reason = str(error.orig).strip().splitlines()[0] if error.orig else str(error)
        out.write(f"unhealthy: the database at {where} does not answer: {reason}\n")
        return EXIT_INVALID
    finally:
        engine.dispose()
    if found != latest:
        out.write(
            f"unhealthy: the database at {where} is at schema {found or 'none'}, this release needs "
            f"{latest}: run `python -m hub init`\n"
        )
        return EXIT_INVALID
    out.write(f"ok: the database at {where} answers (schema {found}, data revision {revision})\n")
    return EXIT_OK


def cmd_seed(hub: Hub, _args: argparse.Namespace, out: TextIO) -> int:
    update, close = _progress_bar("Loading demo data")
    try:
        report = Services(hub).seed_demo(SYSTEM, progress=update)
    finally:
        close()
    out.write(report.summary() + "\n")
    return EXIT_OK


def cmd_import(hub: Hub, args: argparse.Namespace, out: TextIO) -> int:
    update, close = _progress_bar(f"Importing {args.kind}")
    # through the service layer, as the system actor; it re-indexes (unless --no-index) so that
    # `match` right after an import sees the new rows
    services = Services(hub, refresh=lambda: _reindex(hub, out))
    try:
        report = services.import_file(
            SYSTEM,
            Kind(args.kind),
            Path(args.file),
            skip_invalid=args.skip_invalid,
            as_draft=args.as_draft,
            confirm_contact_changes=args.confirm_contact_changes,
            progress=update,
            index=False,
            sheet=args.sheet,
        )
    except ImportFileError as error:
        close()
        out.write(f"Cannot import: {error}\n")
        return EXIT_INVALID
    close()
    for note in report.notes:
        out.write(f"Note: {note}\n")
    if report.ignored_columns:
        out.write(f"Columns not in the template, not read: {', '.join(report.ignored_columns)}\n")
    titles = {"errors": "Errors", "needs": "Needed before submission", "warnings": "Warnings"}
    for name, rows in report.sections():
        out.write(f"{titles[name]}:\n" + "".join(f"  {row}\n" for row in rows))
    out.write(report.summary() + "\n")
    if report.written and not args.no_index:
        services.reindex(SYSTEM)
    return EXIT_OK if report.written else EXIT_INVALID


ROLE_NAMES = {
    "investor": Role.INVESTOR,
    "owner": Role.PROJECT_OWNER,
    "staff": Role.HUB_STAFF,
    "admin": Role.ADMIN,
}


def cmd_user_create(hub: Hub, args: argparse.Namespace, out: TextIO) -> int:
    new = NewAccount(
        email=args.email,
        password=args.password,
        role=ROLE_NAMES[args.role],
        display_name=args.name or args.email.split("@")[0],
        organisation=args.organisation,
    )
    try:
        created = Services(hub).create_user(SYSTEM, new)
    except AccountError as error:
        out.write(f"Cannot create the account: {error}\n")
        return EXIT_INVALID
    out.write(f"Created the {args.role} account {created.email}.\n")
    return EXIT_OK


def cmd_export(hub: Hub, args: argparse.Namespace, out: TextIO) -> int:
    path = Path(args.file)
    try:
        count = Services(hub).export_file(SYSTEM, Kind(args.kind), path)
    except ImportFileError as error:
        out.write(f"Cannot export: {error}\n")
        return EXIT_USAGE
    out.write(f"Exported {count} {args.kind} to {path}\n")
    return EXIT_OK


def _reindex(hub: Hub, out: TextIO) -> None:
    """Bring both vector indexes, and the explanation sentences, up to date with the database."""
    engine = _engine(hub)
    for report in engine.reports:
        out.write(report.summary() + f"; {report.encoded} texts encoded\n")
    out.write(f"Indexes saved in {hub.settings.index_dir} (model {engine.encoder.name})\n")


def cmd_reindex(hub: Hub, args: argparse.Namespace, out: TextIO) -> int:
    if args.force:
        for kind in IndexKind:
            shutil.rmtree(index_folder(hub.settings.index_dir, kind), ignore_errors=True)
    _reindex(hub, out)
    return EXIT_OK


def _size(size: int) -> str:
    return f"{size / 1e6:.1f} MB" if size >= 100_000 else f"{size / 1e3:.1f} kB"


def cmd_backup(hub: Hub, args: argparse.Namespace, out: TextIO) -> int:
    path = Path(args.file)
    update, close = _progress_bar("Backing up")
    try:
        written = Services(hub).backup(SYSTEM, path, progress=update)
    except (BackupError, OSError) as error:
        reason = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
        out.write(f"Cannot write the backup to {path}: {reason}. Choose a folder you may write to.\n")
        return EXIT_INVALID
    finally:
        close()
    out.write(
        f"Backed up {written.rows} rows of {len(written.tables)} tables to {path} ({_size(written.size)}, "
        f"schema {written.schema}). Search vectors are not in the file: a restore rebuilds them.\n"
    )
    return EXIT_OK


def cmd_restore(hub: Hub, args: argparse.Namespace, out: TextIO) -> int:
    path = Path(args.file)
    where = hub.engine.url.render_as_string(hide_password=True)
    services = Services(hub, refresh=lambda: _reindex(hub, out))
    update, close = _progress_bar("Restoring")
    try:
        restored = services.restore(SYSTEM, path, replace=args.replace, index=False, progress=update)
    except NotEmpty as error:
        out.write(
            f"Cannot restore: the database at {where} is not empty ({error.listing}). Restore into an "
            "empty database (point HUB_DATABASE_URL at a new one), or run again with --replace to "
            "delete everything in it and put the backup in its place.\n"
        )
        return EXIT_INVALID
    except BackupError as error:
        out.write(f"Cannot restore: {error}.\n")
        return EXIT_INVALID
    finally:
        close()
    header = restored.header
    replaced = "; the rows it held before were deleted" if restored.replaced else ""
    out.write(
        f"Restored {restored.rows} rows of {len(restored.tables)} tables from {path} (backed up "
        f"{header.created_at} from {header.source.get('database', '?')}, schema {header.schema}) "
        f"into {where}{replaced}.\n"
    )
    out.write("Rebuilding the search indexes from the restored rows (backups hold no vectors).\n")
    services.reindex(SYSTEM)
    return EXIT_OK


def _engine(hub: Hub) -> MatchingEngine:
    bars: dict[str, tuple[Callable[[int, int], None], Callable[[], None]]] = {}

    def progress(kind: str, done: int, total: int) -> None:
        if kind not in bars:
            bars[kind] = _progress_bar(f"Embedding {kind}")
        bars[kind][0](done, total)

    try:
        return open_engine(hub, open_encoder(hub.settings), progress)
    finally:
        for _, close in bars.values():
            close()


def _print_result(result: MatchResult, label_key: str, args: argparse.Namespace, out: TextIO) -> None:
    if args.json:
        out.write(
            json.dumps([m.as_json(label_key) for m in result.items], ensure_ascii=False, indent=1) + "\n"
        )
        return
    for rank, match in enumerate(result.items, start=1):
        out.write(f"{rank:>2}. [{match.id} {match.external_id}] {match.label}\n    {match.explanation()}\n")
    if result.note:
        out.write(result.note.render() + "\n")


def cmd_match(hub: Hub, args: argparse.Namespace, out: TextIO) -> int:
    find = repository.find_investor if args.side == "investor" else repository.find_project
    with hub.sessions() as session:
        row = find(session, args.id)
        found = None if row is None else row.id
    if found is None:
        out.write(f"No {args.side} with database id or external_id '{args.id}'.\n")
        return EXIT_INVALID
    matcher = _engine(hub).matcher
    try:
        if args.side == "investor":
            result, label_key = matcher.projects_for_investor(found, top=args.top), "title"
        elif args.side == "project":
            result, label_key = matcher.investors_for_project(found, top=args.top), "name"
        else:
            result, label_key = matcher.similar_projects(found, top=args.top), "title"
    except LookupError as error:
        out.write(f"Cannot match: {error}.\n")
        return EXIT_INVALID
    _print_result(result, label_key, args, out)
    return EXIT_OK


def cmd_search(hub: Hub, args: argparse.Namespace, out: TextIO) -> int:
    matcher = _engine(hub).matcher
    if args.kind == "projects":
        _print_result(matcher.search_projects(args.text, top=args.top), "title", args, out)
    else:
        _print_result(matcher.search_investors(args.text, top=args.top), "name", args, out)
    return EXIT_OK


def _marked_section(path: Path, name: str) -> str:
    """The text between ``<!-- name:start -->`` and ``<!-- name:end -->`` in ``path``, markers
    included ("" when the file or the section is missing)."""
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    if start not in text or end not in text:
        return ""
    return text[text.index(start) : text.index(end) + len(end)]


def cmd_bench(hub: Hub, args: argparse.Namespace, out: TextIO) -> int:
    from hub.bench import run_bench  # heavy, and only needed here

    sizes = [int(size) for size in args.sizes.split(",") if size.strip()]
    report = run_bench(hub.settings, sizes, args.queries, say=lambda line: print(line, file=sys.stderr))
    out.write(report)
    if args.output:
        path = Path(args.output)
        path.parent.mkdir(parents=True, exist_ok=True)
        kept = _marked_section(path, "load")  # benchmarks/load.py's section: not this run's to replace
        path.write_text(report + (f"\n{kept}\n" if kept else ""), encoding="utf-8")
        out.write(f"\nReport written to {args.output}\n")
    return EXIT_OK


def cmd_evaluate(hub: Hub, args: argparse.Namespace, out: TextIO) -> int:
    import tempfile

    from hub.evaluation import (
        EvalSet,
        beside_demo_markdown,
        evaluate,
        evaluate_beside_demo,
        evaluate_corpus,
        evaluate_generalists,
    )
    from hub.evaluation_listings import evaluate_duplicates, evaluate_suggester

    folder = hub.settings.reference_dir / "eval"
    path = Path(args.file) if args.file else folder / "matching_eval.json"
    if not path.exists():
        out.write(f"No evaluation set at {path}.\n")
        return EXIT_INVALID
    encoder = open_encoder(hub.settings)
    eval_set, reference_dir = EvalSet.load(path), hub.settings.reference_dir
    with tempfile.TemporaryDirectory(prefix="hubmatch-eval-") as folder_name:
        workdir = Path(folder_name)
        out.write(evaluate(eval_set, encoder, workdir / "set", reference_dir).markdown() + "\n\n")
        if args.file:  # another labelled set: the checks below are tied to the bundled data
            return EXIT_OK
        if (folder / "public_corpus.json").exists():
            corpus = evaluate_corpus(
                folder / "public_corpus.json", encoder, workdir / "corpus", reference_dir
            )
            out.write(corpus.markdown() + "\n\n")
        groups = ("startup", "two_cities", "required_only")
        beside = evaluate_beside_demo(eval_set, encoder, workdir / "beside", reference_dir, groups)
        out.write(beside_demo_markdown(beside) + "\n\n")
        if (folder / "generalist_eval.json").exists():
            generalists = evaluate_generalists(
                folder / "generalist_eval.json", encoder, workdir / "demo", reference_dir
            )
            out.write(generalists.markdown() + "\n")
    if (folder / "sector_eval.json").exists():
        out.write(
            "\n" + evaluate_suggester(folder / "sector_eval.json", encoder, reference_dir).markdown() + "\n"
        )
    if (folder / "duplicate_eval.json").exists():
        duplicates = evaluate_duplicates(
            folder / "duplicate_eval.json", encoder, reference_dir, hub.settings.demo_seed
        )
        out.write("\n" + duplicates.markdown() + "\n")
    return EXIT_OK


def cmd_stats(hub: Hub, args: argparse.Namespace, out: TextIO) -> int:
    reference = hub.reference
    with hub.sessions() as session:
        stats = {
            "projects": repository.count_projects(session),
            "investors": repository.count_investors(session),
            "regions_with_projects": repository.regions_with_projects(session),
            "projects_per_country": dict(repository.projects_per_country(session)),
            "projects_per_sector": dict(repository.projects_per_sector(session)),
            "projects_per_status": dict(repository.projects_per_status(session)),
            "investors_per_type": dict(repository.investors_per_type(session)),
        }
    if args.json:
        out.write(json.dumps(stats, indent=2) + "\n")
        return EXIT_OK
    out.write(
        f"{stats['projects']} projects in {stats['regions_with_projects']} of "
        f"{len(reference.regions)} regions; {stats['investors']} investors\n"
    )

    def table(title: str, counts: dict[str, int], names: Callable[[str], str]) -> None:
        out.write(f"\n{title}\n")
        for key, count in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
            out.write(f"  {names(key):<48} {count:>6}\n")

    table("Projects per country", stats["projects_per_country"], lambda c: reference.countries[c].name_en)
    table("Projects per sector", stats["projects_per_sector"], lambda s: reference.sectors[s].name_en)
    table("Projects per status", stats["projects_per_status"], str)
    table("Investors per type", stats["investors_per_type"], str)
    return EXIT_OK


def cmd_i18n(hub: Hub, args: argparse.Namespace, out: TextIO) -> int:
    """Coverage of each interface language (``--update`` first merges new keys into the ``.po``)."""
    english = catalogues.source(MESSAGES["en"])
    if args.update:
        catalogues.update(english)
    out.write(f"{len(english)} interface texts and sentences (English, the source)\n")
    for language in lang.LANGUAGES[1:]:
        share = catalogues.coverage(language, english)
        where = catalogues.catalogue_path(language).relative_to(PROJECT_ROOT)
        out.write(f"  {language}: {share:.1%} translated ({where})\n")
    return EXIT_OK


def _add_user_commands(commands: argparse._SubParsersAction) -> None:
    user = commands.add_parser("user", help="manage accounts")
    user_commands = user.add_subparsers(dest="user_command", required=True)
    create = user_commands.add_parser(
        "create",
        help="create an account (the only way, with the admin page, to make staff and admin accounts)",
    )
    create.add_argument("--email", required=True)
    create.add_argument("--password", required=True, help=f"at least {MIN_PASSWORD} characters")
    create.add_argument("--role", required=True, choices=list(ROLE_NAMES))
    create.add_argument("--name", help="the name shown with the account (default: the email's first part)")
    create.add_argument("--organisation")
    create.set_defaults(run=cmd_user_create)


def _add_backup_commands(commands: argparse._SubParsersAction) -> None:
    backup = commands.add_parser(
        "backup",
        help="write the whole database (accounts and the audit log included) to a portable file",
        description="A gzip-compressed JSON Lines file, read in one snapshot while the app runs; "
        "restorable into SQLite or PostgreSQL. Search vectors are not stored: a restore rebuilds them.",
    )
    backup.add_argument("file", help="the file to write, e.g. hubmatch-2026-11-30.jsonl.gz")
    backup.set_defaults(run=cmd_backup)

    restore = commands.add_parser(
        "restore",
        help="load a backup into the configured database, then rebuild the search indexes",
        description="All or nothing, keeping the backup's ids. The database must be empty (a new "
        "one, as `init` makes it) unless --replace is given.",
    )
    restore.add_argument("file", help="a file written by `python -m hub backup`")
    restore.add_argument(
        "--replace", action="store_true", help="delete everything in the database first (irreversible)"
    )
    restore.set_defaults(run=cmd_restore)


def _count(text: str) -> int:
    """A --top value: a whole number from 1 to 1000, or argparse's clear refusal."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number: give e.g. 10") from None
    if not 1 <= value <= 1000:
        raise argparse.ArgumentTypeError(f"{value} is out of range: give a number from 1 to 1000")
    return value


def _add_database_commands(commands: argparse._SubParsersAction) -> None:
    init = commands.add_parser(
        "init",
        help="create the database schema, or upgrade an existing database to this release's (migrations)",
        description="Idempotent. Upgrades run in one transaction (on PostgreSQL) under a lock, so "
        "running it while instances start is safe. Back up first: python -m hub backup FILE.",
    )
    init.set_defaults(run=cmd_init)

    health = commands.add_parser(
        "health",
        help="exit 0 if the database answers and its schema is current (for health checks)",
        description="Changes nothing. Exit 1, with the reason on one line, when the database does "
        "not answer or needs `init`.",
    )
    health.set_defaults(run=None)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m hub",
        description="HubMatch: investor and project matchmaking for Astana, Central Asia and the "
        "Russian border regions. The database comes from HUB_DATABASE_URL (default: an SQLite "
        "file in the per-user data folder).",
    )
    parser.add_argument(
        "--lang",
        choices=lang.LANGUAGES,
        default=os.environ.get("HUB_LANG") or None,
        help="the language of messages and reports (default: HUB_LANG, else English)",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    _add_database_commands(commands)

    seed = commands.add_parser("seed", help="load the demo data set (idempotent)")
    seed.set_defaults(run=cmd_seed)

    imp = commands.add_parser(
        "import",
        help="import investors or projects from .csv, .xlsx or .json",
        description="Checks every row first. By default all-or-nothing: if any row is invalid, "
        "nothing is imported, every bad row is listed and the exit code is 1. Rows whose "
        "external_id already exists update the stored row.",
    )
    imp.add_argument("kind", choices=[k.value for k in Kind])
    imp.add_argument("file", help="path to a .csv, .xlsx or .json file in the import template")
    imp.add_argument(
        "--skip-invalid",
        action="store_true",
        help="import the valid rows, report the invalid ones, and exit 0",
    )
    imp.add_argument(
        "--as-draft",
        action="store_true",
        help="projects: store a row that is incomplete for its status as a draft and list what it "
        "still needs (only external_id and title columns are required); wrong values still fail",
    )
    imp.add_argument("--sheet", help="the workbook sheet to import, when several hold data")
    imp.add_argument(
        "--confirm-contact-changes",
        action="store_true",
        help="projects: allow rows to replace the contact email of listings their owners manage "
        "(check with the owners first)",
    )
    imp.add_argument(
        "--no-index",
        action="store_true",
        help="do not update the search indexes now (for bulk loads; run reindex afterwards)",
    )
    imp.set_defaults(run=cmd_import)

    exp = commands.add_parser("export", help="export investors or projects to .csv, .xlsx or .json")
    exp.add_argument("kind", choices=[k.value for k in Kind])
    exp.add_argument("file", help="target file; the format follows its suffix")
    exp.set_defaults(run=cmd_export)

    reindex = commands.add_parser(
        "reindex",
        help="bring the vector indexes of projects and investors up to date with the database",
        description="Embeds new and changed texts only (cached per model and text); a missing, "
        "corrupt or other-model index is rebuilt. --force rebuilds from the cache.",
    )
    reindex.add_argument("--force", action="store_true", help="discard the saved indexes first")
    reindex.set_defaults(run=cmd_reindex)

    match = commands.add_parser(
        "match",
        help="rank and explain matches: investor -> projects, project -> investors, similar projects",
        description="ID is the database id or the external_id. Only published projects and active "
        "investors are matched; fewer results than --top means fewer pass the hard constraints.",
    )
    match.add_argument("side", choices=["investor", "project", "similar"])
    match.add_argument("id", help="database id or external_id")
    match.add_argument("--top", type=_count, default=10, help="how many results, 1-1000 (default 10)")
    match.add_argument("--json", action="store_true", help="print a JSON list instead of text")
    match.set_defaults(run=cmd_match)

    search = commands.add_parser("search", help="free-text semantic search over projects or investors")
    search.add_argument("text", help="what to look for, in English, Russian or another supported language")
    search.add_argument("--kind", choices=["projects", "investors"], default="projects")
    search.add_argument("--top", type=_count, default=10, help="how many results, 1-1000 (default 10)")
    search.add_argument("--json", action="store_true", help="print a JSON list instead of text")
    search.set_defaults(run=cmd_search)

    bench = commands.add_parser(
        "bench",
        help="measure encoding, re-indexing, match latency at 1k-1M projects, recall, memory, quality",
        description="Runs on a temporary copy of the demo data; prints a Markdown report. The 1M size "
        "builds an HNSW graph (several minutes on 2 cores) and needs about 8 GB of memory.",
    )
    bench.add_argument("--sizes", default="1000,10000,100000,1000000", help="comma-separated project counts")
    bench.add_argument("--queries", type=int, default=200, help="investor queries per size (default 200)")
    bench.add_argument("--output", help="also write the report to this file, e.g. benchmarks/RESULTS.md")
    bench.set_defaults(run=cmd_bench)

    evaluate = commands.add_parser(
        "evaluate", help="matching quality on the labelled set: BM25 vs semantic vs full ranking"
    )
    evaluate.add_argument("--file", help="evaluation set (default data/eval/matching_eval.json)")
    evaluate.set_defaults(run=cmd_evaluate)

    _add_user_commands(commands)
    _add_backup_commands(commands)

    i18n = commands.add_parser(
        "i18n", help="how much of the interface each language covers; --update merges new keys"
    )
    i18n.add_argument(
        "--update", action="store_true", help="write hub/locale/hub.pot and merge new keys into ru and kk"
    )
    i18n.set_defaults(run=cmd_i18n)

    stats = commands.add_parser("stats", help="counts per country, sector and status")
    stats.add_argument("--json", action="store_true", help="print the counts as JSON")
    stats.set_defaults(run=cmd_stats)
    return parser


def main(
    argv: Sequence[str] | None = None, *, settings: Settings | None = None, out: TextIO | None = None
) -> int:
    """Run one command; returns the process exit code."""
    args = build_parser().parse_args(argv)
    lang.use(args.lang)
    out = out or sys.stdout
    if args.command == "health":
        return cmd_health(settings, out)
    try:
        hub = open_hub(settings)
    except DatabaseUnavailable as error:
        out.write(f"{error}\n")
        return EXIT_INVALID
    try:
        return args.run(hub, args, out)
    finally:
        hub.engine.dispose()
