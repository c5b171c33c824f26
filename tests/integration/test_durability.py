"""``kill -9`` in the middle of a bulk import and in the middle of a reindex, on each backend:
the database holds all or nothing, the index recovers on restart, and nothing is lost or
duplicated. The process is held at a named point (``hub.failpoints``) and killed from outside."""

from __future__ import annotations

import csv
import io
import os
import re
import signal
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest
from sqlalchemy import func, select

from embeddings.cache import text_hash
from embeddings.index import VectorIndex
from hub import repository
from hub.cli import main
from hub.config import PROJECT_ROOT, Settings
from hub.context import open_hub
from hub.failpoints import ENV
from hub.indexing import IndexKind, index_folder, project_text
from hub.models import AuditEvent, Project

ROWS = 2_500  # three flushes of a thousand: killed after the first


def _start(settings: Settings, *args: str, pause: str) -> subprocess.Popen[str]:
    env = {
        **os.environ,
        "HUB_DATABASE_URL": settings.resolved_database_url,
        "HUB_DATA_DIR": str(settings.data_dir),
        "HF_HUB_OFFLINE": "1",
        ENV: pause,
    }
    return subprocess.Popen(
        [sys.executable, "-m", "hub", *args], cwd=PROJECT_ROOT, env=env, stderr=subprocess.PIPE, text=True
    )


def _kill_when_paused(process: subprocess.Popen[str], point: str) -> None:
    """Wait until ``process`` is held at ``point``, then ``kill -9`` it."""
    assert process.stderr is not None
    said = []
    for line in process.stderr:
        said.append(line)
        if line.strip() == f"paused at {point}":
            break
    else:
        raise AssertionError(f"the process ended before {point}: {''.join(said[-20:])}")
    process.send_signal(signal.SIGKILL)
    assert process.wait(timeout=60) == -signal.SIGKILL
    process.stderr.close()


def _bulk_file(settings: Settings, folder: Path) -> Path:
    """``ROWS`` new published listings, made from the demo's published ones."""
    exported = folder / "exported.csv"
    assert main(["export", "projects", str(exported)], settings=settings, out=io.StringIO()) == 0
    with exported.open(newline="", encoding="utf-8") as source:
        reader = csv.DictReader(source)
        columns, published = reader.fieldnames, [r for r in reader if r["status"] == "published"]
    path = folder / "bulk.csv"
    with path.open("w", newline="", encoding="utf-8") as target:
        writer = csv.DictWriter(target, fieldnames=columns)
        writer.writeheader()
        for number in range(ROWS):
            row = published[number % len(published)]
            writer.writerow(
                {**row, "external_id": f"BULK-{number:05d}", "title": f"{row['title']} ({number})"}
            )
    return path


def _state(settings: Settings) -> tuple[int, int, int, int]:
    """Projects, of them from the bulk file, import events, and the change-log revision."""
    hub = open_hub(settings)
    with hub.sessions() as session:
        state = (
            session.scalar(select(func.count(Project.id))),
            session.scalar(select(func.count(Project.id)).where(Project.external_id.like("BULK-%"))),
            session.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.action == "import.projects")),
            repository.change_revision(session)[0],
        )
    hub.engine.dispose()
    return state


def _index_matches_database(settings: Settings) -> None:
    """Each saved index holds every matchable listing once, and nothing else."""
    hub = open_hub(settings)
    with hub.sessions() as session:
        wanted = {
            IndexKind.PROJECTS: sorted(p.id for p in repository.published_projects(session)),
            IndexKind.INVESTORS: sorted(i.id for i in repository.active_investors(session)),
        }
    hub.engine.dispose()
    for kind, ids in wanted.items():
        saved = VectorIndex.load(index_folder(settings.index_dir, kind))
        assert sorted(saved.ids[saved.alive].tolist()) == ids, kind


def _forget_project_vectors(settings: Settings) -> None:
    """Take the published projects' vectors out of the embedding cache: a reindex must encode
    them again (theses and sentences stay cached, which keeps the test short)."""
    hub = open_hub(settings)
    with hub.sessions() as session:
        hashes = [(text_hash(project_text(p)),) for p in repository.published_projects(session)]
    hub.engine.dispose()
    with closing(sqlite3.connect(settings.index_dir / "embeddings.sqlite")) as cache, cache:
        cache.executemany("DELETE FROM vectors WHERE hash = ?", hashes)


def test_an_import_killed_mid_transaction_leaves_nothing_and_then_imports_every_row_once(
    indexed_settings: Settings, tmp_path: Path
) -> None:
    path = _bulk_file(indexed_settings, tmp_path)
    projects, bulk, imports, revision = _state(indexed_settings)
    assert bulk == 0

    importing = _start(indexed_settings, "import", "projects", str(path), pause="import.batch")
    _kill_when_paused(importing, "import.batch")  # a thousand rows written, not committed
    assert _state(indexed_settings) == (projects, 0, imports, revision)  # nothing of it, not even logged
    _index_matches_database(indexed_settings)  # the saved index is whole, and still right

    out = io.StringIO()  # restarted: the same file imports completely, each row once
    command = ["import", "projects", str(path), "--no-index"]  # (encoding 2,500 texts proves nothing here)
    assert main(command, settings=indexed_settings, out=out) == 0
    assert f"{ROWS} created" in out.getvalue()
    assert _state(indexed_settings) == (projects + ROWS, ROWS, imports + 1, revision + 1)


@pytest.mark.slow
def test_a_reindex_killed_mid_encoding_recovers_on_restart_keeping_what_it_had_encoded(
    indexed_settings: Settings,
) -> None:
    for kind in IndexKind:  # no saved index, and the projects' texts never encoded
        index_folder(indexed_settings.index_dir, kind).rename(indexed_settings.data_dir / f"old-{kind}")
    _forget_project_vectors(indexed_settings)

    reindexing = _start(indexed_settings, "reindex", pause="reindex.encoding")
    _kill_when_paused(reindexing, "reindex.encoding")
    assert not (index_folder(indexed_settings.index_dir, IndexKind.PROJECTS) / "manifest.json").exists()

    out = io.StringIO()
    assert main(["reindex"], settings=indexed_settings, out=out) == 0
    added, encoded = map(
        int, re.search(r"projects: (\d+) added.*?; (\d+) texts encoded", out.getvalue()).groups()
    )
    assert 0 < encoded < added  # what was encoded and cached before the kill is not encoded again
    _index_matches_database(indexed_settings)
