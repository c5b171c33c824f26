"""The service layer: one function per user action, each taking the acting account first.

In one place and one transaction, every action authorises, validates, writes, writes its audit
event, and then brings the matching index up to date. Pages and the command line call these and
render what they return; neither opens a transaction nor checks a permission itself.

Who may do what (``Forbidden`` otherwise):

- anyone: sign up as an investor or a project owner, sign in; read published listings;
- investor: their own organisation's profile, their interests, shortlist and saved searches;
  a project's contacts only after its owner accepted their interest;
- project owner: their own drafts and proposals, and the interest in them (accepting one);
- hub staff: the review queue, decisions, AIFC checks, editing any listing, imports, the index
  and the audit log;
- admin: everything staff may, and accounts and roles. The system actor (the command line)
  acts as an admin.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from hub import accounts, changes, curation, interest, lang, repository, searches
from hub.actors import Actor
from hub.backup import Progress, Restored, Written, restore_backup, write_backup
from hub.context import Hub
from hub.demo import SeedReport
from hub.demo import seed_demo as _seed_demo
from hub.i18n import ExplainedError, Text, Vocab
from hub.importing import ImportReport, Kind
from hub.importing import export_file as _export_file
from hub.importing import import_file as _import_file
from hub.matching import ProjectFilters
from hub.models import Project, utcnow
from hub.passport import plausibility
from hub.schemas import FieldError, InvalidInput, missing_for_submission, validate_investor, validate_project
from hub.vocab import Role, Status


class Forbidden(ExplainedError, PermissionError):
    """The actor may not do this; ``text`` says who may, in any language."""

    prefix = "permission."


class StaleEdit(ValueError):
    """Someone saved the record after this edit began: nothing was overwritten."""

    def __init__(self, what: str | None = None, version: int = 0, yours: int = 0) -> None:
        self.text = (
            Text("edit.stale", {"what": what, "version": version, "yours": yours})
            if what is not None
            else Text("edit.stale_race", {})
        )
        super().__init__(self.text.render())


@dataclass(frozen=True)
class Saved:
    """A passport as stored: where it stands and what it still needs."""

    project_id: int
    external_id: str
    status: str
    version: int
    needs: list[FieldError] = field(default_factory=list)
    warnings: list[FieldError] = field(default_factory=list)


@dataclass(frozen=True)
class AccountRow:
    email: str
    name: str
    role: str
    organisation: str | None
    can_sign_in: bool  # has a password
    last_login: str | None
    demo: bool


@dataclass(frozen=True)
class AuditRow:
    occurred_at: str
    actor: str
    action: str
    entity: str
    details: dict[str, Any]


def _require(allowed: bool, key: str, **values: object) -> None:
    if not allowed:
        raise Forbidden(key, **values)


def _check_version(what: str, stored: int, expected: int | None) -> None:
    if expected is not None and stored != expected:
        raise StaleEdit(what, stored, expected)


@dataclass
class Services:
    """The actions of HubMatch over one ``Hub``. ``refresh`` brings the matching index up to
    date after a write that changes what can be matched (the engine's refresh, or a fake)."""

    hub: Hub
    refresh: Callable[[], object] = lambda: None

    @contextmanager
    def _transaction(self) -> Iterator[Session]:
        """One transaction; two saves of one record at the same moment: the second is refused
        (the version column), never applied over the first."""
        try:
            with self.hub.sessions.begin() as session:
                yield session
        except StaleDataError:
            raise StaleEdit() from None

    def _project(self, session: Session, key: str | int) -> Project:
        project = repository.find_project(session, key)
        if project is None:
            raise LookupError(f"no project has the id {key}")
        return project

    # --- accounts ----------------------------------------------------------------------------

    def sign_up(self, new: accounts.NewAccount) -> Actor:
        """Anyone: a new investor or project-owner account (staff and admins are made by admins)."""
        _require(
            new.role in accounts.SIGN_UP_ROLES,
            "sign_up_role",
            roles=[Vocab("role", r) for r in accounts.SIGN_UP_ROLES],
        )
        with self._transaction() as session:
            return accounts.actor_of(accounts.create_account(session, new, actor=new.email))

    def log_in(self, email: str, password: str) -> Actor:
        """The account's actor; ``AccountError`` when the password is wrong or the account locked
        (the failed attempt is recorded all the same)."""
        with self.hub.sessions() as session:
            try:
                account = accounts.authenticate(session, email, password)
            except accounts.AccountError:
                session.commit()
                raise
            session.commit()
            return accounts.actor_of(account)

    def log_out(self, actor: Actor) -> None:
        with self._transaction() as session:
            repository.record_event(
                session,
                actor=actor.email,
                action="account.logout",
                entity_type="account",
                entity_id=actor.account_id,
            )

    def demo_accounts(self, role: str) -> list[Actor]:
        """Demo mode only: the demo accounts of a role, to act as without a password."""
        _require(self.hub.settings.demo_mode_on, "demo_off")
        with self.hub.sessions() as session:
            return [accounts.actor_of(a) for a in repository.accounts_with_role(session, role) if a.is_demo]

    def accounts(self, actor: Actor) -> list[AccountRow]:
        """Admin: every account with its role and last sign-in."""
        _require(actor.is_admin, "admin_only")
        with self.hub.sessions() as session:
            return [
                AccountRow(
                    a.email,
                    a.display_name,
                    a.role,
                    a.organisation,
                    a.password_hash is not None,
                    a.last_login_at.strftime("%Y-%m-%d %H:%M") if a.last_login_at else None,
                    a.is_demo,
                )
                for a in repository.all_accounts(session)
            ]

    def create_user(self, actor: Actor, new: accounts.NewAccount) -> Actor:
        """Admin: an account in any role (staff accounts are made only this way), or the
        password of an account an import made for a listing's owner, once checked with them."""
        _require(actor.is_admin, "admin_only")
        with self._transaction() as session:
            return accounts.actor_of(accounts.create_account(session, new, actor=actor.email, claim=True))

    def change_role(self, actor: Actor, email: str, role: str) -> Actor:
        """Admin: move an account to another role."""
        _require(actor.is_admin, "admin_only")
        with self._transaction() as session:
            account = repository.account_by_email(session, email)
            if account is None:
                raise LookupError(f"no account has the email {email}")
            return accounts.actor_of(accounts.change_role(session, account, role, actor=actor.email))

    # --- passports -----------------------------------------------------------------------------

    def save_draft(
        self, actor: Actor, data: Mapping[str, Any], *, expected_version: int | None = None
    ) -> Saved:
        """An owner saves their passport (new ones start as drafts); staff may complete any draft."""
        return self._save_passport(actor, data, expected_version, submit=False)

    def submit_passport(
        self, actor: Actor, data: Mapping[str, Any], *, expected_version: int | None = None
    ) -> Saved:
        """Save the passport and submit it for review; it must be complete."""
        return self._save_passport(actor, data, expected_version, submit=True)

    def _save_passport(
        self, actor: Actor, data: Mapping[str, Any], expected_version: int | None, *, submit: bool
    ) -> Saved:
        _require(actor.role == Role.PROJECT_OWNER or actor.is_staff, "owners_only")
        with self._transaction() as session:
            external_id = str(data.get("external_id") or "").strip()
            existing = repository.project_by_external_id(session, external_id) if external_id else None
            status = Status.DRAFT.value
            if existing is not None:
                if not actor.is_staff:
                    _require(existing.owner_account_id == actor.account_id, "not_your_passport")
                if existing.status not in curation.EDITABLE_BY_OWNER:
                    raise curation.WorkflowError("passport_locked", status=Vocab("status", existing.status))
                _check_version(existing.title, existing.version, expected_version)
                status = existing.status
            passport = validate_project({**data, "status": status}, self.hub.reference)
            owner = actor.account_id if actor.role == Role.PROJECT_OWNER else None
            project, _ = repository.save_project(session, passport, actor=actor.email, owner_account_id=owner)
            if submit:
                curation.move(session, project, Status.SUBMITTED, actor)
            session.flush()
            return Saved(
                project.id,
                project.external_id,
                project.status,
                project.version,
                missing_for_submission(project),
                plausibility(passport, self.hub.reference),
            )

    def review(
        self, actor: Actor, project: str | int, to: str, *, reason: str | None = None, note: str | None = None
    ) -> str:
        """Staff: decide on a submitted passport (publish, send back, reject) or take it in review."""
        _require(actor.is_staff, "staff_only")
        with self._transaction() as session:
            row = self._project(session, project)
            touches_index = Status.PUBLISHED in (row.status, to)
            curation.move(session, row, to, actor, reason=reason, note=note)
        if touches_index:
            self.refresh()
        return to

    def archive_listing(self, actor: Actor, project: str | int) -> None:
        """The owner, or staff: take a published listing off the hub."""
        with self._transaction() as session:
            row = self._project(session, project)
            _require(
                actor.is_staff
                or (actor.role == Role.PROJECT_OWNER and row.owner_account_id == actor.account_id),
                "not_your_passport",
            )
            curation.move(session, row, Status.ARCHIVED, actor)
        self.refresh()

    def edit_listing(
        self, actor: Actor, data: Mapping[str, Any], *, expected_version: int | None = None
    ) -> Saved:
        """Staff: edit any listing in place (its status is kept as given)."""
        _require(actor.is_staff, "staff_only")
        with self._transaction() as session:
            existing = repository.project_by_external_id(session, str(data.get("external_id") or ""))
            if existing is not None:
                _check_version(existing.title, existing.version, expected_version)
            passport = validate_project(data, self.hub.reference)
            project, _ = repository.save_project(session, passport, actor=actor.email)
            session.flush()
            saved = Saved(
                project.id,
                project.external_id,
                project.status,
                project.version,
                missing_for_submission(project) if passport.is_draft else [],
                plausibility(passport, self.hub.reference),
            )
        self.refresh()
        return saved

    def verify_aifc(
        self, actor: Actor, project: str | int, *, verified: bool, note: str | None = None
    ) -> None:
        """Staff: record the check of a project's claimed AIFC link."""
        _require(actor.is_staff, "staff_only")
        with self._transaction() as session:
            curation.verify_aifc_link(
                session, self._project(session, project), actor, verified=verified, note=note
            )

    # --- investors -----------------------------------------------------------------------------

    def update_profile(
        self, actor: Actor, data: Mapping[str, Any], *, expected_version: int | None = None
    ) -> int:
        """An investor edits their organisation's profile (creating it on first save); staff
        may edit any. Returns the investor's id."""
        _require(actor.role == Role.INVESTOR or actor.is_staff, "investors_only")
        with self._transaction() as session:
            external_id = str(data.get("external_id") or "").strip()
            existing = repository.find_investor(session, external_id) if external_id else None
            if actor.role == Role.INVESTOR:
                own = repository.find_investor(session, actor.investor_id) if actor.investor_id else None
                _require(
                    (existing is None and own is None)
                    or (existing is not None and existing.id == actor.investor_id),
                    "not_your_profile",
                )
            if existing is not None:
                _check_version(existing.name, existing.version, expected_version)
            profile = validate_investor(data, self.hub.reference)
            investor, _ = repository.save_investor(session, profile, actor=actor.email)
            if actor.role == Role.INVESTOR and actor.account_id is not None:
                repository.link_account_investor(session, actor.account_id, investor.id)
            investor_id = investor.id
        self.refresh()
        return investor_id

    def express_interest(
        self,
        actor: Actor,
        project_id: int,
        stage: str,
        *,
        reason: str | None = None,
        note: str | None = None,
    ) -> str:
        """An investor shortlists a published project or moves their interest up the ladder."""
        _require(actor.role == Role.INVESTOR and actor.investor_id is not None, "investors_only")
        with self._transaction() as session:
            row = interest.express(
                session, actor.investor_id, project_id, stage, actor, reason=reason, note=note
            )
            return row.stage

    def accept_interest(self, actor: Actor, interest_id: int) -> interest.Contacts:
        """The project's owner accepts an investor's interest: both sides see each other's contacts."""
        with self._transaction() as session:
            row = repository.find_interest(session, interest_id)
            if row is None:
                raise LookupError(f"no interest has the id {interest_id}")
            _require(
                actor.role == Role.PROJECT_OWNER and row.project.owner_account_id == actor.account_id,
                "not_your_passport",
            )
            interest.accept(session, row, actor)
            session.flush()
            found = interest.contacts(session, row)
            assert found is not None
            return found

    def contacts(self, actor: Actor, interest_id: int) -> interest.Contacts | None:
        """Both sides' contacts for one interest, to its investor or the project's owner, once
        the owner has accepted it (None before); staff always."""
        with self.hub.sessions() as session:
            row = repository.find_interest(session, interest_id)
            if row is None:
                raise LookupError(f"no interest has the id {interest_id}")
            mine = (actor.role == Role.INVESTOR and row.investor_id == actor.investor_id) or (
                actor.role == Role.PROJECT_OWNER and row.project.owner_account_id == actor.account_id
            )
            _require(mine or actor.is_staff, "not_your_interest")
            return interest.contacts(session, row)

    def save_search(self, actor: Actor, name: str, query: str | None, filters: ProjectFilters) -> int:
        """An investor keeps a search under a name."""
        _require(actor.role == Role.INVESTOR and actor.account_id is not None, "investors_only")
        with self._transaction() as session:
            search = searches.save_search(session, actor.account_id, name, query, filters, actor=actor.email)
            return search.id

    def mark_search_seen(self, actor: Actor, search_id: int) -> None:
        """An investor has looked at a saved search's results: they are no longer new."""
        with self._transaction() as session:
            search = repository.find_saved_search(session, search_id)
            _require(search is not None and search.account_id == actor.account_id, "not_your_search")
            searches.mark_seen(search)

    def set_language(self, actor: Actor, language: str) -> None:
        """Anyone signed in: remember the interface language they chose, for their next visit."""
        _require(actor.account_id is not None, "sign_in_first")
        _require(language in lang.LANGUAGES, "unknown_language", code=language)
        with self._transaction() as session:
            account = repository.find_account(session, actor.account_id)
            _require(account is not None, "sign_in_first")
            account.language = language

    def visit_matches(self, actor: Actor) -> datetime | None:
        """An investor opens their matches: returns when they last did (what was published since
        is new to them; None on a first visit) and records this visit."""
        _require(actor.role == Role.INVESTOR and actor.account_id is not None, "investors_only")
        with self._transaction() as session:
            account = repository.find_account(session, actor.account_id)
            _require(account is not None, "investors_only")
            previous = account.matches_seen_at
            account.matches_seen_at = utcnow()
            return previous

    # --- staff ---------------------------------------------------------------------------------

    def import_file(
        self,
        actor: Actor,
        kind: Kind,
        path: Path,
        *,
        skip_invalid: bool = False,
        as_draft: bool = False,
        confirm_contact_changes: bool = False,
        progress: Callable[[int, int], None] | None = None,
        index: bool = True,
        sheet: str | None = None,
    ) -> ImportReport:
        """Staff: import projects or investors from a file (see ``hub.importing``), within the
        configured size and row limits."""
        _require(actor.is_staff, "staff_only")
        report = _import_file(
            self.hub.sessions,
            kind,
            path,
            self.hub.reference,
            skip_invalid=skip_invalid,
            as_draft=as_draft,
            confirm_contact_changes=confirm_contact_changes,
            actor=actor.email,
            progress=progress,
            sheet=sheet,
            limits=self.hub.settings.import_limits,
        )
        if report.written and index:
            self.refresh()
        return report

    def export_file(self, actor: Actor, kind: Kind, path: Path) -> int:
        """Staff: every project or investor, contacts included, to a file; returns the row count."""
        _require(actor.is_staff, "staff_only")
        with self.hub.sessions() as session:
            count = _export_file(session, kind, path)
        try:
            with self._transaction() as session:
                repository.record_event(
                    session,
                    actor=actor.email,
                    action=f"export.{kind}",
                    entity_type=str(kind),
                    entity_id=None,
                    details={"file": path.name, "rows": count},
                )
        except OperationalError as error:  # a read-only database: the export stands, unrecorded
            logging.getLogger("hubmatch").warning("export not recorded in the audit log (%s)", error.orig)
        return count

    def seed_demo(self, actor: Actor, progress: Callable[[int, int], None] | None = None) -> SeedReport:
        """Staff or the system: load the demo data set (rows already present are left alone)."""
        _require(actor.is_staff, "staff_only")
        settings = self.hub.settings
        report = _seed_demo(
            self.hub.sessions,
            self.hub.reference,
            settings.reference_dir,
            settings.demo_seed,
            progress=progress,
        )
        self.refresh()
        return report

    def reindex(self, actor: Actor, progress: Callable[[str, int, int], None] | None = None) -> None:
        """Staff: bring the search indexes up to date with the database (``progress`` is told
        what is being indexed, how far, out of how many)."""
        _require(actor.is_staff, "staff_only")
        if progress is None:
            self.refresh()
        else:
            self.refresh(progress)  # type: ignore[call-arg]

    # --- the whole database (admin) --------------------------------------------------------------

    def backup(self, actor: Actor, path: Path, *, progress: Progress | None = None) -> Written:
        """Admin: every table, accounts and the audit log included, to a portable file
        (``hub.backup``), read in one snapshot so that concurrent writes cannot tear it. The event
        is recorded once the file is written, in a transaction of its own: the read never holds a
        write lock, and the next backup carries the event."""
        _require(actor.is_admin, "admin_backup")
        with self.hub.sessions() as session:
            repository.begin_snapshot(session)
            written = write_backup(session, path, progress)
        try:
            with self._transaction() as session:
                repository.record_event(
                    session,
                    actor=actor.email,
                    action="backup.create",
                    entity_type="database",
                    entity_id=None,
                    details={"file": path.name, "rows": written.rows, "schema": written.schema},
                )
        except OperationalError as error:  # a read-only database: the backup stands, unrecorded
            logging.getLogger("hubmatch").warning("backup not recorded in the audit log (%s)", error.orig)
        return written

    def restore(
        self,
        actor: Actor,
        path: Path,
        *,
        replace: bool = False,
        index: bool = True,
        progress: Progress | None = None,
    ) -> Restored:
        """Admin: put a backup's rows in place of the database's, keeping their ids, in one
        transaction (all or nothing). ``NotEmpty`` when the database already holds data, unless
        ``replace`` (everything in it is deleted first). The restore is audited after the backup's
        own events; every app instance is told to re-read everything, and the index is brought
        up to date (unless not ``index``: the caller does it)."""
        _require(actor.is_admin, "admin_backup")
        with self._transaction() as session:
            restored = restore_backup(session, path, replace=replace, progress=progress)
            repository.record_event(
                session,
                actor=actor.email,
                action="backup.restore",
                entity_type="database",
                entity_id=None,
                details={
                    "file": path.name,
                    "backup_created_at": restored.header.created_at,
                    "schema": restored.header.schema,
                    "rows": restored.rows,
                    "replaced": restored.replaced,
                },
            )
            changes.record_everything(session)
        if index:
            self.refresh()
        return restored

    def audit_log(
        self, actor: Actor, *, action: str | None = None, who: str | None = None, limit: int = 200
    ) -> list[AuditRow]:
        """Staff: the latest audit events, optionally only those whose action starts with
        ``action`` or whose actor contains ``who``."""
        _require(actor.is_staff, "staff_only")
        with self.hub.sessions() as session:
            events = repository.recent_events(session, limit, action=action, who=who)
            return [
                AuditRow(
                    occurred_at=e.occurred_at.strftime("%Y-%m-%d %H:%M:%S"),
                    actor=e.actor,
                    action=e.action,
                    entity=f"{e.entity_type} {e.entity_id or ''}".strip(),
                    details=dict(e.details or {}),
                )
                for e in events
            ]


__all__ = ["AccountRow", "AuditRow", "Forbidden", "InvalidInput", "Saved", "Services", "StaleEdit"]
