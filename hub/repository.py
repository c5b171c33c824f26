"""Every query HubMatch makes. Functions take the session explicitly; callers own the transaction."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import String, Table, delete, func, insert, or_, select, text, update
from sqlalchemy.orm import Session, selectinload

from hub.duplicates import entity_key, website_key
from hub.models import (
    Account,
    AifcVerification,
    AuditEvent,
    Change,
    ChangeCounter,
    Country,
    Interest,
    Introduction,
    Investor,
    Project,
    ProjectConfidential,
    ProjectReview,
    Region,
    SavedSearch,
    Sdg,
    Sector,
    project_sectors,
    utcnow,
)
from hub.reference import Reference
from hub.schemas import InvestorIn, ProjectIn
from hub.vocab import Status

# --- reference tables ----------------------------------------------------------------------------


def sync_reference(session: Session, reference: Reference) -> None:
    """Insert or update the reference tables from the data files (idempotent)."""
    for country in reference.countries.values():
        session.merge(
            Country(
                code=country.code,
                name_en=country.name_en,
                name_ru=country.name_ru,
                name_kk=country.name_kk,
                currency=country.currency,
                neighbours=list(country.neighbours),
            )
        )
    session.flush()
    for region in reference.regions.values():
        session.merge(
            Region(
                code=region.code,
                country_code=region.country,
                type=region.type,
                name_en=region.name_en,
                name_ru=region.name_ru,
                name_kk=region.name_kk,
                capital_en=region.capital_en,
                capital_ru=region.capital_ru,
                lat=region.lat,
                lon=region.lon,
            )
        )
    for sector in reference.sectors.values():
        session.merge(
            Sector(
                slug=sector.slug,
                name_en=sector.name_en,
                name_ru=sector.name_ru,
                name_kk=sector.name_kk,
                nace_section=sector.nace_section,
                nace_codes=list(sector.nace_codes),
                green=sector.green,
            )
        )
    for sdg in reference.sdgs.values():
        session.merge(Sdg(number=sdg.number, name_en=sdg.name_en, name_ru=sdg.name_ru, name_kk=sdg.name_kk))
    session.flush()


def _all_by_key(session: Session, model: Any, key: Any, wanted: Iterable[Any]) -> list[Any]:
    """Reference rows (sectors, SDGs) by key; the small table is read once per session."""
    wanted = list(wanted)
    if not wanted:
        return []
    cache = session.info.setdefault(("reference", model), {})
    if not cache:
        cache.update({getattr(row, key.key): row for row in session.scalars(select(model))})
    return [cache[w] for w in wanted]


PREFETCHED_PROJECTS, PREFETCHED_ACCOUNTS = "projects_by_external_id", "accounts_by_email"


def prefetch_for_import(session: Session, external_ids: Sequence[str], emails: Sequence[str]) -> None:
    """Load, in a few queries, the projects and accounts a bulk import will look up row by row;
    the lookups below then answer from memory (for this session only)."""
    projects: dict[str, Project] = {}
    accounts: dict[str, Account] = {}
    ids, addresses = sorted(set(external_ids)), sorted({e for e in emails if e})
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        query = (
            select(Project)
            .where(Project.external_id.in_(chunk))
            .options(
                selectinload(Project.sectors), selectinload(Project.sdgs), selectinload(Project.confidential)
            )
        )
        projects.update({p.external_id: p for p in session.scalars(query)})
    for start in range(0, len(addresses), 500):
        chunk = addresses[start : start + 500]
        accounts.update(
            {a.email: a for a in session.scalars(select(Account).where(Account.email.in_(chunk)))}
        )
    session.info[PREFETCHED_PROJECTS] = projects
    session.info[PREFETCHED_ACCOUNTS] = accounts


# --- projects ------------------------------------------------------------------------------------


def _by_external_id(session: Session, model: type[Any], external_id: str) -> Any:
    if model is Project and PREFETCHED_PROJECTS in session.info:
        return session.info[PREFETCHED_PROJECTS].get(external_id)
    return session.scalar(select(model).where(model.external_id == external_id))


MAX_ID = 2**63 - 1  # the largest key a database integer holds: a longer number is no row's id


def _find(session: Session, model: type[Any], key: str | int) -> Any:
    """A row by database id or, failing that, by external id."""
    if (isinstance(key, int) or str(key).isdigit()) and 0 < int(key) <= MAX_ID:
        found = session.get(model, int(key))
        if found is not None:
            return found
    return _by_external_id(session, model, str(key))


def project_by_external_id(session: Session, external_id: str) -> Project | None:
    return _by_external_id(session, Project, external_id)


def find_project(session: Session, key: str | int) -> Project | None:
    """A project by database id or by external id."""
    return _find(session, Project, key)


def _fill(project: Project, data: ProjectIn) -> None:
    """Copy a passport's scalar fields and duplicate keys onto its row."""
    project.title = data.title
    project.summary = data.summary or ""  # a draft's texts may be empty; submission needs them
    project.description = data.description or ""
    project.owner_name = data.owner_name or ""
    project.country_code = data.country
    project.region_code = data.region
    project.city = data.city
    project.stage = data.stage
    project.instruments = list(data.instruments)
    project.unknown = list(data.unknown)
    project.funding_ask = data.funding_ask
    project.total_cost = data.total_cost
    project.currency = data.currency
    project.expected_irr_pct = data.expected_irr_pct
    project.payback_years = data.payback_years
    project.jobs_created = data.jobs_created
    project.green_certification = data.green_certification
    project.aifc_link = data.aifc_link
    project.aifc_reference = data.aifc_reference
    project.language = data.language or "en"
    project.website = data.website
    project.founded_year = data.founded_year
    project.team_size = data.team_size
    project.past_investors = data.past_investors
    project.org_key = entity_key(data.owner_name)
    project.name_key = entity_key(data.title)
    project.website_domain = website_key(data.website)


