"""``python -m hub backup`` and ``restore``: the whole database to a portable file and back, between
SQLite and PostgreSQL, with the search indexes rebuilt rather than stored.

Self-contained on purpose: the demo source is seeded here once per module and PostgreSQL databases
are made by a small local fixture, so these tests choose each side's backend themselves."""

from __future__ import annotations

import gzip
import io
import json
import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

from hub.accounts import NewAccount, actor_of
from hub.actors import SYSTEM, Actor
from hub.backup import FORMAT, BackupError, NotEmpty, read_header, write_backup
from hub.cli import EXIT_INVALID, EXIT_OK, main
from hub.config import PROJECT_ROOT, Settings
from hub.context import Hub, open_hub
from hub.demo import seed_demo
from hub.matching import ProjectFilters
from hub.models import Account, AuditEvent, Investor, Project
from hub.services import Forbidden, Services
from hub.vocab import AifcLink, ReviewReason, Role, Status

DATA = PROJECT_ROOT / "data"
POSTGRES_ENV = "HUB_TEST_POSTGRES_URL"
PASSWORD = "correct horse battery staple"


def _settings(folder: Path, url: str | None = None) -> Settings:
    folder.mkdir(parents=True, exist_ok=True)
    return Settings(data_dir=folder, database_url=url or f"sqlite:///{folder / 'hub.db'}", reference_dir=DATA)


def run(settings: Settings, *argv: str) -> tuple[int, str]:
    out = io.StringIO()
    code = main(list(argv), settings=settings, out=out)
    return code, out.getvalue()


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A new, empty PostgreSQL database of this test's own (dropped afterwards)."""
    admin_url = os.environ.get(POSTGRES_ENV)
    if not admin_url:
        pytest.skip(
            f"backup portability to PostgreSQL needs {POSTGRES_ENV} "
            "(e.g. postgresql+psycopg://postgres@127.0.0.1:5432/test)"
        )
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    name = f"hubmatch_test_{uuid.uuid4().hex[:12]}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _enrich(hub: Hub) -> None:
    """What the demo data lacks: an account with a password and its sign-in, an interest accepted
    into an introduction, a review, an AIFC check and a saved search (each audited)."""
    services = Services(hub)
    services.create_user(
        SYSTEM, NewAccount("restorer@hub.example", PASSWORD, Role.ADMIN, "Әлия «Restorer» 🌱")
    )
    services.log_in("restorer@hub.example", PASSWORD)
    with hub.sessions() as session:
        investor = actor_of(
            session.scalars(
                select(Account).where(Account.role == Role.INVESTOR, Account.investor_id.is_not(None))
            ).first()
        )
        project = session.scalars(
            select(Project).where(Project.status == Status.PUBLISHED, Project.owner_account_id.is_not(None))
        ).first()
        owner = actor_of(session.get(Account, project.owner_account_id))
        submitted = session.scalars(select(Project).where(Project.status == Status.SUBMITTED)).first().id
        aifc = session.scalars(select(Project).where(Project.aifc_link != AifcLink.NONE)).first().id
    staff = Actor("staff@hubmatch.example", Role.HUB_STAFF)
    services.express_interest(investor, project.id, "interested", note='Давайте обсудим — "terms"\n2nd line')
    with hub.sessions() as session:
        interest_id = session.execute(text("SELECT max(id) FROM interests")).scalar_one()
    services.accept_interest(owner, interest_id)
    services.save_search(
        investor,
        "Green, Astana",
        "солнечная энергия",
        ProjectFilters(countries=("KZ",), ask_max_usd=2_500_000.5),
    )
    services.review(staff, submitted, Status.CHANGES_REQUESTED, reason=ReviewReason.INCOMPLETE, note="ask?")
    services.verify_aifc(staff, aifc, verified=True, note="AFSA register, 2026")


@pytest.fixture(scope="module")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An SQLite file with the demo data and ``_enrich``'s rows, made once for this module."""
    folder = tmp_path_factory.mktemp("backup-source")
    opened = open_hub(_settings(folder))
    seed_demo(opened.sessions, opened.reference, DATA, seed=2017)
    _enrich(opened)
    opened.engine.dispose()
    return folder / "hub.db"


