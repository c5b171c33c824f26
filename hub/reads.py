"""Read models for the pages: plain dataclasses and dicts, each read checked against who asks.

Pages render these and never touch the ORM, the repository or a database session (a test
holds them to that). What a role may read follows the security model in ``hub.services``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from hub import curation, insights, repository
from hub.actors import Actor
from hub.context import Hub
from hub.importing import investor_row, project_row
from hub.interest import CAN_BE_ACCEPTED, Contacts, contacts
from hub.matching import Matcher, ProjectFilters
from hub.schemas import FieldError, missing_for_submission
from hub.searches import filters_from_json
from hub.services import Forbidden
from hub.vocab import Role, Status

# --- public ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class HomeFigures:
    headline: insights.Headline
    by_country: list[tuple[str, int]]
    by_sector: list[tuple[str, int]]


def home_figures(hub: Hub) -> HomeFigures:
    with hub.sessions() as session:
        return HomeFigures(
            insights.headline(session, hub.reference),
            insights.projects_per_country(session, hub.reference),
            insights.projects_per_sector(session, hub.reference),
        )


@dataclass(frozen=True)
class InsightFigures:
    gap: list[insights.GapCell]
    statuses: list[tuple[str, int]]
    sectors: list[tuple[str, int]]
    sdgs: list[tuple[str, int]]


def insight_figures(hub: Hub) -> InsightFigures:
    with hub.sessions() as session:
        return InsightFigures(
            insights.capital_gap(session, hub.reference),
            repository.projects_per_status(session),
            insights.projects_per_sector(session, hub.reference),
            insights.sdg_counts(session, hub.reference),
        )


def is_empty(hub: Hub) -> bool:
    """No project and no investor yet: a first start."""
    with hub.sessions() as session:
        return not (repository.count_projects(session) or repository.count_investors(session))


@dataclass(frozen=True)
class ProjectDetails:
    """The public fields of a published project that its page shows beside its catalog facts."""

    summary: str
    description: str
    city: str | None
    funding_ask: Any
    total_cost: Any
    currency: str
    sdgs: list[int]
    owner_name: str
    aifc_reference: str | None


def project_details(hub: Hub, project_id: int) -> ProjectDetails | None:
    """Public fields of a published project; None for any other."""
    with hub.sessions() as session:
        project = repository.find_project(session, project_id)
        if project is None or project.status != Status.PUBLISHED:
            return None
        return ProjectDetails(
            project.summary,
            project.description,
            project.city,
            project.funding_ask,
            project.total_cost,
            project.currency,
            [s.number for s in project.sdgs],
            project.owner_name,
            project.aifc_reference,
        )


# --- investors ---------------------------------------------------------------------------------


def _investor(actor: Actor) -> int:
    if actor.role != Role.INVESTOR or actor.investor_id is None:
        raise Forbidden("investors_only")
    return actor.investor_id


@dataclass(frozen=True)
class InterestView:
    id: int
    project_id: int
    title: str
    stage: str
    decline_reason: str | None
    contacts: Contacts | None  # once the owner accepted


def my_interests(hub: Hub, actor: Actor) -> list[InterestView]:
    investor_id = _investor(actor)
    with hub.sessions() as session:
        mine = repository.interests_of_investor(session, investor_id)
        introduced = repository.introduced_interest_ids(session, [i.id for i in mine])
        return [
            InterestView(
                i.id,
                i.project_id,
                i.project.title,
                i.stage,
                i.decline_reason,
                contacts(session, i) if i.id in introduced else None,
            )
            for i in mine
        ]


def interest_stage(hub: Hub, actor: Actor, project_id: int) -> str | None:
    """Where the investor's interest in a project stands (None: no interest yet)."""
    with hub.sessions() as session:
        row = repository.interest_between(session, _investor(actor), project_id)
        return row.stage if row else None


@dataclass(frozen=True)
class SearchView:
    """A saved search, shaped as ``hub.searches`` reads one."""

    id: int
    name: str
    query: str | None
    filters: dict[str, Any]
    last_seen_at: datetime

    @property
    def project_filters(self) -> ProjectFilters:
        return filters_from_json(self.filters)


def my_searches(hub: Hub, actor: Actor) -> list[SearchView]:
    _investor(actor)
    with hub.sessions() as session:
        return [
            SearchView(s.id, s.name, s.query, dict(s.filters or {}), s.last_seen_at)
            for s in repository.saved_searches_of(session, actor.account_id or -1)
        ]


