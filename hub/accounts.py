"""Accounts: sign-up, sign-in with argon2 password hashes, throttled failures, roles.

Passwords are hashed with argon2id (argon2-cffi) and never stored or logged in clear. After
``MAX_FAILED`` failed sign-ins in a row an account is locked for ``LOCK_MINUTES``; the message
says until when, and does not tell a wrong password from an unknown email.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from email_validator import EmailNotValidError, validate_email
from sqlalchemy.orm import Session

from hub import repository
from hub.actors import Actor
from hub.i18n import ExplainedError, Vocab
from hub.models import Account, utcnow
from hub.vocab import Role

MIN_PASSWORD = 10
MAX_FAILED = 5
LOCK_MINUTES = 15
SIGN_UP_ROLES = (Role.INVESTOR, Role.PROJECT_OWNER)  # staff and admins are created by an admin
ACCOUNT_ROLES = (Role.INVESTOR, Role.PROJECT_OWNER, Role.HUB_STAFF, Role.ADMIN)

_hasher = PasswordHasher()


class AccountError(ExplainedError, ValueError):
    """A sign-up or sign-in that cannot go ahead; ``text`` says why, in any language."""

    prefix = "account."


@dataclass(frozen=True)
class NewAccount:
    email: str
    password: str
    role: str
    display_name: str
    organisation: str | None = None


def actor_of(account: Account) -> Actor:
    return Actor(
        email=account.email,
        role=account.role,
        account_id=account.id,
        investor_id=account.investor_id,
        display_name=account.display_name,
    )


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def _checked(new: NewAccount) -> NewAccount:
    try:
        # one spelling per address: sign-in compares lower-cased emails
        email = validate_email(new.email.strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError as error:
        raise AccountError("bad_email", email=new.email, reason=str(error)) from None
    if new.role not in ACCOUNT_ROLES:
        raise AccountError("bad_role", role=new.role, roles=[Vocab("role", r) for r in ACCOUNT_ROLES])
    if len(new.password) < MIN_PASSWORD:
        raise AccountError("short_password", n=MIN_PASSWORD)
    if not new.display_name.strip():
        raise AccountError("no_name")
    return NewAccount(email, new.password, new.role, new.display_name.strip(), new.organisation)


def create_account(session: Session, new: NewAccount, *, actor: str, claim: bool = False) -> Account:
    """A new account with a hashed password; refused when the email is taken or a value is wrong.

    An account made without a password (by an import or the demo: an owner of listings) is set
    up only with ``claim``, by an admin: HubMatch sends no mail, so signing up with someone
    else's address must not hand over their listings."""
    new = _checked(new)
    existing = repository.account_by_email(session, new.email)
    if existing is not None and existing.password_hash is not None:
        raise AccountError("taken", email=new.email)
    if existing is not None and not claim:
        raise AccountError("unclaimed", email=new.email)
    account = repository.save_account(
        session,
        email=new.email,
        display_name=new.display_name,
        role=new.role,
        organisation=new.organisation,
        investor_id=existing.investor_id if existing is not None else None,
    )
    account.password_hash = hash_password(new.password)
    account.active = True
    repository.record_event(
        session,
        actor=actor,
        action="account.created",
        entity_type="account",
        entity_id=account.id,
        details={"email": account.email, "role": account.role},
    )
    return account


def authenticate(session: Session, email: str, password: str, now: datetime | None = None) -> Account:
    """The account for ``email`` and ``password``; raises ``AccountError`` otherwise (locked,
    wrong or unknown, said the same way), recording the attempt in the audit log."""
    now = now or utcnow()
    account = repository.account_by_email(session, email.strip().lower()) or repository.account_by_email(
        session, email.strip()
    )  # accounts made before emails were lower-cased keep their spelling
    if account is not None and account.locked_until is not None and account.locked_until > now:
        repository.record_event(
            session, actor=email, action="account.login_locked", entity_type="account", entity_id=account.id
        )
        raise AccountError("locked", until=f"{account.locked_until:%H:%M} UTC")
    if account is None or not account.active or not _verifies(account, password):
        if account is not None:
            account.failed_logins = (account.failed_logins or 0) + 1
            if account.failed_logins >= MAX_FAILED:
                account.locked_until = now + timedelta(minutes=LOCK_MINUTES)
                account.failed_logins = 0
        repository.record_event(
            session,
            actor=email[:254],
            action="account.login_failed",
            entity_type="account",
            entity_id=account.id if account else None,
        )
        raise AccountError("wrong")
    account.failed_logins = 0
    account.locked_until = None
    account.last_login_at = now
    if _hasher.check_needs_rehash(account.password_hash or ""):
        account.password_hash = hash_password(password)
    repository.record_event(
        session, actor=account.email, action="account.login", entity_type="account", entity_id=account.id
    )
    return account


def _verifies(account: Account, password: str) -> bool:
    if not account.password_hash:
        return False  # a demo or imported account: no password sign-in
    try:
        return _hasher.verify(account.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def change_role(session: Session, account: Account, role: str, *, actor: str) -> Account:
    if role not in ACCOUNT_ROLES:
        raise AccountError("bad_role", role=role, roles=[Vocab("role", r) for r in ACCOUNT_ROLES])
    before = account.role
    account.role = role
    repository.record_event(
        session,
        actor=actor,
        action="account.role_changed",
        entity_type="account",
        entity_id=account.id,
        details={"before": before, "after": role},
    )
    return account
