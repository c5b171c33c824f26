"""The database is the source of truth: the saved index follows it, and a missing, corrupt
or other-model index is rebuilt so that no listing is ever silently missing from search."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from embeddings.cache import CachedEncoder, EmbeddingCache
from hub import repository
from hub.catalog import passport_facts, project_facts
from hub.context import Hub
from hub.indexing import IndexKind, current_texts, index_folder, passport_text, project_text, refresh
from hub.schemas import validate_project
from tests.fakes import FakeEncoder
from tests.unit.test_validation import GOOD_PROJECT


@pytest.fixture
def encoder(tmp_path: Path) -> CachedEncoder:
    return CachedEncoder(FakeEncoder(), EmbeddingCache(tmp_path / "cache.sqlite"))


def _refresh(hub: Hub, encoder: CachedEncoder, root: Path, kind: IndexKind = IndexKind.PROJECTS):
    with hub.sessions() as session:
        texts = current_texts(session, kind, hub.reference)
    return refresh(root, kind, texts, encoder)


def _published_ids(hub: Hub) -> set[int]:
    with hub.sessions() as session:
        return {p.id for p in repository.published_projects(session)}


def test_the_first_refresh_indexes_every_published_project_and_active_investor(
    seeded_hub: Hub, encoder: CachedEncoder, tmp_path: Path
) -> None:
    index, report = _refresh(seeded_hub, encoder, tmp_path)
    assert report.rebuilt_because == "no saved index"
    assert set(index.ids.tolist()) == _published_ids(seeded_hub)
    investors, _ = _refresh(seeded_hub, encoder, tmp_path, IndexKind.INVESTORS)
    with seeded_hub.sessions() as session:
        assert len(investors) == len(repository.active_investors(session))


def test_a_second_refresh_of_unchanged_data_encodes_nothing(
    seeded_hub: Hub, encoder: CachedEncoder, tmp_path: Path
) -> None:
    _refresh(seeded_hub, encoder, tmp_path)
    before = len(encoder.encoder.encoded)
    _, report = _refresh(seeded_hub, encoder, tmp_path)
    assert report.rebuilt_because is None and report.encoded == 0
    assert len(encoder.encoder.encoded) == before


@pytest.mark.parametrize("damage", ["delete", "corrupt", "truncate"])
def test_a_deleted_or_corrupted_index_is_rebuilt_with_nothing_missing(
    seeded_hub: Hub, encoder: CachedEncoder, tmp_path: Path, damage: str
) -> None:
    _refresh(seeded_hub, encoder, tmp_path)
    folder = index_folder(tmp_path, IndexKind.PROJECTS)
    if damage == "delete":
        for file in folder.iterdir():
            file.unlink()
    elif damage == "corrupt":
        vectors = np.load(folder / "vectors.npy")
        np.save(folder / "vectors.npy", vectors[::-1])
    else:
        (folder / "manifest.json").write_text('{"model": "fa')
    encoded_before = len(encoder.encoder.encoded)

    index, report = _refresh(seeded_hub, encoder, tmp_path)  # as on the next start

    assert report.rebuilt_because is not None
    assert set(index.ids.tolist()) == _published_ids(seeded_hub)
    assert len(encoder.encoder.encoded) == encoded_before  # rebuilt from the embedding cache


def test_publishing_editing_and_unpublishing_are_followed_item_by_item(
    seeded_hub: Hub, encoder: CachedEncoder, tmp_path: Path
) -> None:
    _refresh(seeded_hub, encoder, tmp_path)
    with seeded_hub.sessions.begin() as session:
        draft = next(p for p in repository.projects_for_export(session) if p.status == "draft")
        draft.status = "published"
        edited = repository.published_projects(session)[0]
        edited.summary = "A new summary with different words about district heating pipes."
        gone = repository.published_projects(session)[1]
        gone.status = "archived"
        ids = (draft.id, edited.id, gone.id)

    index, report = _refresh(seeded_hub, encoder, tmp_path)

    assert (report.added, report.updated, report.removed, report.encoded) == (1, 1, 1, 2)
    assert ids[0] in index and ids[2] not in index
    with seeded_hub.sessions() as session:
        texts = current_texts(session, IndexKind.PROJECTS, seeded_hub.reference)
    assert np.allclose(index.vector(ids[1]), encoder.encode([texts[ids[1]]])[0])


def test_changing_the_model_rebuilds_instead_of_mixing_vectors(
    seeded_hub: Hub, encoder: CachedEncoder, tmp_path: Path
) -> None:
    _refresh(seeded_hub, encoder, tmp_path)
    other = CachedEncoder(FakeEncoder(name="other", dimension=32), encoder.cache)
    index, report = _refresh(seeded_hub, other, tmp_path)
    assert report.rebuilt_because == "saved index is of model fake, now other"
    assert index.model == "other" and index.dimension == 32
    assert report.encoded == len(index)


def test_a_draft_passport_is_read_and_judged_as_it_will_be_once_stored(hub: Hub) -> None:
    # the owner's "likely investors" preview uses the same text and facts as the index will
    passport = validate_project(
        {**GOOD_PROJECT, "sectors": "manufacturing", "green_certification": "LEED"}, hub.reference
    )
    with hub.sessions.begin() as session:
        stored, _ = repository.save_project(session, passport, actor="owner")
        assert passport_text(passport) == project_text(stored)
        draft = passport_facts(passport, hub.reference, published_at=stored.updated_at)
        saved = project_facts(stored, hub.reference)
        assert draft.green and saved.green  # certified, though manufacturing is not a green sector
        assert (
            replace(draft, id=saved.id, external_id=saved.external_id, published_at=saved.published_at)
            == saved
        )
