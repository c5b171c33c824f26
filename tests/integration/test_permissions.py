"""The permission matrix: every role against every service action, allowed or refused as the
security model says (README, "Accounts and permissions"), including the four holes a hostile
user found: an interest in another investor's name, archiving a listing that has no owner
account, editing another owner's passport, and an import replacing an owner's contact."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import select

from hub import interest, repository
from hub.accounts import NewAccount
from hub.actors import SYSTEM, Actor
from hub.context import Hub
from hub.importing import PROJECT_COLUMNS, PROJECT_OPTIONAL, Kind, import_file, write_rows
from hub.matching import ProjectFilters
from hub.models import Account, Investor, Project
from hub.services import Forbidden, Services
from tests.unit.test_validation import GOOD_INVESTOR, GOOD_PROJECT

ROLES = ("investor", "project_owner", "hub_staff", "admin", "system")
STAFF_ROLES = {"hub_staff", "admin", "system"}


@dataclass
class World:
    """The demo data seen from each role, with one target of each kind."""

    services: Services
    actors: dict[str, Actor]
    published: Project  # owned by actors["project_owner"]
    ownerless: Project  # published, imported without an owner account
    submitted: Project
    others_draft: Project  # a draft of another owner
    other_investor: Investor
    interest_id: int  # the investor's interest in ``published``, accepted-able
    tmp: Path


def _actor(account: Account) -> Actor:
    return Actor(account.email, account.role, account.id, account.investor_id, account.display_name)


@pytest.fixture
def world(seeded_hub: Hub, tmp_path: Path) -> Iterator[World]:
    refreshed: list[int] = []
    services = Services(seeded_hub, refresh=lambda: refreshed.append(1))
    with seeded_hub.sessions.begin() as session:
        published = session.scalars(
            select(Project).where(Project.status == "published", Project.owner_account_id.is_not(None))
        ).first()
        ownerless = session.scalars(
            select(Project).where(Project.status == "published", Project.id != published.id)
        ).first()
        ownerless.owner_account_id = None
        submitted = session.scalars(select(Project).where(Project.status == "submitted")).first()
        others_draft = session.scalars(
            select(Project).where(
                Project.status == "draft",
                Project.owner_account_id.is_not(None),
                Project.owner_account_id != published.owner_account_id,
            )
        ).first()
        investor_account = session.scalars(
            select(Account).where(Account.role == "investor", Account.investor_id.is_not(None))
        ).first()
        other_investor = session.scalars(
            select(Investor).where(Investor.id != investor_account.investor_id)
        ).first()
        staff = repository.account_by_email(session, "staff@hubmatch.example")
        admin = repository.account_by_email(session, "admin@hubmatch.example")
        investor_actor = _actor(investor_account)
        row = interest.express(
            session, investor_actor.investor_id, published.id, "interested", investor_actor
        )
        actors = {
            "investor": investor_actor,
            "project_owner": _actor(published.owner_account),
            "hub_staff": _actor(staff),
            "admin": _actor(admin),
            "system": SYSTEM,
        }
        session.flush()
        yield_world = World(
            services, actors, published, ownerless, submitted, others_draft, other_investor, row.id, tmp_path
        )
    yield yield_world


def _passport(project: Project, **change: str) -> dict:
    return {**GOOD_PROJECT, "external_id": project.external_id, **change}


def _import(w: World, actor: Actor) -> object:
    path = w.tmp / "one.csv"
    write_rows([{**GOOD_PROJECT, "external_id": "IMP-1"}], (*PROJECT_COLUMNS, *PROJECT_OPTIONAL), path)
    return w.services.import_file(actor, Kind.PROJECTS, path)


ACTIONS: dict[str, tuple[Callable[[World, Actor], object], set[str]]] = {
    "save a new draft": (
        lambda w, a: w.services.save_draft(a, {"title": "Qoly grocery delivery"}),
        {"project_owner", *STAFF_ROLES},
    ),
    "submit a new passport": (
        lambda w, a: w.services.submit_passport(a, {**GOOD_PROJECT, "external_id": None}),
        {"project_owner", *STAFF_ROLES},
    ),
    "edit another owner's draft": (  # finding 3; staff may complete any draft
        lambda w, a: w.services.save_draft(a, _passport(w.others_draft)),
        STAFF_ROLES,
    ),
    "publish a submitted passport": (
        lambda w, a: w.services.review(a, w.submitted.id, "published"),
        STAFF_ROLES,
    ),
    "archive one's own listing": (
        lambda w, a: w.services.archive_listing(a, w.published.id),
        {"project_owner", *STAFF_ROLES},
    ),
    "archive a listing without an owner account": (  # finding 2
        lambda w, a: w.services.archive_listing(a, w.ownerless.id),
        STAFF_ROLES,
    ),
    "edit any listing": (
        lambda w, a: w.services.edit_listing(a, _passport(w.published, status="published")),
        STAFF_ROLES,
    ),
    "verify an AIFC link": (
        lambda w, a: w.services.verify_aifc(a, _aifc_linked(w), verified=False, note="checked"),
        STAFF_ROLES,
    ),
    "update one's own investor profile": (
        lambda w, a: w.services.update_profile(a, {**GOOD_INVESTOR, "external_id": _own_investor(w, a)}),
        {"investor", *STAFF_ROLES},
    ),
    "update another investor's profile": (
        lambda w, a: w.services.update_profile(
            a, {**GOOD_INVESTOR, "external_id": w.other_investor.external_id}
        ),
        STAFF_ROLES,
    ),
    "express interest": (  # finding 1: only an investor, and only in their own name
        lambda w, a: w.services.express_interest(a, w.published.id, "in_discussion"),
        {"investor"},
    ),
    "accept an interest in one's project": (
        lambda w, a: w.services.accept_interest(a, w.interest_id),
        {"project_owner"},
    ),
    "read an interest's contacts": (
        lambda w, a: w.services.contacts(a, w.interest_id),
        {"investor", "project_owner", *STAFF_ROLES},
    ),
    "save a search": (
        lambda w, a: w.services.save_search(a, "Solar", "solar", ProjectFilters()),
        {"investor"},
    ),
    "import a file": (_import, STAFF_ROLES),
    "export every listing with contacts": (
        lambda w, a: w.services.export_file(a, Kind.PROJECTS, w.tmp / "all.csv"),
        STAFF_ROLES,
    ),
    "rebuild the index": (lambda w, a: w.services.reindex(a), STAFF_ROLES),
    "read the audit log": (lambda w, a: w.services.audit_log(a), STAFF_ROLES),
    "create a staff account": (
        lambda w, a: w.services.create_user(
            a, NewAccount("curator2@hubmatch.example", "a long passphrase", "hub_staff", "Second curator")
        ),
        {"admin", "system"},
    ),
    "change a role": (
        lambda w, a: w.services.change_role(a, "staff@hubmatch.example", "admin"),
        {"admin", "system"},
    ),
}


def _aifc_linked(w: World) -> int:
    with w.services.hub.sessions() as session:
        return session.scalars(select(Project.id).where(Project.aifc_link != "none")).first()


def _own_investor(w: World, actor: Actor) -> str:
    with w.services.hub.sessions() as session:
        own = repository.find_investor(session, w.actors["investor"].investor_id)
        return own.external_id


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", list(ACTIONS))
def test_each_role_may_do_only_what_the_security_model_allows(world: World, action: str, role: str) -> None:
    run, allowed = ACTIONS[action]
    actor = world.actors[role]
    if role in allowed:
        run(world, actor)  # no Forbidden, and no other error either: the inputs are valid
    else:
        with pytest.raises(Forbidden):
            run(world, actor)


def test_anyone_may_sign_up_as_investor_or_owner_but_never_as_staff(world: World) -> None:
    owner = world.services.sign_up(
        NewAccount("new@owner.example", "a long passphrase", "project_owner", "New owner")
    )
    assert owner.role == "project_owner" and owner.account_id
    with pytest.raises(Forbidden, match="created by an administrator"):
        world.services.sign_up(NewAccount("evil@x.example", "a long passphrase", "hub_staff", "Evil"))


def test_an_investor_sees_the_owners_contact_only_after_the_owner_accepts(world: World) -> None:
    investor, owner = world.actors["investor"], world.actors["project_owner"]
    assert world.services.contacts(investor, world.interest_id) is None
    revealed = world.services.accept_interest(owner, world.interest_id)
    assert world.services.contacts(investor, world.interest_id) == revealed
    assert revealed.project_contact_email and revealed.investor_contact_email


def test_an_import_never_replaces_an_owners_contact_without_confirmation(world: World) -> None:
    staff = world.actors["hub_staff"]
    row = _passport(world.published, status="published", owner_email="someone@else.example")
    path = world.tmp / "takeover.csv"
    write_rows([row], (*PROJECT_COLUMNS, *PROJECT_OPTIONAL), path)
    report = world.services.import_file(staff, Kind.PROJECTS, path)
    assert not report.written and [e.field for e in report.errors] == ["owner_email"]
    assert "--confirm-contact-changes" in report.errors[0].message
    confirmed = world.services.import_file(staff, Kind.PROJECTS, path, confirm_contact_changes=True)
    assert confirmed.written
    with world.services.hub.sessions() as session:
        project = repository.find_project(session, world.published.id)
        assert project.confidential.contact_email == "someone@else.example"
        assert project.owner_account.email == "someone@else.example"  # a new owner account, no password
        assert project.owner_account.password_hash is None


def test_imported_projects_are_linked_to_the_owner_account_of_their_email(hub: Hub, tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    write_rows([{**GOOD_PROJECT, "external_id": "IMP-7"}], (*PROJECT_COLUMNS, *PROJECT_OPTIONAL), path)
    assert import_file(hub.sessions, Kind.PROJECTS, path, hub.reference).written
    with hub.sessions() as session:
        project = repository.find_project(session, "IMP-7")
        assert project.owner_account.email == GOOD_PROJECT["owner_email"]
        assert project.owner_account.role == "project_owner"
