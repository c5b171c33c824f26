from __future__ import annotations

from sqlalchemy import func, select

from hub import repository
from hub.config import PROJECT_ROOT
from hub.context import Hub
from hub.demo import seed_demo
from hub.models import Account, AuditEvent, Project


def _counts(hub: Hub) -> tuple[int, int, int, int]:
    with hub.sessions() as session:
        return (
            repository.count_projects(session),
            repository.count_investors(session),
            session.scalar(select(func.count(Account.id))),
            session.scalar(select(func.count(AuditEvent.id))),
        )


def test_seeding_twice_changes_nothing_the_second_time(seeded_hub: Hub) -> None:
    before = _counts(seeded_hub)
    report = seed_demo(seeded_hub.sessions, seeded_hub.reference, PROJECT_ROOT / "data", seed=2017)
    assert report.projects.created == 0 and report.projects.unchanged == before[0]
    after = _counts(seeded_hub)
    assert after[:3] == before[:3]
    assert after[3] == before[3] + 2  # only the two "import" events, no row events


def test_seeding_leaves_staff_edits_to_demo_rows_alone(seeded_hub: Hub) -> None:
    with seeded_hub.sessions.begin() as session:
        project = repository.find_project(session, "DEMO-P-0001")
        project.title = "Edited by a curator"
    seed_demo(seeded_hub.sessions, seeded_hub.reference, PROJECT_ROOT / "data", seed=2017)
    with seeded_hub.sessions() as session:
        assert repository.find_project(session, "DEMO-P-0001").title == "Edited by a curator"


def test_seeded_data_has_owners_accounts_and_published_listings(seeded_hub: Hub) -> None:
    with seeded_hub.sessions() as session:
        statuses = dict(repository.projects_per_status(session))
        assert statuses["published"] > 400
        owned = session.scalar(select(func.count(Project.id)).where(Project.owner_account_id.is_not(None)))
        assert owned == repository.count_projects(session)
        roles = {a.role for a in session.scalars(select(Account))}
        assert roles == {"investor", "project_owner", "hub_staff", "admin"}
