"""Expressions of interest: the ladder an investor climbs for one project, and introductions.

watching -> interested -> in discussion -> committed, moving forward only; declined ends it
and needs a structured reason (so owners hear why). The project owner may accept an interest
that is at least "interested": that is an introduction, and only then do both sides see each
other's contacts.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from hub import repository
from hub.actors import Actor
from hub.curation import WorkflowError
from hub.i18n import Text, Vocab
from hub.models import Interest, Introduction, Project
from hub.vocab import DeclineReason, InterestStage, Status

LADDER = [
    InterestStage.WATCHING,
    InterestStage.INTERESTED,
    InterestStage.IN_DISCUSSION,
    InterestStage.COMMITTED,
]
CAN_BE_ACCEPTED = {InterestStage.INTERESTED, InterestStage.IN_DISCUSSION, InterestStage.COMMITTED}


@dataclass(frozen=True)
class Contacts:
    project_contact_email: str
    project_contact_name: str | None
    investor_contact_email: str


def next_stages(stage: str) -> list[str]:
    """Where an interest in ``stage`` may go next."""
    if stage in (InterestStage.DECLINED, InterestStage.COMMITTED):
        return []
    return [*LADDER[LADDER.index(InterestStage(stage)) + 1 :], InterestStage.DECLINED]


def express(
    session: Session,
    investor_id: int,
    project_id: int,
    stage: str,
    actor: Actor,
    *,
    reason: str | None = None,
    note: str | None = None,
) -> Interest:
    """Create the investor's interest in a published project, or move it to ``stage``."""
    project = session.get(Project, project_id)
    if project is None or project.status != Status.PUBLISHED:
        raise WorkflowError("interest_unpublished")
    interest = repository.interest_between(session, investor_id, project_id)
    if interest is None:
        if stage == InterestStage.DECLINED:
            _check_decline(reason)
        interest = Interest(investor_id=investor_id, project_id=project_id, stage=stage)
        session.add(interest)
        start = None
    else:
        start = interest.stage
        if stage == start:
            return interest
        if stage not in next_stages(start):
            options = [Vocab("interest", s) for s in next_stages(start)] or Text("workflow.interest_closed")
            raise WorkflowError(
                "interest_move", start=Vocab("interest", start), to=Vocab("interest", stage), options=options
            )
        if stage == InterestStage.DECLINED:
            _check_decline(reason)
        interest.stage = stage
    interest.decline_reason = reason if stage == InterestStage.DECLINED else None
    if note:
        interest.note = note
    session.flush()
    repository.record_event(
        session,
        actor=actor.email,
        action=f"interest.{stage}",
        entity_type="interest",
        entity_id=interest.id,
        details={"investor_id": investor_id, "project_id": project_id, "from": start, "reason": reason},
    )
    return interest


def _check_decline(reason: str | None) -> None:
    if reason not in {r.value for r in DeclineReason}:
        raise WorkflowError("decline_reason", reasons=[Vocab("decline", r.value) for r in DeclineReason])


def accept(session: Session, interest: Interest, actor: Actor) -> Introduction:
    """The project owner accepts an interest: both sides' contacts are revealed to each other."""
    project = interest.project
    if project.owner_account_id is None or project.owner_account_id != actor.account_id:
        raise WorkflowError("accept_owner")
    if interest.stage not in CAN_BE_ACCEPTED:
        raise WorkflowError("accept_stage", stage=Vocab("interest", interest.stage))
    existing = session.get(Introduction, interest.id)
    if existing is not None:
        return existing
    introduction = Introduction(interest_id=interest.id, accepted_by=actor.email)
    session.add(introduction)
    repository.record_event(
        session,
        actor=actor.email,
        action="interest.accepted",
        entity_type="interest",
        entity_id=interest.id,
        details={"project_id": project.id, "investor_id": interest.investor_id},
    )
    session.flush()
    return introduction


def contacts(session: Session, interest: Interest) -> Contacts | None:
    """Both sides' contacts, once the owner has accepted this interest; otherwise None."""
    if session.get(Introduction, interest.id) is None:
        return None
    confidential = interest.project.confidential
    return Contacts(
        project_contact_email=confidential.contact_email if confidential else "",
        project_contact_name=confidential.contact_name if confidential else None,
        investor_contact_email=interest.investor.contact_email,
    )
