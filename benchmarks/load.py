"""Load: concurrent simulated users against the service layer, two app instances over PostgreSQL.

    python -m benchmarks.load [--users 50] [--duration 60] [--warmup 10] [--instances 2]
        [--think-ms 200] [--postgres postgresql+psycopg://postgres@127.0.0.1:5432/test]
        [--no-results] [--raw measurements.json]

Creates a fresh database on the PostgreSQL server (``--postgres``, or HUB_BENCH_POSTGRES_URL: an
admin URL; the database ``hubmatch_load_<uuid>`` is dropped at the end, also after a failure),
seeds the demo data, builds the search index once (``python -m hub reindex``) and copies the data
folder once per instance: as in production, each instance keeps its own index and embedding
cache. Each instance is a process of its own that opens the hub and its engine, follows the
change log, and runs its share of the users as threads, in a closed loop with a think time:

- investors: ``search`` (free text, English and Russian), ``match`` (their top 10) and
  ``express interest`` (the next step on the ladder for a project from their matches);
- project owners: ``submit`` (a complete new passport, a fresh external id each time);
- hub staff: ``curation decision`` (publish, send back or reject the oldest passport of the
  queue's share that is theirs: project id modulo the number of staff, so two never decide on
  the same passport). A publish brings the instance's index up to date inside the action.

Every exception is an error; the moves chosen are all valid, so no refusal is expected. Reports
throughput, p50 / p95 latency and errors per action, how long a publish on one instance takes to
become matchable on the other, and the instances' index catch-ups; prints a Markdown section and
puts it in ``benchmarks/RESULTS.md`` between ``<!-- load:start -->`` and ``<!-- load:end -->``.
Exits 1 when any action failed.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import logging
import multiprocessing
import os
import platform
import random
import shutil
import sys
import tempfile
import threading
import time
import traceback
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import astuple, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

from hub.actors import SYSTEM, Actor

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
START, END = "<!-- load:start -->", "<!-- load:end -->"
ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
ACTIONS = ("search", "match", "express interest", "submit", "curation decision")
INVESTOR_MIX = (("search", 0.40), ("match", 0.35), ("express interest", 0.25))
DECISIONS = (("published", 0.60), ("changes_requested", 0.25), ("rejected", 0.15))
SHOWN_ERRORS = 3  # tracebacks printed per instance
LAG_GRACE_S = 20.0  # after the run, how long instances keep watching for the other's publishes

TOPICS = (
    "electric buses and charging depots for city public transport",
    "smart traffic lights and transport dispatch",
    "telemedicine for rural clinics",
    "diagnostic imaging centre",
    "vocational training and digital skills for young people",
    "school construction public-private partnership",
    "video surveillance and emergency response for public safety",
    "e-government services and open data portal",
    "energy-efficient building retrofit and BIM",
    "district heating modernisation",
    "solar power plant with storage",
    "water supply and wastewater treatment",
    "agritech greenhouse and cold storage",
    "fintech payments for small businesses",
    "электробусы и зарядная инфраструктура для общественного транспорта",
    "умный город: управление дорожным движением",
    "телемедицина для сельских поликлиник",
    "строительство школ по схеме ГЧП",
    "энергоэффективность зданий и BIM-проектирование",
    "модернизация теплоснабжения",
    "солнечная электростанция",
    "очистка сточных вод и водоснабжение",
    "цифровые государственные услуги",
    "обучение цифровым навыкам для молодёжи",
)
PLACES = (
    "",
    " in Astana",
    " in Almaty",
    " in Uzbekistan",
    " in Kyrgyzstan",
    " в Казахстане",
    " в Ташкенте",
    " в Караганде",
    " AIFC",
)


# --- wiring ------------------------------------------------------------------------------------


_local = threading.local()  # per user thread: what the last write's index catch-up did


def wire(hub: Any, engine: Any) -> Any:
    """Services over ``hub`` whose writes bring ``engine`` up to date, and the engine following
    what the other instances write (as ``hub.ui.resources`` wires the app). The refresh records
    when it was called: right after the write's commit."""
    from hub.services import Services

    def refresh() -> object:
        _local.committed_at = time.time()
        started = time.perf_counter()
        try:
            return engine.catch_up(wait=False)  # as the app does (hub.ui.resources.refresh_matcher)
        finally:
            _local.catch_up_s = time.perf_counter() - started

    engine.follow(hub.settings.sync_interval)
    return Services(hub, refresh=refresh)


@dataclass(frozen=True)
class CatchUp:
    """One index catch-up that applied something: when it began, how long it took in all, and of
    that: waiting for the engine's lock, rebuilding the matcher, the sentence pass."""

    started: float
    seconds: float
    thread: str
    read: int  # listings re-read
    rebuilt: bool  # a new matcher was swapped in (something matchable changed)
    waited: float
    build: float
    sentences: float


