"""The ORM on every backend: exact money, UTC timestamps, confidential parts kept apart."""

from __future__ import annotations

from datetime import UTC
from decimal import Decimal

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError

from hub import repository
from hub.context import Hub
from hub.models import Account, Interest, Investor, Project
from hub.schemas import validate_investor, validate_project
from tests.unit.test_validation import GOOD_INVESTOR, GOOD_PROJECT


def _store(hub: Hub, project: dict | None = None, investor: dict | None = None) -> tuple[int, int]:
    with hub.sessions.begin() as session:
        repository.sync_reference(session, hub.reference)
        p, _ = repository.save_project(
            session, validate_project({**GOOD_PROJECT, **(project or {})}, hub.reference), actor="test"
        )
        i, _ = repository.save_investor(
            session, validate_investor({**GOOD_INVESTOR, **(investor or {})}, hub.reference), actor="test"
        )
        return p.id, i.id


def test_money_round_trips_exactly_as_integer_minor_units(hub: Hub) -> None:
    project_id, investor_id = _store(
        hub,
        project={"funding_ask": "123456789012.34", "total_cost": "123456789012.35", "currency": "UZS"},
        investor={"ticket_min": "0.01", "ticket_max": "99999999.99"},
    )
    with hub.sessions() as session:
        project = session.get(Project, project_id)
        investor = session.get(Investor, investor_id)
        assert project.funding_ask == Decimal("123456789012.34")
        assert investor.ticket_min == Decimal("0.01") and investor.ticket_max == Decimal("99999999.99")
        raw = session.execute(text("select funding_ask from projects where id = :id"), {"id": project_id})
        assert raw.scalar_one() == 12345678901234  # stored in cents, no float anywhere


def test_timestamps_come_back_timezone_aware_in_utc(hub: Hub) -> None:
    project_id, _ = _store(hub)
    with hub.sessions() as session:
        project = session.get(Project, project_id)
        assert project.created_at.tzinfo is not None
        assert project.created_at.utcoffset() == UTC.utcoffset(None)
        assert project.submitted_at is not None  # status "submitted" stamps the time


def test_relationships_and_confidential_contact_are_stored_apart(hub: Hub) -> None:
    project_id, investor_id = _store(hub)
    with hub.sessions() as session:
        project = session.get(Project, project_id)
        assert [s.slug for s in project.sectors] == ["energy_efficiency", "public_transport"]
        assert [s.number for s in project.sdgs] == [11, 13]
        assert project.region.name_en == "Karaganda Region"
        assert project.confidential.contact_email == "cfo@saryarka-transit.example"
        assert not hasattr(project, "owner_email")
        investor = session.get(Investor, investor_id)
        assert [c.code for c in investor.countries] == ["KZ"]
        assert [r.code for r in investor.regions] == ["UZ-TK"]


def test_an_investor_can_express_interest_in_a_project_only_once(hub: Hub) -> None:
    project_id, investor_id = _store(hub)
    with hub.sessions.begin() as session:
        session.add(Interest(investor_id=investor_id, project_id=project_id, stage="watching"))
    with pytest.raises(IntegrityError), hub.sessions.begin() as session:
        session.add(Interest(investor_id=investor_id, project_id=project_id, stage="interested"))


def test_saving_the_same_external_id_updates_instead_of_duplicating(hub: Hub) -> None:
    _store(hub)
    _store(hub, project={"title": "Electric bus depot, phase two"})
    with hub.sessions() as session:
        titles = session.scalars(select(Project.title)).all()
        assert titles == ["Electric bus depot, phase two"]
        actions = [e.action for e in repository.recent_events(session)]
        assert actions.count("project.created") == 1 and actions.count("project.updated") == 1


def test_accounts_carry_a_role_and_may_link_to_an_investor(hub: Hub) -> None:
    _, investor_id = _store(hub)
    with hub.sessions.begin() as session:
        repository.save_account(
            session, email="a@x.example", display_name="A", role="investor", investor_id=investor_id
        )
    with hub.sessions() as session:
        account = session.scalar(select(Account))
        assert account.role == "investor" and account.investor.id == investor_id