@pytest.fixture
def sqlite_source(tmp_path: Path, sqlite_template: Path) -> Settings:
    """Settings over a private copy of the enriched demo database."""
    settings = _settings(tmp_path / "source")
    shutil.copy(sqlite_template, tmp_path / "source" / "hub.db")
    return settings


def _sections(path: Path) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """A backup's header, and each table's lines (its column line first) exactly as written."""
    with gzip.open(path, "rt", encoding="utf-8", newline="\n") as lines:
        header = json.loads(next(lines))
        tables: dict[str, list[str]] = {}
        current: list[str] = []
        for line in lines:
            item = json.loads(line)
            if isinstance(item, dict) and "table" in item:
                current = tables.setdefault(item["table"], [])
            elif isinstance(item, dict):
                assert item == {"end": FORMAT, "rows": sum(t["rows"] for t in header["tables"])}
                continue
            current.append(line)
    return header, tables


def _assert_same_export(first: Path, second: Path, *, restored_from: Path) -> None:
    """``second`` (a backup of the database ``first`` was restored into) holds exactly what
    ``first`` holds, line for line, plus the one audit event the restore wrote after them."""
    header_a, tables_a = _sections(first)
    header_b, tables_b = _sections(second)
    assert {k: v for k, v in header_a.items() if k not in {"created_at", "source", "tables"}} == {
        k: v for k, v in header_b.items() if k not in {"created_at", "source", "tables"}
    }
    assert list(tables_a) == list(tables_b)
    for name in tables_a:
        if name != "audit_events":
            assert tables_b[name] == tables_a[name], f"table {name} differs"
    events_a, events_b = tables_a["audit_events"], tables_b["audit_events"]
    assert events_b[1 : len(events_a)] == events_a[1:]
    (extra,) = events_b[len(events_a) :]
    event = json.loads(extra)
    assert event[0] == json.loads(events_a[-1])[0] + 1  # the next id
    assert event[2:4] == ["system", "backup.restore"]
    assert event[6]["file"] == restored_from.name and event[6]["rows"] == sum(
        len(t) - 1 for t in tables_a.values()
    )
    rows_a = {t["name"]: t["rows"] for t in header_a["tables"]}
    assert {t["name"]: t["rows"] for t in header_b["tables"]} == {
        **rows_a,
        "audit_events": rows_a["audit_events"] + 1,
    }


def _count(hub: Hub, model: type) -> int:
    with hub.sessions() as session:
        return session.scalar(select(func.count()).select_from(model))


@pytest.mark.postgres
def test_a_round_trip_sqlite_to_postgresql_gives_an_identical_export(
    sqlite_source: Settings, postgres_url: str, tmp_path: Path
) -> None:
    code, output = run(sqlite_source, "backup", str(tmp_path / "a.jsonl.gz"))
    assert code == EXIT_OK, output
    assert "Backed up" in output and "tables to" in output and "a restore rebuilds them" in output

    target = open_hub(_settings(tmp_path / "target", postgres_url))
    try:
        restored = Services(target).restore(SYSTEM, tmp_path / "a.jsonl.gz")
        assert restored.header.source["database"] == "sqlite"
        Services(target).backup(SYSTEM, tmp_path / "b.jsonl.gz")
    finally:
        target.engine.dispose()
    _assert_same_export(
        tmp_path / "a.jsonl.gz", tmp_path / "b.jsonl.gz", restored_from=tmp_path / "a.jsonl.gz"
    )
    assert read_header(tmp_path / "b.jsonl.gz").source["database"] == "postgresql"
    # the file holds what the demo lacks: a password hash, an introduction, a saved search's JSON
    _, tables = _sections(tmp_path / "b.jsonl.gz")
    assert any("$argon2id$" in line for line in tables["accounts"])
    assert len(tables["introductions"]) == 2 and len(tables["saved_searches"]) == 2
    assert '"countries":["KZ"]' in tables["saved_searches"][1] and "2500000.5" in tables["saved_searches"][1]
    assert not any(name.startswith("change_") for name in tables)