class _TimedLock:
    """The engine's lock, noting in the thread how long each acquisition waited."""

    def __init__(self, lock: Any) -> None:
        self.lock = lock

    def acquire(self, blocking: bool = True) -> bool:
        clock = time.perf_counter()
        taken = self.lock.acquire(blocking)
        _local.waited = getattr(_local, "waited", 0.0) + time.perf_counter() - clock
        return taken

    def release(self) -> None:
        self.lock.release()

    def __enter__(self) -> None:
        self.acquire()

    def __exit__(self, *_: object) -> None:
        self.release()


def _timed(name: str, method: Callable[..., Any]) -> Callable[..., Any]:
    def timed(*args: Any, **kwargs: Any) -> Any:
        clock = time.perf_counter()
        try:
            return method(*args, **kwargs)
        finally:
            setattr(_local, name, getattr(_local, name, 0.0) + time.perf_counter() - clock)

    return timed


def _time_catch_ups(engine: Any, log: list[CatchUp]) -> None:
    """Instrument the engine (the follower calls it through the instance too): each ``catch_up``
    that applied something is logged with what its time went on."""
    original = engine.catch_up
    engine._lock = _TimedLock(engine._lock)
    engine._build = _timed("build", engine._build)
    engine.warm_sentences = _timed("sentences", engine.warm_sentences)

    def catch_up(**options: Any) -> object:
        _local.waited = _local.build = _local.sentences = 0.0
        started, clock = time.time(), time.perf_counter()
        todo = original(**options)
        elapsed = time.perf_counter() - clock
        if todo is not None:
            log.append(
                CatchUp(
                    started,
                    elapsed,
                    threading.current_thread().name,
                    len(todo.projects) + len(todo.investors),
                    _local.build > 0,  # the matcher was rebuilt
                    _local.waited,
                    _local.build,
                    _local.sentences,
                )
            )
        return todo

    engine.catch_up = catch_up


# --- the users ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class User:
    number: int
    role: str  # investor, owner, staff
    actor: Actor
    templates: tuple[dict[str, Any], ...] = ()  # owner: passports to base submissions on
    share: int = 0  # staff: project id % staff == share
    staff: int = 1


@dataclass
class Plan:
    database_url: str
    users: list[User]
    warmup: float
    duration: float
    think_ms: float
    seed: int
    instances: int = 2


@dataclass
class Recorder:
    """Per action: (start unix time, seconds, ok); errors with their tracebacks."""

    samples: dict[str, list[tuple[float, float, bool]]] = field(default_factory=lambda: defaultdict(list))
    errors: list[str] = field(default_factory=list)
    publishes: list[tuple[int, float, float]] = field(default_factory=list)  # id, commit time, catch-up s
    idle: int = 0  # staff turns with nothing in their share of the queue
    fallbacks: int = 0  # express interest on a search result: the investor had no matches
    queries: set[str] = field(default_factory=set)  # searched for on this instance so far
    lock: threading.Lock = field(default_factory=threading.Lock)

    @contextlib.contextmanager
    def action(self, name: str, prefix: str, also: str | None = None) -> Iterator[None]:
        """Time the block as one ``name`` action (and under ``also``, a breakdown, if given)."""
        started, clock = time.time(), time.perf_counter()
        ok = True
        try:
            yield
        except Exception:
            ok = False
            with self.lock:
                self.errors.append(f"{prefix} {name}: {traceback.format_exc()}")
                if len(self.errors) <= SHOWN_ERRORS:
                    print(f"[load] {prefix} {name} failed:\n{traceback.format_exc()}", file=sys.stderr)
        finally:
            sample = (started, time.perf_counter() - clock, ok)
            with self.lock:
                self.samples[name].append(sample)
                if also is not None:
                    self.samples[also].append(sample)


def _passport(user: User, rng: random.Random, count: int, instance: int) -> dict[str, Any]:
    """A complete new passport after one of the owner's demo passports: a fresh external id, a
    title and a summary sentence of its own (so the index has a new text to embed)."""
    from hub.demo import DUPLICATE_KEY

    base = dict(rng.choice(user.templates))
    for key in ("status", DUPLICATE_KEY):
        base.pop(key, None)
    tag = uuid.uuid4().hex[:8]
    phase = count + 2
    second = (
        f"Фаза {phase} расширяет проект на новые площадки (заявка {tag})."
        if base.get("language") == "ru"
        else f"Phase {phase} extends the project to new sites (application {tag})."
    )
    return {
        **base,
        "external_id": f"LOAD-{instance}-{user.number}-{count}-{tag}",
        "title": f"{base['title']} — phase {phase}",
        "summary": f"{base['summary'].rstrip('.')}. {second}",
    }