def save_project(
    session: Session,
    data: ProjectIn,
    *,
    actor: str,
    is_demo: bool = False,
    owner_account_id: int | None = None,
    deferred: list[tuple[Project, bool, dict[str, Any]]] | None = None,
) -> tuple[Project, bool]:
    """Create the project, or update the one with the same external id; returns (row, created).

    With ``deferred`` (a bulk import) the row is not flushed: its audit event is queued there,
    to be written by ``record_saved`` after the next flush."""
    project = project_by_external_id(session, data.external_id) if data.external_id else None
    created = project is None
    if project is None:
        project = Project(external_id=data.external_id or _pending_id(), is_demo=is_demo)
        session.add(project)
    before = {} if created else _audited(project)
    _fill(project, data)
    if data.status != project.status:  # a new row has no status yet
        set_status(project, data.status)
    if owner_account_id is not None:
        project.owner_account_id = owner_account_id
    # no autoflush: flushing the new row before its collections are set makes each assignment
    # load the (empty) old collection first, several extra queries per row on a bulk import
    with session.no_autoflush:
        project.sectors = _all_by_key(session, Sector, Sector.slug, data.sectors)
        project.sdgs = _all_by_key(session, Sdg, Sdg.number, data.sdgs)
    email = data.owner_email or ""  # "" until a draft names its contact
    if project.confidential is None:
        project.confidential = ProjectConfidential(contact_email=email, contact_phone=data.owner_phone)
    else:
        project.confidential.contact_email = email
        project.confidential.contact_phone = data.owner_phone
    if deferred is not None and not project.external_id.startswith(PENDING):
        deferred.append((project, created, _changes(before, project)))
        return project, created
    session.flush()
    _give_external_id(session, project, "P-")
    record_saved(session, [(project, created, _changes(before, project))], actor=actor)
    return project, created


def record_saved(
    session: Session, saved: Sequence[tuple[Project, bool, dict[str, Any]]], *, actor: str
) -> None:
    """The audit events of saved (and flushed) projects: created or updated, and what changed
    (one multi-row INSERT for a batch of an import)."""
    rows = [
        {
            "occurred_at": utcnow(),
            "actor": actor,
            "action": "project.created" if created else "project.updated",
            "entity_type": "project",
            "entity_id": project.id,
            "details": {"external_id": project.external_id, "status": project.status, "changes": changes},
        }
        for project, created, changes in saved
    ]
    if rows:
        session.execute(insert(AuditEvent), rows)