@pytest.mark.postgres
def test_a_round_trip_postgresql_to_sqlite_gives_an_identical_export(
    postgres_url: str, tmp_path: Path
) -> None:
    source = open_hub(_settings(tmp_path / "source", postgres_url))
    try:
        seed_demo(source.sessions, source.reference, DATA, seed=2017)
        _enrich(source)
        Services(source).backup(SYSTEM, tmp_path / "a.jsonl.gz")
    finally:
        source.engine.dispose()
    target = open_hub(_settings(tmp_path / "target"))
    try:
        Services(target).restore(SYSTEM, tmp_path / "a.jsonl.gz")
        Services(target).backup(SYSTEM, tmp_path / "b.jsonl.gz")
    finally:
        target.engine.dispose()
    _assert_same_export(
        tmp_path / "a.jsonl.gz", tmp_path / "b.jsonl.gz", restored_from=tmp_path / "a.jsonl.gz"
    )
    assert read_header(tmp_path / "a.jsonl.gz").source["database"] == "postgresql"


def test_two_backups_of_the_same_data_differ_only_in_the_header(
    sqlite_source: Settings, tmp_path: Path
) -> None:
    hub = open_hub(sqlite_source)
    try:
        for name in ("one", "two"):
            with hub.sessions() as session:
                write_backup(session, tmp_path / f"{name}.jsonl.gz")
        Services(hub).backup(SYSTEM, tmp_path / "three.jsonl.gz")
        with hub.sessions() as session:
            last = session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    finally:
        hub.engine.dispose()
    one, two = (
        gzip.decompress((tmp_path / f"{n}.jsonl.gz").read_bytes()).split(b"\n", 1) for n in ("one", "two")
    )
    assert one[1] == two[1] and one[0] != two[0]  # created_at differs
    # the service records the backup once the file is written: the next backup holds the event
    assert (last.action, last.actor, last.details["file"]) == ("backup.create", "system", "three.jsonl.gz")
    assert _sections(tmp_path / "three.jsonl.gz")[1] == _sections(tmp_path / "one.jsonl.gz")[1]


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def source(request: pytest.FixtureRequest, sqlite_source: Settings, tmp_path: Path) -> Settings:
    """The enriched demo on SQLite, or the same restored into PostgreSQL."""
    if request.param == "sqlite":
        return sqlite_source
    url = request.getfixturevalue("postgres_url")
    assert run(sqlite_source, "backup", str(tmp_path / "demo.jsonl.gz"))[0] == EXIT_OK
    opened = open_hub(_settings(tmp_path / "pg", url))
    Services(opened).restore(SYSTEM, tmp_path / "demo.jsonl.gz")
    opened.engine.dispose()
    return _settings(tmp_path / "pg", url)


def test_a_backup_is_one_moment_of_the_database_while_others_write(source: Settings, tmp_path: Path) -> None:
    hub = open_hub(source)
    accounts_before = _count(hub, Account)
    written: list[str] = []

    def write_meanwhile(done: int, total: int) -> None:  # called after each batch the backup read
        if not written:
            Services(hub).create_user(
                SYSTEM, NewAccount("meanwhile@hub.example", PASSWORD, Role.INVESTOR, "M")
            )
            written.append("meanwhile@hub.example")

    try:
        backup = Services(hub).backup(SYSTEM, tmp_path / "b.jsonl.gz", progress=write_meanwhile)
        assert written and _count(hub, Account) == accounts_before + 1
    finally:
        hub.engine.dispose()
    _, tables = _sections(tmp_path / "b.jsonl.gz")
    assert backup.tables["accounts"] == accounts_before == len(tables["accounts"]) - 1
    assert not any("meanwhile@hub.example" in line for line in tables["accounts"])


def test_restore_refuses_a_database_that_is_not_empty_and_says_how(
    sqlite_source: Settings, tmp_path: Path
) -> None:
    code, _ = run(sqlite_source, "backup", str(tmp_path / "a.jsonl.gz"))
    assert code == EXIT_OK
    code, output = run(sqlite_source, "restore", str(tmp_path / "a.jsonl.gz"))
    assert code == EXIT_INVALID and "Traceback" not in output
    assert output.startswith("Cannot restore: the database at sqlite:///") and "is not empty (" in output
    assert "projects: 620" in output and "investors: 160" in output and "--replace" in output
    hub = open_hub(sqlite_source)
    try:
        assert _count(hub, Project) == 620
        with pytest.raises(NotEmpty):
            Services(hub).restore(SYSTEM, tmp_path / "a.jsonl.gz")
        restored = Services(hub).restore(SYSTEM, tmp_path / "a.jsonl.gz", replace=True)
        assert restored.replaced["projects"] == 620 and _count(hub, Project) == 620
        Services(hub).backup(SYSTEM, tmp_path / "b.jsonl.gz")
    finally:
        hub.engine.dispose()
    _assert_same_export(
        tmp_path / "a.jsonl.gz", tmp_path / "b.jsonl.gz", restored_from=tmp_path / "a.jsonl.gz"
    )