@dataclass
class Running:
    """What the users of one instance share: the plan, the instance's services and engine, the
    recorder, and when to stop."""

    number: int
    plan: Plan
    services: Any
    engine: Any
    rec: Recorder
    stop_at: float


def _pick(rng: random.Random, weighted: tuple[tuple[str, float], ...]) -> str:
    roll = rng.random()
    for name, weight in weighted:
        if roll < weight:
            return name
        roll -= weight
    return weighted[-1][0]


class SimulatedUser:
    """One user in a closed loop: think, act, repeat until the end of the run."""

    def __init__(self, user: User, run: Running) -> None:
        self.user, self.run = user, run
        self.rng = random.Random(run.plan.seed * 1000 + user.number)
        self.prefix = f"instance {run.number + 1} {user.role} {user.number}"
        self.stages: dict[int, str] = {}  # investor: project id -> where their interest stands
        self.last: list[int] = []  # investor: project ids of the last matches (or search results)
        self.from_matches = False
        self.submitted = 0
        self.queries = [t + p for t in TOPICS for p in PLACES]

    def __call__(self) -> None:
        if self.user.role == "investor":
            from hub import repository

            with self.run.services.hub.sessions() as session:
                mine = repository.interests_of_investor(session, self.user.actor.investor_id)
                self.stages = {i.project_id: i.stage for i in mine}
        turn = {"investor": self.investor, "owner": self.owner, "staff": self.staff}[self.user.role]
        while time.time() < self.run.stop_at:
            time.sleep(self.rng.uniform(0, self.run.plan.think_ms) / 1000)
            if time.time() < self.run.stop_at:
                turn()

    def investor(self) -> None:
        from hub import interest
        from hub.vocab import DeclineReason, InterestStage

        rng, rec, matcher = self.rng, self.run.rec, self.run.engine.matcher
        choice = _pick(rng, INVESTOR_MIX)
        open_moves = [p for p in self.last if not _ended(self.stages.get(p))]
        if choice == "express interest" and not open_moves:
            choice = "match"
        if choice == "search":
            query = rng.choice(self.queries)
            with rec.lock:  # a query new to this instance is embedded by the model, else cached
                kind = "search: repeated query" if query in rec.queries else "search: new query"
                rec.queries.add(query)
            with rec.action("search", self.prefix, also=kind):
                found = matcher.search_projects(query, top=10)
                if not self.from_matches or not self.last:
                    self.last, self.from_matches = [m.id for m in found.items], False
        elif choice == "match":
            with rec.action("match", self.prefix):
                found = matcher.projects_for_investor(self.user.actor.investor_id, top=10)
                if found.items:
                    self.last, self.from_matches = [m.id for m in found.items], True
        else:
            project = rng.choice(open_moves)
            now = self.stages.get(project)
            if now is None:
                to = InterestStage.WATCHING if rng.random() < 0.6 else InterestStage.INTERESTED
            else:
                to = InterestStage.DECLINED if rng.random() < 0.2 else interest.next_stages(now)[0]
            reason = rng.choice(list(DeclineReason)).value if to == InterestStage.DECLINED else None
            if not self.from_matches:
                with rec.lock:
                    rec.fallbacks += 1
            with rec.action("express interest", self.prefix):
                self.stages[project] = self.run.services.express_interest(
                    self.user.actor, project, to, reason=reason
                )

    def owner(self) -> None:
        from hub.vocab import Status

        passport = _passport(self.user, self.rng, self.submitted, self.run.number)
        with self.run.rec.action("submit", self.prefix):
            saved = self.run.services.submit_passport(self.user.actor, passport)
            if saved.status != Status.SUBMITTED:
                raise AssertionError(f"submitted, yet {saved.status}")
        self.submitted += 1

    def staff(self) -> None:
        from hub.models import Project
        from hub.vocab import ReviewReason, Status

        rec, user = self.run.rec, self.user
        with self.run.services.hub.sessions() as session:  # the queue as this curator sees it
            row = session.execute(
                select(Project.id)
                .where(
                    Project.status.in_([Status.SUBMITTED, Status.IN_REVIEW]),
                    Project.id % user.staff == user.share,
                )
                .order_by(Project.submitted_at.is_(None), Project.submitted_at, Project.id)
                .limit(1)
            ).first()
        if row is None:
            with rec.lock:
                rec.idle += 1
            return
        to = _pick(self.rng, DECISIONS)
        reason = note = None
        if to != Status.PUBLISHED:
            reason = self.rng.choice(list(ReviewReason)).value
            note = "Please add the cost breakdown." if to == Status.CHANGES_REQUESTED else "Out of scope."
        _local.committed_at, _local.catch_up_s = None, 0.0
        with rec.action("curation decision", self.prefix):
            self.run.services.review(user.actor, row.id, to, reason=reason, note=note)
            if to == Status.PUBLISHED and _local.committed_at is not None:
                with rec.lock:
                    rec.publishes.append((row.id, _local.committed_at, _local.catch_up_s))