AUDITED_PROJECT_FIELDS = (
    "title", "summary", "description", "owner_name", "country_code", "region_code", "city", "stage",
    "instruments", "funding_ask", "total_cost", "currency", "unknown", "aifc_link", "aifc_reference",
    "status", "website", "owner_account_id",
)  # fmt: skip


def _audited(project: Project) -> dict[str, Any]:
    values = {name: getattr(project, name) for name in AUDITED_PROJECT_FIELDS}
    values["sectors"] = sorted(s.slug for s in project.sectors)
    values["contact_email"] = project.confidential.contact_email if project.confidential else None
    return values


def _changes(before: dict[str, Any], project: Project) -> dict[str, list[Any]]:
    """Field -> [before, after] for what an update changed (texts cut to 200 characters)."""
    if not before:
        return {}
    after = _audited(project)

    def shown(value: Any) -> Any:
        if isinstance(value, Decimal):
            return f"{value:.2f}"
        if isinstance(value, str) and len(value) > 200:
            return value[:200] + "…"
        return value

    return {name: [shown(before[name]), shown(after[name])] for name in after if before[name] != after[name]}


def projects_by_ids(session: Session, ids: Sequence[int]) -> Sequence[Project]:
    if not ids:
        return []
    return session.scalars(
        select(Project).where(Project.id.in_(ids)).options(selectinload(Project.confidential))
    ).all()


# Listings in these statuses are not compared for duplicates: they are off the hub for good.
CLOSED = (Status.REJECTED, Status.ARCHIVED)


def projects_sharing_identity(session: Session, project: Project, limit: int = 20) -> Sequence[Project]:
    """Other listings, open or published, with the same folded name or organisation (either
    way round), website, contact email or phone as ``project`` (see ``hub.duplicates``)."""
    names = [key for key in (project.name_key, project.org_key) if key]
    confidential = project.confidential
    email = (confidential.contact_email or "").lower() if confidential else ""
    phone = confidential.contact_phone if confidential else None
    shared = []
    if names:
        shared += [Project.name_key.in_(names), Project.org_key.in_(names)]
    if project.website_domain:
        shared.append(Project.website_domain == project.website_domain)
    if email:
        shared.append(func.lower(ProjectConfidential.contact_email) == email)
    if phone:
        shared.append(ProjectConfidential.contact_phone == phone)
    if not shared:
        return []
    return session.scalars(
        select(Project)
        .outerjoin(ProjectConfidential)
        .where(or_(*shared), Project.id != project.id, Project.status.not_in(CLOSED))
        .options(selectinload(Project.confidential))
        .order_by(Project.id)
        .limit(limit)
    ).all()


def fill_identity_keys(session: Session) -> int:
    """Give projects stored before duplicate signals existed their folded name, organisation and
    website keys (see ``hub.duplicates``). Returns how many were filled in."""
    rows = session.scalars(select(Project).where(Project.name_key.is_(None))).all()
    for project in rows:
        project.org_key = entity_key(project.owner_name)
        project.name_key = entity_key(project.title)
        project.website_domain = website_key(project.website)
    return len(rows)


def set_status(project: Project, status: str) -> None:
    """Move a project to ``status`` and stamp it: each submission, and the first publication."""
    project.status = status
    # a passport put straight into review (an import) was submitted then, as far as anyone knows
    if status == Status.SUBMITTED or (status == Status.IN_REVIEW and project.submitted_at is None):
        project.submitted_at = utcnow()
    if status == Status.PUBLISHED:
        project.published_at = project.published_at or utcnow()


def backdate_submissions(session: Session, dates: dict[str, datetime]) -> None:
    """Give listings (by external id) the submission dates they had elsewhere (demo data)."""
    for external_id, when in dates.items():
        project = project_by_external_id(session, external_id)
        if project is not None:
            project.submitted_at = when


PENDING = "pending-"


def _pending_id() -> str:
    """A placeholder external id until the row has its primary key (see ``_external_id``)."""
    return f"{PENDING}{uuid.uuid4().hex}"