def account_language(hub: Hub, actor: Actor) -> str | None:
    """The interface language the account chose, if any."""
    if actor.account_id is None:
        return None
    with hub.sessions() as session:
        account = repository.find_account(session, actor.account_id)
        return account.language if account is not None else None


def matches_seen_at(hub: Hub, actor: Actor) -> datetime | None:
    """When the investor last opened their matches (None: never)."""
    _investor(actor)
    with hub.sessions() as session:
        account = repository.find_account(session, actor.account_id) if actor.account_id else None
        return account.matches_seen_at if account is not None else None


def my_profile(hub: Hub, actor: Actor) -> dict[str, Any] | None:
    """The investor's organisation profile as a template row, with its ``version``."""
    with hub.sessions() as session:
        investor = repository.find_investor(session, _investor(actor))
        return None if investor is None else {**investor_row(investor), "version": investor.version}


# --- project owners ----------------------------------------------------------------------------


@dataclass(frozen=True)
class InterestInProposal:
    id: int
    investor_name: str
    stage: str
    decline_reason: str | None
    can_accept: bool
    investor_contact: str | None  # once accepted


@dataclass(frozen=True)
class ProposalView:
    id: int
    external_id: str
    title: str
    status: str
    when: datetime
    needs: list[FieldError]
    reviews: list[tuple[str, str | None, str | None]]  # decision, reason, note
    interests: list[InterestInProposal] = field(default_factory=list)
    row: dict[str, Any] = field(default_factory=dict)  # the template row, to edit it


def my_proposals(hub: Hub, actor: Actor) -> list[ProposalView]:
    """An owner's passports with their reviews and the interest in them, newest first."""
    if actor.role != Role.PROJECT_OWNER or actor.account_id is None:
        raise Forbidden("owners_only")
    with hub.sessions() as session:
        projects = repository.projects_of_owner(session, actor.account_id)
        interests = repository.interests_in_projects(session, [p.id for p in projects])
        introduced = repository.introduced_interest_ids(session, [i.id for i in interests])
        reviews = repository.reviews_of_projects(session, [p.id for p in projects])
        views = []
        for project in projects:
            mine = [i for i in interests if i.project_id == project.id]
            views.append(
                ProposalView(
                    project.id,
                    project.external_id,
                    project.title,
                    project.status,
                    project.published_at or project.submitted_at or project.updated_at,
                    missing_for_submission(project) if project.status in curation.EDITABLE_BY_OWNER else [],
                    [(r.decision, r.reason, r.note) for r in reviews.get(project.id, [])],
                    [
                        InterestInProposal(
                            i.id,
                            i.investor.name,
                            i.stage,
                            i.decline_reason,
                            i.id not in introduced and i.stage in CAN_BE_ACCEPTED,
                            i.investor.contact_email if i.id in introduced else None,
                        )
                        for i in mine
                    ],
                    {**project_row(project), "status": project.status, "version": project.version},
                )
            )
        return views


# --- staff -------------------------------------------------------------------------------------


def _staff(actor: Actor) -> None:
    if not actor.is_staff:
        raise Forbidden("staff_only")


def review_queue(hub: Hub, actor: Actor, matcher: Matcher) -> list[curation.QueueItem]:
    _staff(actor)
    with hub.sessions() as session:
        return curation.review_queue(session, matcher, hub.reference)


@dataclass(frozen=True)
class Listings:
    titles: dict[str, str]  # external id -> title, every listing
    drafts_needing: dict[str, list[FieldError]]  # drafts that still need something


def listings(hub: Hub, actor: Actor) -> Listings:
    _staff(actor)
    with hub.sessions() as session:
        everything = repository.projects_for_export(session)
        needing = {p.external_id: missing_for_submission(p) for p in everything if p.status == Status.DRAFT}
        return Listings({p.external_id: p.title for p in everything}, {k: v for k, v in needing.items() if v})


def listing_row(hub: Hub, actor: Actor, key: str) -> dict[str, Any] | None:
    """A listing as a template row with its ``version``, for staff's editor."""
    _staff(actor)
    with hub.sessions() as session:
        project = repository.find_project(session, key)
        return None if project is None else {**project_row(project), "version": project.version}
