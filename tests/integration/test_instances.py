"""Several app instances over one database: a project published through instance A is
matchable on instance B within seconds, B never reading whole tables to get there."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from hub import repository
from hub.config import PROJECT_ROOT, Settings
from hub.context import open_hub
from hub.vocab import Status

SYNC_TARGET_S = 5.0  # the bound: published on A, matchable on B


class Instance:
    """``python -m tests.instance`` in its own process, over ``settings``' database."""

    def __init__(self, settings: Settings, folder: Path) -> None:
        env = {
            **os.environ,
            "HUB_DATABASE_URL": settings.resolved_database_url,
            "HUB_DATA_DIR": str(folder),
            "HF_HUB_OFFLINE": "1",
        }
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.instance"],
            cwd=PROJECT_ROOT,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def ask(self, line: str | None = None) -> list[str]:
        assert self.process.stdin is not None and self.process.stdout is not None
        if line is not None:
            self.process.stdin.write(line + "\n")
            self.process.stdin.flush()
        answer = self.process.stdout.readline()
        assert answer, f"the instance ended (exit code {self.process.poll()})"
        return answer.split()

    def stop(self) -> None:
        self.process.kill()
        self.process.wait(timeout=30)
        for pipe in (self.process.stdin, self.process.stdout):
            if pipe is not None:
                pipe.close()


@contextmanager
def instances(settings: Settings, tmp_path: Path, count: int) -> Iterator[list[Instance]]:
    """``count`` instances over one database, each with its own copy of the data folder (its
    index), as each app server in production keeps its own."""
    started = []
    try:
        for number in range(count):
            folder = tmp_path / f"instance-{number}"
            shutil.copytree(settings.data_dir, folder)
            started.append(Instance(settings, folder))
        for instance in started:
            assert instance.ask() == ["ready"]
        yield started
    finally:
        for instance in started:
            instance.stop()


@pytest.mark.slow
def test_a_project_published_through_one_instance_is_matchable_on_another_within_five_seconds(
    indexed_settings: Settings, tmp_path: Path
) -> None:
    hub = open_hub(indexed_settings)
    with hub.sessions() as session:
        queue = [p.id for p in repository.projects_in_status(session, [Status.SUBMITTED])][:3]
    hub.engine.dispose()
    lags = []
    with instances(indexed_settings, tmp_path, 2) as (a, b):
        for project in queue:
            published = a.ask(f"publish {project}")
            assert published[:2] == ["published", str(project)]
            seen = b.ask(f"wait {project} 30")
            assert seen[:2] == ["matchable", str(project)], seen
            lags.append(float(seen[2]) - float(published[2]))
    print(f"published on A -> matchable on B: {', '.join(f'{lag:.2f} s' for lag in lags)}")
    assert max(lags) < SYNC_TARGET_S, lags