def _give_external_id(session: Session, row: Project | Investor, prefix: str) -> None:
    """Replace a placeholder with an id derived from the primary key (P-000123), never one
    already taken (an imported row may carry any id): two saves at once cannot collide, and a
    new row never silently takes over an existing one."""
    if not row.external_id.startswith(PENDING):
        return
    model = type(row)
    candidate, n = f"{prefix}{row.id:06d}", 1
    while session.scalar(select(model.id).where(model.external_id == candidate)) is not None:
        candidate, n = f"{prefix}{row.id:06d}-{n}", n + 1
    row.external_id = candidate
    session.flush()


def projects_for_export(session: Session) -> Sequence[Project]:
    """All projects with everything an export row needs, in id order."""
    return session.scalars(
        select(Project)
        .options(
            selectinload(Project.sectors), selectinload(Project.sdgs), selectinload(Project.confidential)
        )
        .order_by(Project.id)
    ).all()


def published_projects(session: Session) -> Sequence[Project]:
    """Every published project with its sectors, SDGs and region loaded, in id order."""
    return session.scalars(
        select(Project)
        .where(Project.status == Status.PUBLISHED)
        .options(selectinload(Project.sectors), selectinload(Project.sdgs), selectinload(Project.region))
        .order_by(Project.id)
    ).all()


# --- investors -----------------------------------------------------------------------------------


def investor_by_external_id(session: Session, external_id: str) -> Investor | None:
    return _by_external_id(session, Investor, external_id)


def find_investor(session: Session, key: str | int) -> Investor | None:
    """An investor by database id or by external id."""
    return _find(session, Investor, key)


def save_investor(
    session: Session, data: InvestorIn, *, actor: str, is_demo: bool = False
) -> tuple[Investor, bool]:
    """Create the investor, or update the one with the same external id; returns (row, created)."""
    investor = investor_by_external_id(session, data.external_id) if data.external_id else None
    created = investor is None
    if investor is None:
        investor = Investor(external_id=data.external_id or _pending_id(), is_demo=is_demo)
        session.add(investor)
    investor.name = data.name
    investor.investor_type = data.investor_type
    investor.thesis = data.thesis
    investor.stages = list(data.stages)
    investor.instruments = list(data.instruments)
    investor.ticket_min = data.ticket_min
    investor.ticket_max = data.ticket_max
    investor.currency = data.currency
    investor.esg_mandate = data.esg_mandate
    investor.aifc_participant = data.aifc_participant
    investor.contact_email = data.contact_email
    investor.languages = list(data.language)
    investor.active = data.active
    with session.no_autoflush:  # see save_project
        investor.sectors = _all_by_key(session, Sector, Sector.slug, data.sectors)
        investor.excluded_sectors = _all_by_key(session, Sector, Sector.slug, data.excluded_sectors)
        investor.regions = _all_by_key(session, Region, Region.code, data.region_codes)
        investor.countries = _all_by_key(session, Country, Country.code, data.country_codes)
    session.flush()
    _give_external_id(session, investor, "I-")
    record_event(
        session,
        actor=actor,
        action="investor.created" if created else "investor.updated",
        entity_type="investor",
        entity_id=investor.id,
        details={"external_id": investor.external_id},
    )
    return investor, created


def _with_coverage() -> tuple[Any, ...]:
    """Loader options for what matching reads of an investor: sectors and coverage."""
    return (
        selectinload(Investor.sectors),
        selectinload(Investor.excluded_sectors),
        selectinload(Investor.regions),
        selectinload(Investor.countries),
    )


def active_investors(session: Session) -> Sequence[Investor]:
    """Every active investor with sectors and coverage loaded, in id order."""
    return session.scalars(
        select(Investor).where(Investor.active.is_(True)).options(*_with_coverage()).order_by(Investor.id)
    ).all()


def investors_for_export(session: Session) -> Sequence[Investor]:
    """All investors with their sectors and coverage, in id order."""
    return session.scalars(
        select(Investor)
        .options(
            selectinload(Investor.sectors),
            selectinload(Investor.excluded_sectors),
            selectinload(Investor.regions),
            selectinload(Investor.countries),
        )
        .order_by(Investor.id)
    ).all()