def _ended(stage: str | None) -> bool:
    return stage in ("committed", "declined")


# --- one instance ------------------------------------------------------------------------------


@dataclass
class Signals:
    """Between the parent and its instances: each says it is ready, all start together at
    ``start`` once ``go`` is set, and each puts its measurements on ``out``."""

    ready: Any
    go: Any
    start: Any
    out: Any


def instance(number: int, plan: Plan, data_dir: str, signals: Signals) -> None:
    """One app instance: its hub and engine over the shared database and its own data folder,
    its users as threads; puts its measurements on ``signals.out``."""
    try:
        signals.out.put(_instance(number, plan, Path(data_dir), signals))
    except BaseException:
        signals.out.put({"instance": number, "fatal": traceback.format_exc()})
        raise


def _instance(number: int, plan: Plan, data_dir: Path, signals: Signals) -> dict[str, Any]:
    from hub.config import Settings
    from hub.context import open_encoder, open_hub
    from hub.engine import open_engine

    warnings = _WarningCount()
    logging.getLogger("hubmatch").addHandler(warnings)
    hub = open_hub(Settings(data_dir=data_dir, database_url=plan.database_url))
    engine = open_engine(hub, open_encoder(hub.settings))
    catch_ups: list[CatchUp] = []
    _time_catch_ups(engine, catch_ups)
    services = wire(hub, engine)
    mine = [u for u in plan.users if u.number % plan.instances == number]
    some_investor = next((u.actor.investor_id for u in mine if u.role == "investor"), None)
    engine.matcher.search_projects("public transport in Astana", top=10)  # the model is loaded,
    if some_investor is not None:  # as on a server that has answered requests already
        engine.matcher.projects_for_investor(some_investor, top=10)
    misses = engine.encoder.misses
    seen: dict[int, float] = {}
    watching = threading.Event()
    watcher = threading.Thread(target=_watch, args=(engine, seen, watching), name="lag-watch", daemon=True)
    watcher.start()
    signals.ready.set()
    signals.go.wait()
    t0 = signals.start.value
    stop_at = t0 + plan.warmup + plan.duration
    time.sleep(max(0.0, t0 - time.time()))
    rec = Recorder()
    run = Running(number, plan, services, engine, rec, stop_at)
    threads = [threading.Thread(target=SimulatedUser(u, run), name=f"user-{u.number}") for u in mine]
    for thread in threads:
        thread.start()
    time.sleep(max(0.0, t0 + plan.warmup - time.time()))
    cpu = _cpu_seconds()
    time.sleep(max(0.0, stop_at - time.time()))
    cpu = _cpu_seconds() - cpu
    for thread in threads:
        thread.join(timeout=plan.warmup + plan.duration + 300)
    hung = [t.name for t in threads if t.is_alive()]
    time.sleep(max(0.0, stop_at + LAG_GRACE_S - time.time()))
    watching.set()
    watcher.join(timeout=5)
    result = {
        "instance": number,
        "users": {role: sum(u.role == role for u in mine) for role in ("investor", "owner", "staff")},
        "samples": dict(rec.samples),
        "errors": rec.errors + [f"instance {number}: user thread {name} did not finish" for name in hung],
        "publishes": rec.publishes,
        "seen": seen,
        "catch_ups": [astuple(c) for c in catch_ups],  # plain data: the parent unpickles it
        "idle": rec.idle,
        "fallbacks": rec.fallbacks,
        "encoded": engine.encoder.misses - misses,
        "warnings": warnings.messages,
        "catalog": len(engine.matcher.projects),
        "cpu": cpu,  # CPU seconds the process used in the measured window, all its threads
    }
    hub.engine.dispose()
    return result


