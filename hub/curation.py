"""The listing workflow: who may move a project passport from which status to which, and why.

draft -> submitted (owner) -> in_review (staff) -> published | changes_requested | rejected
(staff, with a structured reason); changes_requested -> submitted (owner, after editing);
published -> archived (owner or staff). Every move is stamped, audited and, for staff
decisions, kept as a review the owner can read. Also AIFC-link verification and the review
queue (completeness and the admission criteria live in ``hub.passport``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from hub import repository
from hub.actors import Actor
from hub.duplicates import Identity, Signal
from hub.i18n import ExplainedError, Text, Vocab
from hub.importing import project_row
from hub.indexing import project_text
from hub.models import AifcVerification, Project, ProjectReview, utcnow
from hub.passport import Criterion, completeness, eligibility, plausibility
from hub.reference import Reference
from hub.schemas import FieldError, InvalidInput, missing_for_submission, validate_project
from hub.vocab import AifcLink, ReviewDecision, ReviewReason, Role, Status

if TYPE_CHECKING:  # only for annotations: matching does not depend on the workflow
    from hub.matching import Matcher

TRANSITIONS: dict[tuple[str, str], set[str]] = {
    (Status.DRAFT, Status.SUBMITTED): {Role.PROJECT_OWNER, Role.HUB_STAFF, Role.ADMIN},
    (Status.CHANGES_REQUESTED, Status.SUBMITTED): {Role.PROJECT_OWNER, Role.HUB_STAFF, Role.ADMIN},
    (Status.SUBMITTED, Status.IN_REVIEW): {Role.HUB_STAFF, Role.ADMIN},
    (Status.SUBMITTED, Status.PUBLISHED): {Role.HUB_STAFF, Role.ADMIN},
    (Status.IN_REVIEW, Status.PUBLISHED): {Role.HUB_STAFF, Role.ADMIN},
    (Status.SUBMITTED, Status.CHANGES_REQUESTED): {Role.HUB_STAFF, Role.ADMIN},
    (Status.IN_REVIEW, Status.CHANGES_REQUESTED): {Role.HUB_STAFF, Role.ADMIN},
    (Status.SUBMITTED, Status.REJECTED): {Role.HUB_STAFF, Role.ADMIN},
    (Status.IN_REVIEW, Status.REJECTED): {Role.HUB_STAFF, Role.ADMIN},
    (Status.PUBLISHED, Status.ARCHIVED): {Role.PROJECT_OWNER, Role.HUB_STAFF, Role.ADMIN},
}


# Moves that put a passport before reviewers or investors: it must be complete by then.
NEEDS_COMPLETE = (Status.SUBMITTED, Status.IN_REVIEW, Status.PUBLISHED)


class WorkflowError(ExplainedError, ValueError):
    """A move the workflow does not allow; the message says what is allowed instead."""

    prefix = "workflow."


def allowed_moves(status: str, role: str) -> list[str]:
    """The statuses ``role`` may move a passport in ``status`` to (the system acts as an admin)."""
    role = Role.ADMIN if role == Role.SYSTEM else role
    return [to for (start, to), roles in TRANSITIONS.items() if start == status and role in roles]


def move(
    session: Session,
    project: Project,
    to: str,
    actor: Actor,
    *,
    reason: str | None = None,
    note: str | None = None,
) -> Project:
    """Move ``project`` to status ``to`` if the workflow allows ``actor`` to; audit it."""
    start = project.status
    roles = TRANSITIONS.get((start, to))
    if roles is None:
        options = [Vocab("status", s) for s in allowed_moves(start, actor.role)] or Text("workflow.nothing")
        raise WorkflowError(
            "passport_move", start=Vocab("status", start), to=Vocab("status", to), options=options
        )
    if (Role.ADMIN if actor.role == Role.SYSTEM else actor.role) not in roles:
        raise WorkflowError(
            "passport_role",
            roles=[Vocab("role", r) for r in sorted(roles)],
            start=Vocab("status", start),
            to=Vocab("status", to),
        )
    if actor.role == Role.PROJECT_OWNER and project.owner_account_id != actor.account_id:
        raise WorkflowError("passport_owner")  # also for a listing without an owner account
    if to in NEEDS_COMPLETE:
        needs = missing_for_submission(project)
        if needs:
            raise WorkflowError(
                "passport_incomplete", to=Vocab("status", to), needs="; ".join(str(n) for n in needs)
            )
    decision = {
        Status.PUBLISHED: ReviewDecision.APPROVE,
        Status.CHANGES_REQUESTED: ReviewDecision.REQUEST_CHANGES,
        Status.REJECTED: ReviewDecision.REJECT,
    }.get(to)
    if decision in (ReviewDecision.REQUEST_CHANGES, ReviewDecision.REJECT):
        if reason not in {r.value for r in ReviewReason}:
            raise WorkflowError("review_reason", reasons=[Vocab("reason", r.value) for r in ReviewReason])
        if not (note or "").strip():
            raise WorkflowError("review_note")
    repository.set_status(project, to)
    if decision is not None:
        session.add(
            ProjectReview(
                project_id=project.id,
                reviewer=actor.email,
                decision=decision,
                reason=reason,
                note=(note or "").strip() or None,
            )
        )
    repository.record_event(
        session,
        actor=actor.email,
        action=f"project.{to}",
        entity_type="project",
        entity_id=project.id,
        details={"from": start, "to": to, "reason": reason, "note": note},
    )
    session.flush()
    return project


def verify_aifc_link(
    session: Session, project: Project, actor: Actor, *, verified: bool, note: str | None
) -> None:
    """Record staff's check of the project's claimed AIFC link."""
    if not actor.is_staff:
        raise WorkflowError("aifc_staff")
    if project.aifc_link == AifcLink.NONE:
        raise WorkflowError("aifc_none")
    session.merge(
        AifcVerification(
            project_id=project.id, verified=verified, verified_by=actor.email, note=note, verified_at=utcnow()
        )
    )
    repository.record_event(
        session,
        actor=actor.email,
        action="project.aifc_verified" if verified else "project.aifc_not_verified",
        entity_type="project",
        entity_id=project.id,
        details={"link": project.aifc_link, "reference": project.aifc_reference, "note": note},
    )


EDITABLE_BY_OWNER = (Status.DRAFT, Status.CHANGES_REQUESTED)


@dataclass(frozen=True)
class Passport:
    """What a reviewer reads of a listing to decide on it: its content, place, terms and owner
    (the contact included: staff only)."""

    external_id: str
    title: str
    summary: str | None
    description: str | None
    status: str
    owner_name: str | None
    owner_email: str | None
    website: str | None
    country: str | None
    region: str | None
    city: str | None
    sectors: tuple[str, ...]
    stage: str | None  # None: not given, or declared unknown (see ``unknown``)
    instruments: tuple[str, ...]
    funding_ask: float | None
    currency: str | None
    ask_usd: float | None
    unknown: tuple[str, ...]  # facts declared unknown: stage, instruments, funding_ask
    submitted_at: datetime | None


def passport(project: Project, reference: Reference) -> Passport:
    confidential = project.confidential
    ask_usd = (
        float(reference.fx.to_usd(project.funding_ask, project.currency or "USD"))
        if project.funding_ask is not None
        else None
    )
    return Passport(
        external_id=project.external_id,
        title=project.title,
        summary=project.summary,
        description=project.description,
        status=project.status,
        owner_name=project.owner_name,
        owner_email=confidential.contact_email or None if confidential else None,
        website=project.website,
        country=project.country_code,
        region=project.region_code,
        city=project.city,
        sectors=tuple(s.slug for s in project.sectors),
        stage=project.stage,
        instruments=tuple(project.instruments or ()),
        funding_ask=None if project.funding_ask is None else float(project.funding_ask),
        currency=project.currency,
        ask_usd=ask_usd,
        unknown=tuple(project.unknown or ()),
        submitted_at=project.submitted_at,
    )


def criteria(project: Project, reference: Reference) -> list[Criterion]:
    """The admission criteria checked against a stored passport (none for a row so broken it
    cannot be read back as a draft, which validation does not let in)."""
    try:
        read = validate_project({**project_row(project), "status": Status.DRAFT}, reference)
    except InvalidInput:
        return []
    return eligibility(read, reference)


@dataclass(frozen=True)
class Similar:
    """A listing close to a passport under review: by text, or by a shared name, website or
    contact. ``duplicate`` says why it is probably the same listing (empty: a comparable);
    a probable duplicate carries its ``passport``, to be read side by side with the new one."""

    id: int
    external_id: str
    label: str
    status: str
    similarity: float  # cosine of the two indexed texts
    duplicate: tuple[Signal, ...] = ()
    passport: Passport | None = None


def project_identity(project: Project) -> Identity:
    """Who a stored listing is, contacts included (staff only: contacts are confidential)."""
    confidential = project.confidential
    return Identity(
        name=project.name_key,
        organisation=project.org_key,
        website=project.website_domain,
        email=(confidential.contact_email or "").lower() or None if confidential else None,
        phone=confidential.contact_phone if confidential else None,
        region=project.region_code,
    )


def duplicate_check(
    session: Session, matcher: Matcher, project: Project, top: int = 3, reference: Reference | None = None
) -> list[Similar]:
    """The listings a reviewer should compare a passport with, found among the ``top`` published
    ones closest in text and any listing on file (published or not) sharing its name,
    organisation, website, email or phone: every probable duplicate, with the signals that fired
    (``hub.duplicates.DuplicateRule``), then the closest others up to ``top`` in all."""
    who = project_identity(project)
    text = project_text(project)
    closest = matcher.duplicate_candidates(text, who=who, exclude=project.id, top=top).items
    similarity = {m.id: m.similarity for m in closest}
    rows = {row.id: row for row in repository.projects_sharing_identity(session, project)}
    rows |= {
        row.id: row for row in repository.projects_by_ids(session, list(similarity)) if row.id != project.id
    }
    unscored = [row for key, row in rows.items() if key not in similarity]
    if unscored:
        vectors = matcher.encoder.encode([text, *(project_text(row) for row in unscored)])
        similarity |= {row.id: float(vectors[0] @ v) for row, v in zip(unscored, vectors[1:], strict=True)}
    found = []
    for row in rows.values():
        signals = matcher.duplicates.signals(who, project_identity(row), similarity[row.id])
        found.append(
            Similar(
                id=row.id,
                external_id=row.external_id,
                label=row.title,
                status=row.status,
                similarity=similarity[row.id],
                duplicate=signals,
                passport=passport(row, reference) if signals and reference is not None else None,
            )
        )
    found.sort(key=lambda s: (not s.duplicate, -s.similarity))
    duplicates = [s for s in found if s.duplicate]
    return duplicates + [s for s in found if not s.duplicate][: max(0, top - len(duplicates))]


@dataclass(frozen=True)
class QueueItem:
    """One passport waiting for a staff decision, with what the reviewer checks."""

    project_id: int
    external_id: str
    title: str
    status: str
    aifc_link: str
    aifc_reference: str | None
    completeness: float
    missing: list[str]
    similar: list[Similar]  # probable duplicates, or else the closest published listings
    warnings: list[FieldError]  # plausibility: values worth a second look
    aifc_verified: bool | None  # None: a claimed link not checked yet (or no link claimed)
    passport: Passport  # what the decision is about
    criteria: list[Criterion]  # the admission criteria, each passed or not

    def matches(self, words: str) -> bool:
        """Whether a search of the queue finds this item: every word in its title, id or owner."""
        seen = " ".join((self.title, self.external_id, self.passport.owner_name or "")).casefold()
        return all(word in seen for word in words.casefold().split())

    @property
    def possible_duplicate(self) -> bool:
        return any(s.duplicate for s in self.similar)

    @property
    def aifc_to_verify(self) -> bool:
        return self.aifc_link != AifcLink.NONE and self.aifc_verified is None


def review_queue(session: Session, matcher: Matcher, reference: Reference) -> list[QueueItem]:
    """Submitted and in-review passports, oldest submission first."""
    items = []
    waiting = repository.projects_in_status(session, [Status.SUBMITTED, Status.IN_REVIEW])
    checks = repository.aifc_verifications(session, [p.id for p in waiting])
    for project in waiting:
        score, missing = completeness(project)
        check = checks.get(project.id)
        items.append(
            QueueItem(
                project_id=project.id,
                external_id=project.external_id,
                title=project.title,
                status=project.status,
                aifc_link=project.aifc_link,
                aifc_reference=project.aifc_reference,
                completeness=score,
                missing=missing,
                similar=duplicate_check(session, matcher, project, reference=reference),
                warnings=plausibility(project, reference),
                aifc_verified=None if check is None else check.verified,
                passport=passport(project, reference),
                criteria=criteria(project, reference),
            )
        )
    return items