def owner_contacts(session: Session, external_ids: Sequence[str]) -> dict[str, str]:
    """The contact email of each of ``external_ids`` that an owner account manages."""
    if not external_ids:
        return {}
    rows = session.execute(
        select(Project.external_id, ProjectConfidential.contact_email)
        .join(ProjectConfidential)
        .where(Project.external_id.in_(list(external_ids)), Project.owner_account_id.is_not(None))
    )
    return {external_id: email for external_id, email in rows}


def project_statuses(session: Session, external_ids: Sequence[str]) -> dict[str, str]:
    """The stored status of each of ``external_ids`` that is stored."""
    rows = session.execute(
        select(Project.external_id, Project.status).where(Project.external_id.in_(list(external_ids)))
    )
    return {external_id: status for external_id, status in rows}


def stored_external_ids(session: Session, kind: str) -> set[str]:
    """The external ids already stored for ``kind`` ("projects" or "investors")."""
    model = Project if kind == "projects" else Investor
    return set(session.scalars(select(model.external_id)))


# --- accounts and audit --------------------------------------------------------------------------


def find_account(session: Session, account_id: int) -> Account | None:
    return session.get(Account, account_id)


def account_by_email(session: Session, email: str) -> Account | None:
    if PREFETCHED_ACCOUNTS in session.info:
        return session.info[PREFETCHED_ACCOUNTS].get(email)
    return session.scalar(select(Account).where(Account.email == email))


def save_account(
    session: Session,
    *,
    email: str,
    display_name: str,
    role: str,
    organisation: str | None = None,
    investor_id: int | None = None,
    is_demo: bool = False,
    flush: bool = True,
) -> Account:
    """Create the account with this email, or update its name, role and links."""
    account = account_by_email(session, email)
    if account is None:
        account = Account(email=email)
        session.add(account)
        if PREFETCHED_ACCOUNTS in session.info:
            session.info[PREFETCHED_ACCOUNTS][email] = account
    account.display_name = display_name
    account.role = role
    account.organisation = organisation
    account.investor_id = investor_id
    account.is_demo = is_demo
    if flush:
        session.flush()
    return account


def interest_between(session: Session, investor_id: int, project_id: int) -> Interest | None:
    return session.scalar(
        select(Interest).where(Interest.investor_id == investor_id, Interest.project_id == project_id)
    )


def interests_of_investor(session: Session, investor_id: int) -> Sequence[Interest]:
    """An investor's interests with their projects, most recently changed first."""
    return session.scalars(
        select(Interest)
        .where(Interest.investor_id == investor_id)
        .options(selectinload(Interest.project))
        .order_by(Interest.updated_at.desc(), Interest.id.desc())
    ).all()


def interests_in_projects(session: Session, project_ids: Sequence[int]) -> Sequence[Interest]:
    """Interests in the given projects with their investors, newest first."""
    if not project_ids:
        return []
    return session.scalars(
        select(Interest)
        .where(Interest.project_id.in_(list(project_ids)))
        .options(selectinload(Interest.investor), selectinload(Interest.project))
        .order_by(Interest.updated_at.desc(), Interest.id.desc())
    ).all()


def introduced_interest_ids(session: Session, interest_ids: Sequence[int]) -> set[int]:
    if not interest_ids:
        return set()
    rows = session.scalars(
        select(Introduction.interest_id).where(Introduction.interest_id.in_(list(interest_ids)))
    )
    return set(rows)


def reviews_of(session: Session, project_id: int) -> Sequence[ProjectReview]:
    """Staff decisions on a project, newest first."""
    return reviews_of_projects(session, [project_id]).get(project_id, [])


def reviews_of_projects(session: Session, project_ids: Sequence[int]) -> dict[int, list[ProjectReview]]:
    """Staff decisions on each of the projects, newest first (one query)."""
    found: dict[int, list[ProjectReview]] = {}
    if project_ids:
        rows = session.scalars(
            select(ProjectReview)
            .where(ProjectReview.project_id.in_(list(project_ids)))
            .order_by(ProjectReview.id.desc())
        )
        for review in rows:
            found.setdefault(review.project_id, []).append(review)
    return found


