"""Accounts and the audit trail: hashed passwords, throttled sign-in, roles, concurrent edits,
and an audit event with who, when, what and before/after for every state change."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, text

from hub import accounts, repository
from hub.accounts import AccountError, NewAccount
from hub.actors import SYSTEM
from hub.cli import EXIT_INVALID, EXIT_OK
from hub.config import Settings
from hub.context import Hub
from hub.models import Account, AuditEvent, utcnow
from hub.services import Services, StaleEdit
from tests.integration.test_cli import run
from tests.unit.test_validation import GOOD_PROJECT

PASSWORD = "correct horse battery"


def _owner(services: Services, email: str = "owner@startup.example") -> object:
    return services.sign_up(NewAccount(email, PASSWORD, "project_owner", "Startup owner", "Startup LLP"))


def test_a_password_is_stored_only_as_an_argon2_hash_and_never_logged(hub: Hub) -> None:
    services = Services(hub)
    _owner(services)
    services.log_in("owner@startup.example", PASSWORD)
    with hub.sessions() as session:
        account = repository.account_by_email(session, "owner@startup.example")
        assert account.password_hash.startswith("$argon2id$") and PASSWORD not in account.password_hash
        dumped = " ".join(str(e.details) + e.actor for e in session.scalars(select(AuditEvent)))
        assert PASSWORD not in dumped
        actions = [e.action for e in session.scalars(select(AuditEvent).order_by(AuditEvent.id))]
    assert actions == ["account.created", "account.login"]


def test_sign_up_refuses_a_taken_email_a_short_password_and_a_bad_email(hub: Hub) -> None:
    services = Services(hub)
    _owner(services)
    for new, words in (
        (NewAccount("owner@startup.example", PASSWORD, "investor", "Again"), "exists already"),
        (NewAccount("new@startup.example", "short", "investor", "New"), "at least 10 characters"),
        (NewAccount("not-an-email", PASSWORD, "investor", "New"), "not a valid email"),
    ):
        with pytest.raises(AccountError, match=words):
            services.sign_up(new)


def test_failed_sign_ins_are_throttled_and_said_the_same_for_unknown_emails(hub: Hub) -> None:
    services = Services(hub)
    _owner(services)
    with pytest.raises(AccountError, match="email or the password is wrong"):
        services.log_in("nobody@startup.example", PASSWORD)
    for _ in range(accounts.MAX_FAILED):
        with pytest.raises(AccountError, match="email or the password is wrong"):
            services.log_in("owner@startup.example", "wrong password!")
    with pytest.raises(AccountError, match="locked until"):
        services.log_in("owner@startup.example", PASSWORD)  # even the right password, for now
    later = utcnow() + timedelta(minutes=accounts.LOCK_MINUTES + 1)
    with hub.sessions.begin() as session:
        assert accounts.authenticate(session, "owner@startup.example", PASSWORD, now=later).email
    with hub.sessions() as session:
        failed = session.scalar(
            select(text("count(*)"))
            .select_from(AuditEvent)
            .where(AuditEvent.action == "account.login_failed")
        )
    assert failed == accounts.MAX_FAILED + 1


def test_a_demo_or_imported_account_without_a_password_cannot_sign_in(seeded_hub: Hub) -> None:
    with pytest.raises(AccountError):
        Services(seeded_hub).log_in("staff@hubmatch.example", "")


def test_a_role_change_is_audited_with_before_and_after(hub: Hub) -> None:
    services = Services(hub)
    _owner(services)
    services.change_role(SYSTEM, "owner@startup.example", "hub_staff")
    with hub.sessions() as session:
        event = repository.recent_events(session, 1, action="account.role_changed")[0]
    assert (event.actor, event.details) == ("system", {"before": "project_owner", "after": "hub_staff"})


def test_every_passport_change_is_audited_with_what_changed(hub: Hub) -> None:
    services = Services(hub)
    owner = _owner(services)
    saved = services.save_draft(owner, {**GOOD_PROJECT, "external_id": None, "status": "draft"})
    services.save_draft(
        owner,
        {**GOOD_PROJECT, "external_id": saved.external_id, "city": "Temirtau"},
        expected_version=saved.version,
    )
    services.submit_passport(owner, {**GOOD_PROJECT, "external_id": saved.external_id, "city": "Temirtau"})
    staff_rows = services.audit_log(SYSTEM, action="project.")
    actions = [row.action for row in reversed(staff_rows)]
    assert actions == ["project.created", "project.updated", "project.updated", "project.submitted"]
    edit = next(row for row in reversed(staff_rows) if row.details.get("changes"))
    assert edit.details["changes"] == {"city": ["Karaganda", "Temirtau"]} and edit.actor == owner.email
    assert [r.action for r in services.audit_log(SYSTEM, who="owner@startup")][:1] == ["project.submitted"]


def test_the_second_of_two_saves_from_one_version_is_refused_and_nothing_is_overwritten(hub: Hub) -> None:
    services = Services(hub)
    owner = _owner(services)
    saved = services.save_draft(owner, {**GOOD_PROJECT, "external_id": None, "status": "draft"})
    loaded = saved.version  # both people opened this version
    first = services.save_draft(
        owner, {**GOOD_PROJECT, "external_id": saved.external_id, "city": "First"}, expected_version=loaded
    )
    assert first.version == loaded + 1
    with pytest.raises(StaleEdit, match="saved by someone else while you were editing"):
        services.save_draft(
            owner,
            {**GOOD_PROJECT, "external_id": saved.external_id, "city": "Second"},
            expected_version=loaded,
        )
    with hub.sessions() as session:
        assert repository.find_project(session, saved.external_id).city == "First"


def test_two_sessions_writing_one_row_at_once_cannot_both_win(hub: Hub) -> None:
    services = Services(hub)
    owner = _owner(services)
    saved = services.save_draft(owner, {**GOOD_PROJECT, "external_id": None, "status": "draft"})
    first, second = hub.sessions(), hub.sessions()
    a = repository.find_project(first, saved.project_id)
    b = repository.find_project(second, saved.project_id)
    a.city, b.city = "A", "B"
    first.commit()
    from sqlalchemy.orm.exc import StaleDataError

    with pytest.raises(StaleDataError):
        second.commit()  # the version column: B was read before A's write
    second.rollback()
    first.close()
    second.close()


def test_user_create_on_the_command_line(settings: Settings) -> None:
    code, output = run(
        settings,
        "user",
        "create",
        "--email",
        "curator@hub.example",
        "--password",
        PASSWORD,
        "--role",
        "staff",
    )
    assert code == EXIT_OK and "Created the staff account curator@hub.example" in output
    code, output = run(
        settings,
        "user",
        "create",
        "--email",
        "curator@hub.example",
        "--password",
        PASSWORD,
        "--role",
        "staff",
    )
    assert code == EXIT_INVALID and "exists already" in output
    code, output = run(
        settings, "user", "create", "--email", "x@hub.example", "--password", "short", "--role", "admin"
    )
    assert code == EXIT_INVALID and "at least 10 characters" in output


def test_signing_up_with_an_imported_owners_email_is_refused_and_an_admin_sets_it_up(
    seeded_hub: Hub,
) -> None:
    services = Services(seeded_hub)
    with seeded_hub.sessions() as session:
        owner = session.scalars(select(Account).where(Account.role == "project_owner")).first()
        email = owner.email
    with pytest.raises(AccountError, match="ask hub staff to set up this account"):
        services.sign_up(NewAccount(email, PASSWORD, "project_owner", "Someone else"))
    services.create_user(SYSTEM, NewAccount(email, PASSWORD, "project_owner", owner.display_name))
    assert services.log_in(email, PASSWORD).account_id == owner.id  # the same account, its listings kept
