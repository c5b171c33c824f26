"""The listing workflow, expressions of interest and introductions, saved searches."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from embeddings.cache import CachedEncoder, EmbeddingCache
from hub import repository
from hub.context import Hub
from hub.curation import (
    Actor,
    WorkflowError,
    allowed_moves,
    move,
    verify_aifc_link,
)
from hub.engine import open_engine
from hub.i18n import usd
from hub.interest import accept, contacts, express, next_stages
from hub.matching import ProjectFilters
from hub.models import Account, Project
from hub.passport import completeness, eligibility
from hub.schemas import validate_project
from hub.searches import filters_from_json, filters_to_json, mark_seen, new_since_last_visit, save_search
from hub.services import Forbidden, Services
from tests.fakes import FakeEncoder
from tests.unit.test_validation import GOOD_PROJECT

STAFF = Actor("staff@hubmatch.example", "hub_staff")


def _project(session, status: str) -> Project:
    return next(p for p in repository.projects_for_export(session) if p.status == status)


def _owner(project: Project) -> Actor:
    return Actor(project.owner_account.email, "project_owner", account_id=project.owner_account_id)


def test_staff_can_approve_a_submitted_passport_and_it_is_stamped_and_audited(seeded_hub: Hub) -> None:
    with seeded_hub.sessions.begin() as session:
        project = _project(session, "submitted")
        move(session, project, "published", STAFF)
        assert project.published_at is not None
        reviews = repository.reviews_of(session, project.id)
        assert [r.decision for r in reviews] == ["approve"]
        assert repository.recent_events(session, 1)[0].action == "project.published"


def test_sending_back_or_rejecting_needs_a_reason_and_a_note(seeded_hub: Hub) -> None:
    with seeded_hub.sessions.begin() as session:
        project = _project(session, "submitted")
        with pytest.raises(WorkflowError, match="choose a reason"):
            move(session, project, "changes_requested", STAFF)
        with pytest.raises(WorkflowError, match="Add a note"):
            move(session, project, "rejected", STAFF, reason="duplicate")
        move(session, project, "changes_requested", STAFF, reason="incomplete", note="Add the total cost.")
        review = repository.reviews_of(session, project.id)[0]
        assert (review.reason, review.note) == ("incomplete", "Add the total cost.")


def test_owners_resubmit_after_changes_but_cannot_publish_themselves(seeded_hub: Hub) -> None:
    with seeded_hub.sessions.begin() as session:
        project = _project(session, "changes_requested")
        owner = _owner(project)
        with pytest.raises(WorkflowError, match="possible next steps for you: Submitted"):
            move(session, project, "published", owner)
        move(session, project, "submitted", owner)
        assert project.status == "submitted" and project.submitted_at is not None
        with pytest.raises(
            WorkflowError,
            match="Only these roles may move a passport from Submitted to Published: Administrator, Hub staff",
        ):
            move(session, project, "published", owner)
        stranger = Actor("someone@else.example", "project_owner")
        with pytest.raises(WorkflowError, match="Only the owner"):
            move(session, _project(session, "draft"), "submitted", stranger)


def test_an_impossible_move_names_the_possible_ones(seeded_hub: Hub) -> None:
    with seeded_hub.sessions.begin() as session:
        project = _project(session, "rejected")
        with pytest.raises(WorkflowError, match="cannot become Published; possible next steps for you: none"):
            move(session, project, "published", STAFF)
    assert allowed_moves("submitted", "hub_staff") == [
        "in_review",
        "published",
        "changes_requested",
        "rejected",
    ]


def test_aifc_links_are_verified_by_staff_only(seeded_hub: Hub) -> None:
    with seeded_hub.sessions.begin() as session:
        linked = next(p for p in repository.projects_for_export(session) if p.aifc_link != "none")
        with pytest.raises(WorkflowError):
            verify_aifc_link(session, linked, _owner(linked), verified=True, note=None)
        verify_aifc_link(session, linked, STAFF, verified=True, note="Registry checked")
        assert repository.aifc_verification(session, linked.id).verified


def test_eligibility_and_completeness_say_what_is_missing(reference) -> None:
    thin = validate_project({**GOOD_PROJECT, "sdgs": "", "total_cost": "", "funding_ask": "20000"}, reference)
    criteria = {c.name: c for c in eligibility(thin, reference)}
    assert not criteria["size"].passed and f"outside {usd(50_000)}" in criteria["size"].message
    assert not criteria["impact"].passed and not criteria["description"].passed
    score, missing = completeness(thin)
    assert 0 < score < 1 and "total cost" in missing and "SDGs" in missing


def test_interest_climbs_the_ladder_forward_only_and_decline_needs_a_reason(seeded_hub: Hub) -> None:
    with seeded_hub.sessions.begin() as session:
        project = _project(session, "published")
        investor = repository.active_investors(session)[0]
        actor = Actor(investor.contact_email, "investor")
        interest = express(session, investor.id, project.id, "watching", actor)
        express(session, investor.id, project.id, "in_discussion", actor)
        with pytest.raises(WorkflowError, match="cannot become Interested"):
            express(session, investor.id, project.id, "interested", actor)
        with pytest.raises(WorkflowError, match="Choose why you pass"):
            express(session, investor.id, project.id, "declined", actor)
        express(session, investor.id, project.id, "declined", actor, reason="ticket_size")
        assert interest.decline_reason == "ticket_size" and next_stages("declined") == []


def test_contacts_are_revealed_only_after_the_owner_accepts(seeded_hub: Hub) -> None:
    with seeded_hub.sessions.begin() as session:
        project = _project(session, "published")
        investor = repository.active_investors(session)[0]
        interest = express(
            session, investor.id, project.id, "watching", Actor(investor.contact_email, "investor")
        )
        owner = _owner(project)
        with pytest.raises(WorkflowError, match="wait until it is Interested"):
            accept(session, interest, owner)
        express(session, investor.id, project.id, "interested", Actor(investor.contact_email, "investor"))
        assert contacts(session, interest) is None
        with pytest.raises(WorkflowError, match="Only the project's owner"):
            accept(session, interest, Actor("other@x.example", "project_owner"))
        accept(session, interest, owner)
        revealed = contacts(session, interest)
        assert revealed.project_contact_email == project.confidential.contact_email
        assert revealed.investor_contact_email == investor.contact_email


def test_interest_only_in_published_projects(seeded_hub: Hub) -> None:
    with seeded_hub.sessions.begin() as session:
        draft = _project(session, "draft")
        investor = repository.active_investors(session)[0]
        with pytest.raises(WorkflowError, match="published projects only"):
            express(session, investor.id, draft.id, "watching", Actor(investor.contact_email, "investor"))


def test_a_saved_search_reports_what_was_published_since_the_last_visit(
    seeded_hub: Hub, tmp_path: Path
) -> None:
    engine = open_engine(seeded_hub, CachedEncoder(FakeEncoder(), EmbeddingCache(tmp_path / "c.sqlite")))
    filters = ProjectFilters(countries=("KZ",))
    assert filters_from_json(filters_to_json(filters)) == filters
    with seeded_hub.sessions.begin() as session:
        account = session.scalar(select(Account).where(Account.role == "investor"))
        search = save_search(session, account.id, "Kazakhstan", None, filters, actor=account.email)
        assert new_since_last_visit(engine.matcher, search) == []
        waiting = next(
            p
            for p in repository.projects_for_export(session)
            if p.status == "submitted" and p.country_code == "KZ"
        )
        move(session, waiting, "published", STAFF)
        search_id = search.id
    matcher = engine.refresh()
    with seeded_hub.sessions.begin() as session:
        search = session.get(type(search), search_id)
        new = new_since_last_visit(matcher, search)
        assert [f.id for f in new] == [waiting.id]
        search.last_seen_at = new[0].published_at - timedelta(days=1)  # as if last seen before it
        assert new_since_last_visit(matcher, search)
        mark_seen(search)  # this visit: what it showed is no longer new
        assert search.last_seen_at > new[0].published_at
        assert new_since_last_visit(matcher, search) == []
    with pytest.raises(ValueError, match="give the search a name"), seeded_hub.sessions.begin() as session:
        save_search(session, account.id, " ", None, filters, actor=account.email)


def test_an_owner_saves_only_their_own_editable_passport_and_keeps_its_stored_status(seeded_hub: Hub) -> None:
    services = Services(seeded_hub)
    with seeded_hub.sessions() as session:
        published = _project(session, "published")
        owner = _owner(published)
        other = next(
            a
            for a in session.scalars(select(Account))
            if a.role == "project_owner" and a.id != published.owner_account_id
        )
        intruder = Actor(other.email, "project_owner", account_id=other.id)
    data = {**GOOD_PROJECT, "external_id": published.external_id}
    with pytest.raises(Forbidden, match="belongs to another owner"):
        services.save_draft(intruder, data)  # someone else's passport: not taken over
    with pytest.raises(WorkflowError, match="This passport is Published"):
        services.save_draft(owner, data)  # not back to draft behind staff's back
    with seeded_hub.sessions() as session:
        assert repository.find_project(session, published.id).title != GOOD_PROJECT["title"]
    draft = services.save_draft(owner, {**GOOD_PROJECT, "external_id": None, "status": "published"})
    assert draft.status == "draft"  # a new passport starts as a draft whatever the form says


def test_new_rows_get_ids_from_their_key_never_one_already_taken(seeded_hub: Hub) -> None:
    with seeded_hub.sessions.begin() as session:
        next_key = session.scalar(select(func.max(Project.id))) + 1
        taken = validate_project(
            {**GOOD_PROJECT, "external_id": f"P-{next_key + 1:06d}"}, seeded_hub.reference
        )
        imported, _ = repository.save_project(session, taken, actor="import")  # an imported id in the way
        fresh = validate_project({**GOOD_PROJECT, "external_id": ""}, seeded_hub.reference)  # no id given
        first, _ = repository.save_project(session, fresh, actor="owner")
        second, _ = repository.save_project(session, fresh, actor="owner")
        assert imported.id == next_key and imported.title == GOOD_PROJECT["title"]
        # the imported row holds P-<first's key>: first steps around it instead of updating it
        assert first.id == next_key + 1 and first.external_id == f"P-{first.id:06d}-1"
        assert second.external_id == f"P-{second.id:06d}"