def find_interest(session: Session, interest_id: int) -> Interest | None:
    return session.get(Interest, interest_id)


def accounts_with_role(session: Session, role: str) -> list[Account]:
    """Accounts of one role by display name; investors with an active profile first."""
    accounts = session.scalars(
        select(Account)
        .where(Account.role == role)
        .options(selectinload(Account.investor))
        .order_by(Account.display_name)
    ).all()
    return sorted(accounts, key=lambda a: a.investor is not None and not a.investor.active)


def projects_of_owner(session: Session, account_id: int) -> Sequence[Project]:
    """An owner's project passports, newest first, with sectors and confidential parts loaded."""
    return session.scalars(
        select(Project)
        .where(Project.owner_account_id == account_id)
        .options(
            selectinload(Project.sectors), selectinload(Project.sdgs), selectinload(Project.confidential)
        )
        .order_by(Project.id.desc())
    ).all()


def projects_in_status(session: Session, statuses: Sequence[str]) -> Sequence[Project]:
    """Projects in any of ``statuses``, oldest submission first (the curation queue)."""
    return session.scalars(
        select(Project)
        .where(Project.status.in_(list(statuses)))
        .options(
            selectinload(Project.sectors), selectinload(Project.sdgs), selectinload(Project.confidential)
        )
        .order_by(Project.submitted_at.is_(None), Project.submitted_at, Project.id)
    ).all()


def aifc_verification(session: Session, project_id: int) -> AifcVerification | None:
    return session.get(AifcVerification, project_id)


def aifc_verifications(session: Session, project_ids: Sequence[int]) -> dict[int, AifcVerification]:
    """Staff's AIFC-link checks of the projects that have one (one query)."""
    if not project_ids:
        return {}
    rows = session.scalars(select(AifcVerification).where(AifcVerification.project_id.in_(list(project_ids))))
    return {row.project_id: row for row in rows}


def find_saved_search(session: Session, search_id: int) -> SavedSearch | None:
    return session.get(SavedSearch, search_id)


def saved_searches_of(session: Session, account_id: int) -> Sequence[SavedSearch]:
    return session.scalars(
        select(SavedSearch).where(SavedSearch.account_id == account_id).order_by(SavedSearch.id)
    ).all()


