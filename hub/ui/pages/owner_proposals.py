"""Project owner — my proposals: status and staff feedback, edits, incoming interest, introductions."""

from __future__ import annotations

import streamlit as st

from hub import repository
from hub.curation import EDITABLE_BY_OWNER, WorkflowError, move
from hub.i18n import t
from hub.importing import project_row
from hub.interest import CAN_BE_ACCEPTED, accept, contacts
from hub.schemas import missing_for_submission
from hub.ui.components import notify, start_passport
from hub.ui.resources import get_hub, matcher, refresh_matcher
from hub.ui.session import require_role
from hub.vocab import Status

hub = get_hub()
actor = require_role("project_owner")
st.title(t("proposals.title"))

with hub.sessions() as session:
    projects = repository.projects_of_owner(session, actor.account_id)
    if not projects:
        st.info(t("proposals.none"))
        st.stop()
    interests = repository.interests_in_projects(session, [p.id for p in projects])
    introduced = repository.introduced_interest_ids(session, [i.id for i in interests])
    revealed = {i.id: contacts(session, i) for i in interests if i.id in introduced}
    reviews = repository.reviews_of_projects(session, [p.id for p in projects])
    rows = {p.id: project_row(p) for p in projects}

published = [p for p in projects if p.status == Status.PUBLISHED]
counts = st.columns(3)
counts[0].metric(t("proposals.count"), len(projects))
counts[1].metric(t("proposals.published"), len(published))
counts[2].metric(t("proposals.interests"), len(interests))

for project in projects:
    with st.container(border=True):
        st.markdown(f"**{project.title}** · `{project.external_id}`")
        when = project.published_at or project.submitted_at or project.updated_at
        st.caption(
            t("proposals.status", status=t(f"status.{project.status}"), date=f"{when:%d %b %Y}")
            + " — "
            + t(f"proposals.next_{project.status}")
        )
        needs = missing_for_submission(project) if project.status in EDITABLE_BY_OWNER else []
        if needs:
            st.warning(
                t("proposals.needs", needs="; ".join(f"{t('field.' + n.field)} {n.message}" for n in needs))
            )
        if project.status == Status.PUBLISHED:
            fitting = matcher().count_investors_for(project.id)
            st.markdown(t("proposals.fitting", n=fitting))
        for review in reviews.get(project.id, []):
            reason = f" — {t('reason.' + review.reason)}" if review.reason else ""
            st.info(f"{t('review.' + review.decision)}{reason}: {review.note or ''}")
        left, middle, right = st.columns(3)
        if project.status == Status.PUBLISHED and middle.button(
            t("proposals.open"), key=f"open_{project.id}"
        ):
            st.session_state["project_id"] = project.id
            st.switch_page("hub/ui/pages/project.py")
        if project.status in (Status.DRAFT, Status.CHANGES_REQUESTED) and left.button(
            t("proposals.edit"), key=f"edit_{project.id}"
        ):
            start_passport(actor.account_id, {**rows[project.id], "status": project.status})
            st.switch_page("hub/ui/pages/owner_submit.py")
        if project.status == Status.PUBLISHED and right.button(
            t("proposals.archive"), key=f"archive_{project.id}"
        ):
            try:
                with hub.sessions.begin() as session:
                    move(session, repository.find_project(session, project.id), Status.ARCHIVED, actor)
                refresh_matcher()
                notify(t("proposals.archived", title=project.title))
                st.rerun()
            except WorkflowError as error:
                st.error(str(error))
        mine = [i for i in interests if i.project_id == project.id]
        if mine:
            st.markdown(f"**{t('proposals.interest', n=len(mine))}**")
        for interest in mine:
            reason = f" ({t('decline.' + interest.decline_reason)})" if interest.decline_reason else ""
            st.markdown(f"- {interest.investor.name} — {t('interest.' + interest.stage)}{reason}")
            if interest.id in revealed:
                st.success(t("proposals.contacts", investor=revealed[interest.id].investor_contact_email))
            elif interest.stage in CAN_BE_ACCEPTED and st.button(
                t("proposals.accept"), key=f"accept_{interest.id}"
            ):
                try:
                    with hub.sessions.begin() as session:
                        accept(session, repository.find_interest(session, interest.id), actor)
                    notify(t("proposals.accepted", investor=interest.investor.name))
                    st.rerun()
                except WorkflowError as error:
                    st.error(str(error))