def _newer(path: Path, target: Path, **changes: object) -> Path:
    """A copy of the backup at ``path`` whose header says ``changes``."""
    with gzip.open(path, "rt", encoding="utf-8", newline="\n") as source, gzip.open(target, "wt") as out:
        out.write(json.dumps({**json.loads(next(source)), **changes}) + "\n")
        shutil.copyfileobj(source, out)
    return target


def test_a_file_that_is_not_a_restorable_backup_is_refused_cleanly(
    sqlite_source: Settings, tmp_path: Path
) -> None:
    good = tmp_path / "good.jsonl.gz"
    assert run(sqlite_source, "backup", str(good))[0] == EXIT_OK
    data = good.read_bytes()
    (tmp_path / "notes.txt").write_text("Meeting notes\nnothing to see\n", encoding="utf-8")
    (tmp_path / "random.bin").write_bytes(bytes(range(256)) * 64)
    (tmp_path / "other.json.gz").write_bytes(gzip.compress(b'{"format": "something-else"}\n'))
    (tmp_path / "cut.jsonl.gz").write_bytes(data[: len(data) // 2])
    plain = gzip.decompress(data).split(b"\n")
    (tmp_path / "no-end.jsonl.gz").write_bytes(gzip.compress(b"\n".join(plain[:-2]) + b"\n"))
    at = plain.index(next(line for line in plain if line.startswith(b'{"table":"investors"'))) + 1
    row = json.loads(plain[at])
    row[7] = 12.5  # ticket_min: money is written as an exact decimal string, never a float
    plain[at] = json.dumps(row).encode()
    (tmp_path / "bad-row.jsonl.gz").write_bytes(gzip.compress(b"\n".join(plain)))
    newer_schema = _newer(good, tmp_path / "schema.jsonl.gz", schema="0999").name
    newer_format = _newer(good, tmp_path / "format.jsonl.gz", version=2).name
    cases = {
        "missing.jsonl.gz": "does not exist: give the path of a backup file",
        "notes.txt": "is not a HubMatch backup",
        "random.bin": "is not a HubMatch backup",
        "other.json.gz": "is not a HubMatch backup",
        "cut.jsonl.gz": "is damaged or incomplete",
        "bad-row.jsonl.gz": f"is damaged or incomplete: line {at + 1}, a row of investors: 12.5 is not",
        "no-end.jsonl.gz": "is damaged or incomplete: it ends before its last line",
        newer_schema: "schema 0999, newer than this release's",
        newer_format: "written by a newer HubMatch (backup format 2",
    }
    target = _settings(tmp_path / "target")
    for name, message in cases.items():
        code, output = run(target, "restore", str(tmp_path / name))
        assert code == EXIT_INVALID, name
        assert output.startswith("Cannot restore: ") and message in output, (name, output)
        assert "Traceback" not in output and output.count("\n") == 1, output
    hub = open_hub(target)  # nothing of the damaged files was kept: all or nothing
    try:
        assert _count(hub, Project) == _count(hub, Account) == _count(hub, AuditEvent) == 0
    finally:
        hub.engine.dispose()


def test_backup_and_restore_are_for_administrators_only(sqlite_source: Settings, tmp_path: Path) -> None:
    hub = open_hub(sqlite_source)
    try:
        staff = Actor("staff@hubmatch.example", Role.HUB_STAFF)
        with pytest.raises(Forbidden):
            Services(hub).backup(staff, tmp_path / "a.jsonl.gz")
        with pytest.raises(Forbidden):
            Services(hub).restore(staff, tmp_path / "a.jsonl.gz", replace=True)
        assert not (tmp_path / "a.jsonl.gz").exists()
        with pytest.raises(BackupError):
            Services(hub).restore(SYSTEM, tmp_path / "a.jsonl.gz")
    finally:
        hub.engine.dispose()


@pytest.mark.postgres
def test_sequences_move_past_the_restored_ids_on_postgresql(
    sqlite_source: Settings, postgres_url: str, tmp_path: Path
) -> None:
    source = open_hub(sqlite_source)
    try:
        with source.sessions() as session:
            last_account = session.scalar(select(func.max(Account.id)))
            last_event = session.scalar(select(func.max(AuditEvent.id)))
            last_investor = session.scalar(select(func.max(Investor.id)))
        Services(source).backup(SYSTEM, tmp_path / "a.jsonl.gz")
    finally:
        source.engine.dispose()
    target = open_hub(_settings(tmp_path / "target", postgres_url))
    try:
        Services(target).restore(SYSTEM, tmp_path / "a.jsonl.gz")
        created = Services(target).create_user(
            SYSTEM, NewAccount("after-restore@hub.example", PASSWORD, Role.HUB_STAFF, "After")
        )
        assert created.account_id == last_account + 1
        with target.sessions() as session:
            events = session.execute(
                select(AuditEvent.id, AuditEvent.action)
                .where(AuditEvent.id > last_event)
                .order_by(AuditEvent.id)
            ).all()
            name = session.scalar(text("SELECT pg_get_serial_sequence('investors', 'id')"))
            sequence = tuple(session.execute(text(f"SELECT last_value, is_called FROM {name}")).one())
        # the restore's own event, then the new account's, each with the next id
        assert [action for _, action in events] == ["backup.restore", "account.created"]
        assert [i for i, _ in events] == list(range(last_event + 1, last_event + 1 + len(events)))
        assert sequence == (last_investor + 1, False)  # setval(…, max + 1, false): the next id
    finally:
        target.engine.dispose()


@pytest.mark.postgres
def test_the_command_line_restores_with_replace_rebuilds_the_index_and_matching_works(
    sqlite_source: Settings, postgres_url: str, tmp_path: Path
) -> None:
    # a slice of the demo: the rebuild below runs the real model over every restored text
    engine = create_engine(sqlite_source.resolved_database_url)
    with engine.begin() as connection:
        connection.exec_driver_sql("PRAGMA foreign_keys=ON")
        connection.exec_driver_sql("DELETE FROM projects WHERE id > 60")
        connection.exec_driver_sql("DELETE FROM investors WHERE id > 20")
    engine.dispose()
    assert run(sqlite_source, "backup", str(tmp_path / "a.jsonl.gz"))[0] == EXIT_OK
    target = _settings(tmp_path / "target", postgres_url)
    assert (
        run(
            target,
            "user",
            "create",
            "--email",
            "first@hub.example",
            "--password",
            PASSWORD,
            "--role",
            "admin",
        )[0]
        == 0
    )
    code, output = run(target, "restore", str(tmp_path / "a.jsonl.gz"))
    assert code == EXIT_INVALID and "accounts: 1" in output and "--replace" in output

    code, output = run(target, "restore", "--replace", str(tmp_path / "a.jsonl.gz"))
    assert code == EXIT_OK, output
    first = output.splitlines()[0]
    assert (
        first.startswith("Restored ")
        and "from sqlite" in first
        and "the rows it held before were deleted" in first
    )
    assert "Rebuilding the search indexes" in output and "Indexes saved in" in output
    assert "projects:" in output and "investors:" in output

    hub = open_hub(target)
    try:
        with hub.sessions() as session:
            assert session.scalar(select(func.count()).where(Account.email == "first@hub.example")) == 0
            project = session.scalars(
                select(Project).where(Project.status == Status.PUBLISHED).order_by(Project.id)
            ).first()
            investor = session.scalars(select(Investor).where(Investor.active).order_by(Investor.id)).first()
    finally:
        hub.engine.dispose()
    code, output = run(target, "match", "similar", project.external_id, "--json")
    assert code == EXIT_OK, output
    similar = json.loads(output)  # found by the rebuilt vectors
    assert (
        similar and all(m["similarity"] > 0 for m in similar) and project.id not in {m["id"] for m in similar}
    )
    code, output = run(target, "match", "investor", investor.external_id)
    assert code == EXIT_OK, output