def record_event(
    session: Session,
    *,
    actor: str,
    action: str,
    entity_type: str,
    entity_id: int | None,
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    event = AuditEvent(
        actor=actor, action=action, entity_type=entity_type, entity_id=entity_id, details=details or {}
    )
    session.add(event)
    return event


def all_accounts(session: Session) -> Sequence[Account]:
    """Every account: staff and admins first, then by role and email."""
    return session.scalars(select(Account).order_by(Account.role, Account.email)).all()


def link_account_investor(session: Session, account_id: int, investor_id: int) -> None:
    """An investor account belongs to this investor organisation from now on."""
    account = session.get(Account, account_id)
    if account is not None:
        account.investor_id = investor_id


def recent_events(
    session: Session, limit: int = 50, *, action: str | None = None, who: str | None = None
) -> Sequence[AuditEvent]:
    """The latest events, newest first; ``action`` keeps those whose action starts with it
    ("project." or "account.login"), ``who`` those whose actor contains it."""
    query = select(AuditEvent)
    if action:
        query = query.where(AuditEvent.action.startswith(action, autoescape=True))
    if who:
        query = query.where(AuditEvent.actor.contains(who, autoescape=True))
    return session.scalars(query.order_by(AuditEvent.id.desc()).limit(limit)).all()


# --- counts --------------------------------------------------------------------------------------


def count_projects(session: Session) -> int:
    return session.scalar(select(func.count(Project.id))) or 0


def count_investors(session: Session) -> int:
    return session.scalar(select(func.count(Investor.id))) or 0


def projects_per_country(session: Session) -> list[tuple[str, int]]:
    """Projects per country; drafts that do not name their country yet are not counted."""
    rows = session.execute(
        select(Project.country_code, func.count(Project.id))
        .where(Project.country_code.is_not(None))
        .group_by(Project.country_code)
        .order_by(Project.country_code)
    )
    return [(code, n) for code, n in rows]


def projects_per_status(session: Session) -> list[tuple[str, int]]:
    rows = session.execute(select(Project.status, func.count(Project.id)).group_by(Project.status))
    return [(status, n) for status, n in rows]


def projects_per_sector(session: Session) -> list[tuple[str, int]]:
    """Projects listing each sector (a project with two sectors counts in both)."""
    rows = session.execute(
        select(project_sectors.c.sector_slug, func.count())
        .group_by(project_sectors.c.sector_slug)
        .order_by(project_sectors.c.sector_slug)
    )
    return [(slug, n) for slug, n in rows]


def investors_per_type(session: Session) -> list[tuple[str, int]]:
    rows = session.execute(
        select(Investor.investor_type, func.count(Investor.id))
        .group_by(Investor.investor_type)
        .order_by(Investor.investor_type)
    )
    return [(kind, n) for kind, n in rows]


def asks_by_currency(session: Session, status: str = Status.PUBLISHED) -> list[tuple[str, str, Decimal]]:
    """Sum of funding asks per (country, currency) for projects in ``status``."""
    rows = session.execute(
        select(Project.country_code, Project.currency, func.sum(Project.funding_ask))
        .where(Project.status == status)
        .group_by(Project.country_code, Project.currency)
    )
    return [(country, currency, Decimal(total)) for country, currency, total in rows]


def ticket_capacity_by_currency(session: Session) -> list[tuple[str, Decimal]]:
    """Sum of maximum tickets per currency over active investors."""
    rows = session.execute(
        select(Investor.currency, func.sum(Investor.ticket_max))
        .where(Investor.active.is_(True))
        .group_by(Investor.currency)
    )
    return [(currency, Decimal(total)) for currency, total in rows]


def count_active_investors(session: Session) -> int:
    return session.scalar(select(func.count(Investor.id)).where(Investor.active.is_(True))) or 0


def regions_with_projects(session: Session) -> int:
    return session.scalar(select(func.count(func.distinct(Project.region_code)))) or 0


# --- the change log (hub.changes) ------------------------------------------------------------------

CHANGES_KEPT = timedelta(days=2)  # an instance away longer re-reads everything when it is back
PRUNE_EVERY = 500  # revisions between deletions of old log rows


def record_changes(session: Session, rows: Sequence[tuple[str, int | None]]) -> int:
    """Raise the revision and log ``rows`` ((kind, id) pairs) under it; returns the revision.
    The counter row stays locked until the transaction ends, so revisions commit in order."""
    revision = session.execute(
        update(ChangeCounter)
        .where(ChangeCounter.id == 1)
        .values(revision=ChangeCounter.revision + 1)
        .returning(ChangeCounter.revision)
        .execution_options(synchronize_session=False)
    ).scalar_one_or_none()
    if revision is None:  # a database whose counter row was lost: start it again
        session.execute(insert(ChangeCounter).values(id=1, revision=1, pruned_before=0))
        revision = 1
    now = utcnow()
    session.execute(
        insert(Change),
        [{"revision": revision, "kind": kind, "entity_id": item, "changed_at": now} for kind, item in rows],
    )
    if revision % PRUNE_EVERY == 0:
        _prune_changes(session, now - CHANGES_KEPT)
    return revision


def _prune_changes(session: Session, before: datetime) -> None:
    last = session.scalar(select(func.max(Change.revision)).where(Change.changed_at < before))
    if last is None:
        return
    session.execute(
        delete(Change).where(Change.revision <= last).execution_options(synchronize_session=False)
    )
    session.execute(
        update(ChangeCounter)
        .where(ChangeCounter.id == 1)
        .values(pruned_before=last + 1)
        .execution_options(synchronize_session=False)
    )


def change_revision(session: Session) -> tuple[int, int]:
    """The current revision and the first one still in the log (one row)."""
    row = session.execute(select(ChangeCounter.revision, ChangeCounter.pruned_before)).first()
    return (0, 0) if row is None else (row.revision, row.pruned_before)


def changes_since(session: Session, since: int, until: int) -> list[tuple[str, int | None]]:
    """The distinct (kind, id) written after revision ``since``, up to ``until``."""
    rows = session.execute(
        select(Change.kind, Change.entity_id)
        .where(Change.revision > since, Change.revision <= until)
        .distinct()
    )
    return [(kind, item) for kind, item in rows]


def published_projects_with_ids(session: Session, ids: Iterable[int]) -> Sequence[Project]:
    """The published projects among ``ids``, loaded as ``published_projects`` loads them."""
    return session.scalars(
        select(Project)
        .where(Project.id.in_(list(ids)), Project.status == Status.PUBLISHED)
        .options(selectinload(Project.sectors), selectinload(Project.sdgs), selectinload(Project.region))
        .order_by(Project.id)
    ).all()


def active_investors_with_ids(session: Session, ids: Iterable[int]) -> Sequence[Investor]:
    """The active investors among ``ids``, loaded as ``active_investors`` loads them."""
    return session.scalars(
        select(Investor)
        .where(Investor.id.in_(list(ids)), Investor.active.is_(True))
        .options(*_with_coverage())
        .order_by(Investor.id)
    ).all()


# --- backup and restore (hub.backup) -------------------------------------------------------------


def _postgres(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def begin_snapshot(session: Session) -> None:
    """Make every later read in this session's transaction see the database at one moment: on
    PostgreSQL a read-only REPEATABLE READ transaction; on SQLite an explicit BEGIN (pysqlite opens
    none for reads), whose first read fixes the snapshot. Call before the session's first query."""
    if _postgres(session):
        session.connection(
            execution_options={"isolation_level": "REPEATABLE READ", "postgresql_readonly": True}
        )
    else:
        session.connection().exec_driver_sql("BEGIN")


def lock_for_restore(session: Session, tables: Sequence[Table]) -> None:
    """Keep other writers out of ``tables`` until this transaction ends (readers go on): SQLite
    takes its write lock now (BEGIN IMMEDIATE), PostgreSQL an EXCLUSIVE lock on each table.
    Call before the session's first query."""
    if _postgres(session):
        names = ", ".join(session.get_bind().dialect.identifier_preparer.format_table(t) for t in tables)
        session.execute(text(f"LOCK TABLE {names} IN EXCLUSIVE MODE"))
    else:
        session.connection().exec_driver_sql("BEGIN IMMEDIATE")


def count_rows(session: Session, table: Table) -> int:
    return session.scalar(select(func.count()).select_from(table)) or 0


def stream_rows(session: Session, table: Table, batch: int) -> Iterator[Sequence[Any]]:
    """Every row of ``table`` (tuples in column order, values as the column types return them),
    ``batch`` rows at a time, in primary-key order. Strings compare by code point on both backends
    (COLLATE "C" on PostgreSQL, SQLite's default), so the order does not depend on the database."""
    postgres = _postgres(session)
    order = [
        column.collate("C") if postgres and isinstance(column.type, String) else column
        for column in table.primary_key.columns
    ]
    result = session.execute(select(table).order_by(*order), execution_options={"yield_per": batch})
    for rows in result.partitions():
        yield [tuple(row) for row in rows]


def delete_all_rows(session: Session, tables: Sequence[Table]) -> None:
    """Empty ``tables`` (given parents first, as ``sorted_tables`` orders them): children go first."""
    for table in reversed(tables):
        session.execute(delete(table))


def insert_rows(session: Session, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """One executemany of ``rows`` (dicts by column name, all with the same keys) into ``table``."""
    if rows:
        session.execute(insert(table), list(rows))


def advance_sequences(session: Session, tables: Sequence[Table]) -> None:
    """PostgreSQL: move each table's id sequence past its largest id, so the next insert after
    rows written with explicit ids does not collide with them (SQLite needs nothing: a new rowid
    is the largest one plus one)."""
    if not _postgres(session):
        return
    for table in tables:
        column = table.autoincrement_column
        if column is None:
            continue
        following = select(func.coalesce(func.max(column), 0) + 1).scalar_subquery()
        sequence = func.pg_get_serial_sequence(table.name, column.name)
        session.execute(select(func.setval(sequence, following, False)))
