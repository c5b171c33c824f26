"""The change log keeps instances in step: every write to a listing is logged in its own
transaction, in commit order; an engine catches up by re-reading only the listings written."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from hub import changes, repository
from hub.actors import SYSTEM
from hub.config import Settings
from hub.context import Hub, open_hub
from hub.engine import MatchingEngine, open_engine
from hub.services import Services
from hub.vocab import Status
from tests.fakes import FakeEncoder


def _revision(hub: Hub) -> int:
    with hub.sessions() as session:
        return repository.change_revision(session)[0]


def _in_queue(hub: Hub) -> list[int]:
    with hub.sessions() as session:
        return [p.id for p in repository.projects_in_status(session, [Status.SUBMITTED])]


def _instance(settings: Settings, folder: Path) -> tuple[Hub, MatchingEngine]:
    """Another app instance over the same database: its own data folder (index), its own engine."""
    hub = open_hub(settings.model_copy(update={"data_dir": folder}))
    return hub, open_engine(hub, FakeEncoder(), sentences=False)


def test_each_transaction_that_writes_listings_raises_the_revision_once_and_logs_their_ids(
    seeded_hub: Hub,
) -> None:
    services = Services(seeded_hub)
    start = _revision(seeded_hub)
    first, second = _in_queue(seeded_hub)[:2]
    services.review(SYSTEM, first, Status.PUBLISHED)
    with seeded_hub.sessions() as session:
        assert repository.change_revision(session)[0] == start + 1
        assert repository.changes_since(session, start, start + 1) == [("project", first)]

    with pytest.raises(RuntimeError), seeded_hub.sessions.begin() as session:  # rolled back: not logged
        repository.find_project(session, second).title = "A title never saved"
        session.flush()
        raise RuntimeError("the transaction fails after its write")
    with seeded_hub.sessions.begin() as session:  # no listing written: nothing to log
        repository.record_event(session, actor="cli", action="test", entity_type="none", entity_id=None)
    assert _revision(seeded_hub) == start + 1


def test_an_instance_applies_what_another_wrote_reading_only_those_listings(
    seeded_settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    hub_a, engine_a = _instance(seeded_settings, tmp_path / "a")
    hub_b, engine_b = _instance(seeded_settings, tmp_path / "b")
    project = _in_queue(hub_a)[0]
    writer = Services(hub_a, refresh=engine_a.catch_up)
    assert engine_b.catch_up() is None  # nothing written since it started: one small query

    def whole_table(*_args: object) -> None:
        raise AssertionError("catching up must not re-read whole tables")

    monkeypatch.setattr(repository, "published_projects", whole_table)
    monkeypatch.setattr(repository, "active_investors", whole_table)

    writer.review(SYSTEM, project, Status.PUBLISHED)
    assert engine_a.matcher.projects.position(project) is not None  # the writer at once
    assert engine_b.matcher.projects.position(project) is None
    applied = engine_b.catch_up()
    assert applied is not None and applied.projects == {project} and not applied.everything
    assert engine_b.matcher.projects.position(project) is not None
    assert project in engine_b.matcher.project_index
    assert engine_b.matcher.similar_projects(project, top=3).items  # matchable on B
    assert engine_b.reports[0].added == 1 and engine_b.reports[0].encoded == 1

    writer.archive_listing(SYSTEM, project)
    engine_b.catch_up()
    assert (
        engine_b.matcher.projects.position(project) is None and project not in engine_b.matcher.project_index
    )
    assert len(engine_b.matcher.projects) == len(engine_a.matcher.projects)
    for hub in (hub_a, hub_b):
        hub.engine.dispose()


def test_an_instance_that_missed_pruned_changes_or_a_bulk_write_reads_everything_again(
    seeded_settings: Settings, tmp_path: Path
) -> None:
    hub_a, engine_a = _instance(seeded_settings, tmp_path / "a")
    published = len(engine_a.matcher.projects)
    with hub_a.sessions.begin() as session:  # e.g. a restore: every listing may have changed
        changes.record_everything(session)
    refreshed: list[int] = []
    original = engine_a.refresh
    engine_a.refresh = lambda *a, **k: refreshed.append(1) or original(*a, **k)  # type: ignore[method-assign]
    assert engine_a.catch_up().everything and refreshed == [1]
    assert len(engine_a.matcher.projects) == published

    with hub_a.sessions() as session:
        revision = repository.change_revision(session)[0]
        assert changes.pending(session, revision) is None
        assert changes.pending(session, revision + 5).everything  # a revision this database never had
    hub_a.engine.dispose()


def test_writers_at_the_same_moment_get_revisions_in_commit_order_and_a_follower_misses_none(
    seeded_hub: Hub,
) -> None:
    with seeded_hub.sessions() as session:
        investors = [i.id for i in repository.active_investors(session)][:24]
    start = _revision(seeded_hub)

    def write(mine: list[int]) -> None:
        for item in mine:
            with seeded_hub.sessions.begin() as session:
                investor = repository.find_investor(session, item)
                investor.thesis = f"{investor.thesis} Also: district heating."

    seen: set[int] = set()
    done = threading.Event()

    def follow() -> None:
        revision = start
        while True:
            finished = done.is_set()
            with seeded_hub.sessions() as session:
                todo = changes.pending(session, revision)
            if todo is not None:
                assert not todo.everything
                seen.update(todo.investors)
                revision = todo.revision
            if finished:
                return

    writers = [threading.Thread(target=write, args=(investors[i::4],)) for i in range(4)]
    follower = threading.Thread(target=follow)
    follower.start()
    for thread in writers:
        thread.start()
    for thread in writers:
        thread.join()
    done.set()
    follower.join()
    assert seen == set(investors)
    with seeded_hub.sessions() as session:
        assert repository.change_revision(session)[0] == start + len(investors)  # one per transaction
        logged = repository.changes_since(session, start, start + len(investors))
    assert sorted(item for _, item in logged) == sorted(investors)