def _cpu_seconds() -> float:
    import resource

    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _machine_busy() -> tuple[float, float]:
    """(busy, total) CPU time of the whole machine so far, in clock ticks (/proc/stat)."""
    values = [float(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = values[3] + values[4]  # idle, iowait
    return sum(values) - idle, sum(values)


class _WarningCount(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def _watch(engine: Any, seen: dict[int, float], done: threading.Event) -> None:
    """Note when each project first becomes matchable here: in the catalog and in the index."""
    last, known = None, set()
    while not done.is_set():
        matcher = engine.matcher
        if matcher is not last:
            now = time.time()
            ids = {int(i) for i in matcher.projects.ids}
            for item in ids - known:
                if item in matcher.project_index:
                    seen.setdefault(item, now)
            known = {i for i in ids if i in seen}
            last = matcher
        done.wait(0.01)


# --- set-up in the parent ----------------------------------------------------------------------


@contextlib.contextmanager
def database(admin_url: str) -> Iterator[tuple[str, str]]:
    """A new database on the server of ``admin_url``: (its URL, the server's version); dropped
    afterwards, whatever happened."""
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    name = f"hubmatch_load_{uuid.uuid4().hex[:12]}"
    try:
        with admin.connect() as connection:
            version = connection.execute(text("SHOW server_version")).scalar_one()
            connection.execute(text(f'CREATE DATABASE "{name}" TEMPLATE template0'))
        try:
            yield make_url(admin_url).set(database=name).render_as_string(hide_password=False), version
        finally:
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()


def prepare(url: str, data_dir: Path, users: int, seed: int) -> tuple[list[User], dict[str, int]]:
    """Seed the demo data, index it into ``data_dir`` and choose the users' accounts."""
    from hub import repository
    from hub.accounts import NewAccount
    from hub.cli import main as cli
    from hub.config import Settings
    from hub.context import open_hub
    from hub.demo import build_demo
    from hub.models import Investor, Project
    from hub.services import Services
    from hub.vocab import Role, Status

    settings = Settings(data_dir=data_dir, database_url=url, demo_mode=True)
    hub = open_hub(settings)
    try:
        services = Services(hub)
        started = time.perf_counter()
        services.seed_demo(SYSTEM)
        print(f"[load] demo data seeded in {time.perf_counter() - started:.1f} s", file=sys.stderr)
        started = time.perf_counter()
        said = io.StringIO()
        if cli(["reindex"], settings=settings, out=said) != 0:
            raise RuntimeError(f"reindex failed: {said.getvalue()}")
        print(f"[load] index built in {time.perf_counter() - started:.1f} s", file=sys.stderr)
        investors_n = users // 2
        staff_n = max(1, round(users * 0.2))
        owners_n = users - investors_n - staff_n
        rng = random.Random(seed)
        with hub.sessions() as session:
            active = set(session.scalars(select(Investor.id).where(Investor.active.is_(True))))
        investors = [a for a in services.demo_accounts(Role.INVESTOR) if a.investor_id in active]
        owners = services.demo_accounts(Role.PROJECT_OWNER)
        staff = services.demo_accounts(Role.HUB_STAFF)
        for k in range(len(staff), staff_n):
            staff.append(
                services.create_user(
                    SYSTEM,
                    NewAccount(
                        email=f"load-staff-{k}@hubmatch.example",
                        password="load-benchmark-only",
                        role=Role.HUB_STAFF,
                        display_name=f"Load curator {k}",
                    ),
                )
            )
        demo = build_demo(hub.reference, settings.reference_dir, settings.demo_seed)
        by_owner: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for record in demo.projects:
            by_owner[record["owner_email"]].append(record)
        owners = [o for o in owners if by_owner.get(o.email)]
        chosen = (
            [("investor", a) for a in rng.sample(investors, investors_n)]
            + [("owner", a) for a in rng.sample(owners, owners_n)]
            + [("staff", a) for a in staff[:staff_n]]
        )
        plan = []
        for number, (role, actor) in enumerate(chosen):
            share = number - investors_n - owners_n
            plan.append(
                User(
                    number=number,
                    role=role,
                    actor=actor,
                    templates=tuple(by_owner[actor.email]) if role == "owner" else (),
                    share=max(share, 0),
                    staff=staff_n,
                )
            )
        with hub.sessions() as session:
            counts = {
                "published": session.scalar(
                    select(func.count()).select_from(Project).where(Project.status == Status.PUBLISHED)
                ),
                "queue": session.scalar(
                    select(func.count())
                    .select_from(Project)
                    .where(Project.status.in_([Status.SUBMITTED, Status.IN_REVIEW]))
                ),
                "investors": len(active),
                "projects": session.scalar(select(func.count()).select_from(Project)),
                "revision": repository.change_revision(session)[0],
            }
        return plan, counts
    finally:
        hub.engine.dispose()


# --- the report --------------------------------------------------------------------------------


def _ms(values: list[float], q: float) -> str:
    return f"{np.percentile(np.array(values) * 1000, q):,.0f}" if values else "–"


def _machine(pg_version: str) -> str:
    meminfo = Path("/proc/meminfo").read_text()
    ram = int(meminfo.split("MemTotal:")[1].split()[0]) / 2**20
    return (
        f"Machine: {os.cpu_count()} cores, {ram:.0f} GiB RAM; Python {platform.python_version()}; "
        f"PostgreSQL {pg_version}"
    )


def report(
    args: argparse.Namespace, results: list[dict[str, Any]], counts: dict[str, int], context: dict[str, Any]
) -> tuple[str, int]:
    """The Markdown section and the number of errors."""
    window = (context["t0"] + args.warmup, context["t0"] + args.warmup + args.duration)
    measured: dict[str, list[tuple[float, float, bool]]] = defaultdict(list)
    errors_all = 0
    for result in results:
        errors_all += len(result["errors"])
        for name, samples in result["samples"].items():
            measured[name] += [s for s in samples if window[0] <= s[0] + s[1] < window[1]]
    rows = [
        "| action | count | throughput (/s) | p50 (ms) | p95 (ms) | max (ms) | errors |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    every: list[float] = []
    errors_measured = 0
    for name in ACTIONS:
        samples = measured.get(name, [])
        seconds = [s[1] for s in samples]
        failed = sum(not s[2] for s in samples)
        errors_measured += failed
        every += seconds
        rows.append(
            f"| {name} | {len(samples):,} | {len(samples) / args.duration:.1f} | {_ms(seconds, 50)} | "
            f"{_ms(seconds, 95)} | {_ms(seconds, 100)} | {failed} |"
        )
    rows.append(
        f"| **all** | **{len(every):,}** | **{len(every) / args.duration:.1f}** | {_ms(every, 50)} | "
        f"{_ms(every, 95)} | {_ms(every, 100)} | **{errors_measured}** |"
    )
    roles = defaultdict(int)
    for result in results:
        for role, n in result["users"].items():
            roles[role] += n
    per_instance = ", ".join(
        f"{sum(r['users'].values())} on instance {r['instance'] + 1}"
        for r in sorted(results, key=lambda r: r["instance"])
    )
    split = {
        kind: [
            s[1] for r in results for s in r["samples"].get(kind, []) if window[0] <= s[0] + s[1] < window[1]
        ]
        for kind in ("search: new query", "search: repeated query")
    }
    lag, lost = _lag(results, window)
    catch = _catch_ups(results)
    publishes = [p for r in results for p in r["publishes"] if window[0] <= p[1] < window[1]]
    publish_share = [p[2] for p in publishes]
    decisions = [s[1] for r in results for s in r["samples"].get("curation decision", [])]
    users = sum(roles.values())
    lines = [
        f"## Load: {users} users, {_count_word(len(results))} instances over PostgreSQL",
        "",
        f"{_machine(context['pg_version'])}; run {context['when']:%Y-%m-%d %H:%M} UTC. The machine is "
        f"shared: other engineers' test runs were using it too (1-minute load average "
        f"{context['load_before']:.1f} before the set-up, {context['load_end']:.1f} at the end of the "
        f"measured window, on {os.cpu_count()} cores). In the window the CPUs were "
        f"{context['busy']:.0%} busy; the instances used "
        + " and ".join(
            f"{r['cpu'] / args.duration:.2f}" for r in sorted(results, key=lambda r: r["instance"])
        )
        + " cores. The figures are those of a saturated, shared machine, not of a quiet one.",
        "",
        f"Set-up: the demo data ({counts['published']} published projects, {counts['investors']} active "
        f"investors, {counts['queue']} passports in the curation queue) in a fresh PostgreSQL database, "
        f"indexed once (`python -m hub reindex`) and the data folder copied for each of "
        f"{len(results)} instance processes, each with its own index and embedding cache, its engine "
        f"following the change log every {context['sync_interval']:g} s and catching up inside each write "
        f"that touches the index. {users} simulated users as threads ({per_instance}): "
        f"{roles['investor']} investors (search 40 %, match 35 %, express interest 25 %: the next step on "
        f"the ladder for a project of their last matches, declined with a reason one time in five), "
        f"{roles['owner']} project owners (submit a complete new passport after one of their demo "
        f"passports, with a title and a summary sentence of its own) and {roles['staff']} hub staff "
        "(curation decision on the oldest passport of their share of the queue, project id modulo "
        f"{roles['staff']}: publish 60 %, send back 25 %, reject 15 %, with a reason and a note). Closed "
        f"loop, think time uniform 0–{args.think_ms:g} ms; {args.warmup:g} s warm-up, then "
        f"{args.duration:g} s measured (the actions completed in that window). Latency is the service or "
        "matcher call alone; a publish includes the instance's index catch-up.",
        "",
        *rows,
        "",
        f"Errors: **{errors_measured}** in the measured window, {errors_all} in the whole run "
        "(warm-up and wind-down included). Every exception counts as an error; no refusal is "
        "expected, since every move is valid (an interest moves up the ladder or is declined with a "
        "reason, staff decide only on passports of their share that are submitted or in review, "
        "owners submit complete passports under fresh external ids).",
        "",
        "Search, by whether the instance had seen the query before (a new one is embedded by the model; "
        "a repeated one comes from the embedding cache): "
        + "; ".join(
            f"{kind.removeprefix('search: ')}: {len(v)}, p50 {_ms(v, 50)} ms, p95 {_ms(v, 95)} ms"
            for kind, v in split.items()
        )
        + f" ({len(TOPICS) * len(PLACES)} distinct queries: {len(TOPICS)} topics in English and Russian, "
        f"{len(PLACES)} places or none).",
        "",
        _lag_line(lag, lost),
        "",
        *catch,
        "",
        f"Publishes in the window: {len(publishes)}; their own index catch-up took p50 "
        f"{_ms(publish_share, 50)} ms, p95 {_ms(publish_share, 95)} ms of the decision's latency. "
        f"Curation decisions over the whole run (warm-up and wind-down included): {len(decisions)}, p50 "
        f"{_ms(decisions, 50)} ms, p95 {_ms(decisions, 95)} ms, max {_ms(decisions, 100)} ms. "
        f"Staff turns with nothing in their share of the queue: {sum(r['idle'] for r in results)}. "
        f"Texts the encoders had to embed during the run (queries, new passports and their sentences; "
        f"the rest came from the embedding cache): "
        + ", ".join(f"{r['encoded']} on instance {r['instance'] + 1}" for r in results)
        + ". Catalogs at the end: "
        + ", ".join(f"{r['catalog']} published projects on instance {r['instance'] + 1}" for r in results)
        + ".",
        "",
        f"`python -m benchmarks.load{context['command']}`",
    ]
    warnings = [w for r in results for w in r["warnings"]]
    if warnings:
        lines += ["", f"Warnings logged by the app during the run: {len(warnings)} (first: {warnings[0]})."]
    return "\n".join(lines) + "\n", errors_all


def _count_word(n: int) -> str:
    return {1: "one", 2: "two", 3: "three", 4: "four"}.get(n, str(n))


def _lag(results: list[dict[str, Any]], window: tuple[float, float]) -> tuple[list[float], int]:
    """Seconds from a publish's commit on one instance until matchable on each other instance."""
    lags, lost = [], 0
    for result in results:
        for project, committed, _ in result["publishes"]:
            if not window[0] <= committed < window[1]:
                continue
            for other in results:
                if other is result:
                    continue
                seen = other["seen"].get(project)
                if seen is None:
                    lost += 1
                else:
                    lags.append(max(0.0, seen - committed))
    return lags, lost


def _lag_line(lag: list[float], lost: int) -> str:
    if not lag and not lost:
        return "Cross-instance lag: no publish in the window."
    return (
        f"Cross-instance lag, from a publish's commit on one instance until the project is in the other "
        f"instance's catalog and index (watched every 10 ms): p50 **{_ms(lag, 50)} ms**, p95 "
        f"**{_ms(lag, 95)} ms**, max {_ms(lag, 100)} ms over {len(lag)} publishes"
        + (f"; {lost} not seen within {LAG_GRACE_S:g} s of the end" if lost else "")
        + "."
    )


def _catch_ups(results: list[dict[str, Any]]) -> list[str]:
    lines = [
        "Index catch-ups that applied something, per instance, over the whole run (warm-up included: "
        "there are few); in a publish: the decision's own, follower: the background poll of the change "
        "log. Times in ms, p50 / p95:",
        "",
        "| instance | catch-ups (in a publish + follower) | matcher kept (nothing matchable changed) "
        "| total | waiting for the engine's lock | reading and embedding the changed listings "
        "| matcher rebuild | sentence pass |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for result in sorted(results, key=lambda r: r["instance"]):
        done = [CatchUp(*c) for c in result["catch_ups"]]
        background = sum(c.thread == "hubmatch-follow" for c in done)
        kept = sum(not c.rebuilt for c in done)

        def both(values: list[float]) -> str:
            return f"{_ms(values, 50)} / {_ms(values, 95)}"

        lines.append(
            f"| {result['instance'] + 1} | {len(done)} ({len(done) - background} + {background}) | {kept} | "
            f"{both([c.seconds for c in done])} | {both([c.waited for c in done])} | "
            f"{both([c.seconds - c.waited - c.build - c.sentences for c in done])} | "
            f"{both([c.build for c in done])} | {both([c.sentences for c in done])} |"
        )
    return lines


def write_results(path: Path, section: str) -> None:
    """Put ``section`` between the markers in ``path`` (appended the first time); the rest of the
    file stays as it is."""
    current = path.read_text(encoding="utf-8") if path.exists() else ""
    block = f"{START}\n{section.rstrip()}\n{END}"
    if START in current and END in current:
        head, rest = current.split(START, 1)
        _, tail = rest.split(END, 1)
        updated = head + block + tail
    else:
        updated = current.rstrip("\n") + "\n\n" + block + "\n"
    path.write_text(updated, encoding="utf-8")


# --- main --------------------------------------------------------------------------------------


def run(args: argparse.Namespace) -> tuple[str, int]:
    from hub.config import Settings

    context: dict[str, Any] = {
        "when": datetime.now(UTC),
        "load_before": os.getloadavg()[0],
        "sync_interval": Settings().sync_interval,
        "command": _command(args),
    }
    spawn = multiprocessing.get_context("spawn")
    processes: list[Any] = []
    with (
        tempfile.TemporaryDirectory(prefix="hubmatch-load-") as folder,
        database(args.postgres) as (url, pg_version),
    ):
        try:
            context["pg_version"] = pg_version
            base = Path(folder) / "data"
            users, counts = prepare(url, base, args.users, args.seed)
            plan = Plan(url, users, args.warmup, args.duration, args.think_ms, args.seed, args.instances)
            out = spawn.Queue()
            go, start = spawn.Event(), spawn.Value("d", 0.0)
            readies = []
            for number in range(args.instances):
                own = Path(folder) / f"instance-{number}"
                shutil.copytree(base, own)  # production: each instance keeps its own index folder
                ready = spawn.Event()
                process = spawn.Process(
                    target=instance,
                    args=(number, plan, str(own), Signals(ready, go, start, out)),
                    name=f"instance-{number}",
                )
                process.start()
                processes.append(process)
                readies.append(ready)
            _await_ready(processes, readies, out)
            print(f"[load] {args.instances} instances ready; running {args.users} users", file=sys.stderr)
            start.value = context["t0"] = time.time() + 1.0
            go.set()
            time.sleep(max(0.0, context["t0"] + args.warmup - time.time()))
            before = _machine_busy()
            time.sleep(max(0.0, context["t0"] + args.warmup + args.duration - time.time()))
            after = _machine_busy()
            context["busy"] = (after[0] - before[0]) / max(after[1] - before[1], 1.0)
            context["load_end"] = os.getloadavg()[0]
            results = [_result(out, processes, args) for _ in processes]
            for process in processes:
                process.join(timeout=60)
            fatal = [r["fatal"] for r in results if "fatal" in r]
            if fatal:
                raise RuntimeError("an instance failed:\n" + "\n".join(fatal))
            if args.raw:
                args.raw.write_text(json.dumps({"context": context, "results": results}, default=str))
            return report(args, results, counts, context)
        finally:
            for process in processes:
                if process.is_alive():
                    process.terminate()
                    process.join(timeout=30)


def _await_ready(processes: list[Any], readies: list[Any], out: Any) -> None:
    deadline = time.monotonic() + 900
    while not all(r.is_set() for r in readies):
        dead = [p for p in processes if not p.is_alive()]
        if dead or time.monotonic() > deadline:
            failure = out.get(timeout=5) if dead else {"fatal": "not ready after 900 s"}
            raise RuntimeError(f"an instance did not start: {failure.get('fatal', failure)}")
        time.sleep(0.2)


def _result(out: Any, processes: list[Any], args: argparse.Namespace) -> dict[str, Any]:
    deadline = time.monotonic() + args.warmup + args.duration + 600
    while True:
        try:
            return out.get(timeout=5)
        except Exception:  # queue.Empty: check that the instances are still there
            if time.monotonic() > deadline or not any(p.is_alive() for p in processes):
                raise RuntimeError("an instance ended without reporting") from None


def _command(args: argparse.Namespace) -> str:
    defaults = {"users": 50, "duration": 60.0, "warmup": 10.0, "instances": 2, "think_ms": 200.0, "seed": 7}
    said = [
        f" --{name.replace('_', '-')} {value:g}" if isinstance(value, float) else f" --{name} {value}"
        for name, value in vars(args).items()
        if name in defaults and value != defaults[name]
    ]
    return "".join(said)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--duration", type=float, default=60.0, help="measured seconds")
    parser.add_argument("--warmup", type=float, default=10.0, help="seconds before measuring")
    parser.add_argument("--instances", type=int, default=2)
    parser.add_argument("--think-ms", type=float, default=200.0, help="think time: uniform 0..this")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--postgres",
        default=os.environ.get("HUB_BENCH_POSTGRES_URL", ADMIN_URL),
        help="admin URL of the PostgreSQL server (a database is created and dropped on it)",
    )
    parser.add_argument("--results", type=Path, default=RESULTS, help="the report to update")
    parser.add_argument("--no-results", action="store_true", help="print only; leave RESULTS.md alone")
    parser.add_argument("--raw", type=Path, help="also write every measurement to this JSON file")
    args = parser.parse_args(argv)
    if args.users < 5 or args.instances < 1:
        parser.error("at least 5 users (investors, owners and staff) and one instance")
    section, errors = run(args)
    print(section)
    if not args.no_results:
        write_results(args.results, section)
        print(f"[load] written to {args.results}", file=sys.stderr)
    if errors:
        print(f"[load] {errors} errors", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
