"""Project owner — my proposals: status and staff feedback, edits, incoming interest, introductions."""

from __future__ import annotations

import streamlit as st

from hub import reads
from hub.curation import EDITABLE_BY_OWNER, WorkflowError
from hub.i18n import day, t
from hub.services import Forbidden
from hub.ui.components import notify, show_needs, start_passport
from hub.ui.resources import get_hub, get_services, matcher
from hub.ui.safe import plain
from hub.ui.session import require_role
from hub.vocab import Status

hub = get_hub()
services = get_services()
actor = require_role("project_owner")
st.title(t("proposals.title"))

proposals = reads.my_proposals(hub, actor)
if not proposals:
    st.info(t("proposals.none"))
    st.stop()

counts = st.columns(3)
counts[0].metric(t("proposals.count"), len(proposals))
counts[1].metric(t("proposals.published"), sum(p.status == Status.PUBLISHED for p in proposals))
counts[2].metric(t("proposals.interests"), sum(len(p.interests) for p in proposals))

for project in proposals:
    with st.container(border=True):
        st.markdown(f"**{plain(project.title)}** · {plain(project.external_id)}")
        st.caption(
            t("proposals.status", status=t(f"status.{project.status}"), date=day(project.when))
            + " — "
            + t(f"proposals.next_{project.status}")
        )
        show_needs(project.needs)
        if project.status == Status.PUBLISHED:
            st.markdown(t("proposals.fitting", n=matcher().count_investors_for(project.id)))
        for decision, reason, note in project.reviews:
            why = f" — {t('reason.' + reason)}" if reason else ""
            st.info(plain(f"{t('review.' + decision)}{why}" + (f": {note}" if note else "")))
        left, middle, right = st.columns(3)
        if project.status == Status.PUBLISHED and middle.button(
            t("proposals.open"), key=f"open_{project.id}"
        ):
            st.session_state["project_id"] = project.id
            st.switch_page("hub/ui/pages/project.py")
        if project.status in EDITABLE_BY_OWNER and left.button(t("proposals.edit"), key=f"edit_{project.id}"):
            start_passport(actor.account_id, project.row)
            st.switch_page("hub/ui/pages/owner_submit.py")
        if project.status == Status.PUBLISHED and right.button(
            t("proposals.archive"), key=f"archive_{project.id}"
        ):
            try:
                services.archive_listing(actor, project.id)
            except (WorkflowError, Forbidden) as error:
                st.error(plain(error))
            else:
                notify(t("proposals.archived", title=project.title))
                st.rerun()
        if project.interests:
            st.markdown(f"**{t('proposals.interest', n=len(project.interests))}**")
        for interest in project.interests:
            reason = f" ({t('decline.' + interest.decline_reason)})" if interest.decline_reason else ""
            st.markdown(
                f"- {plain(interest.investor_name)} — {plain(t('interest.' + interest.stage) + reason)}"
            )
            if interest.investor_contact:
                st.success(plain(t("proposals.contacts", investor=interest.investor_contact)))
            elif interest.can_accept and st.button(t("proposals.accept"), key=f"accept_{interest.id}"):
                try:
                    services.accept_interest(actor, interest.id)
                except (WorkflowError, Forbidden) as error:
                    st.error(plain(error))
                else:
                    notify(t("proposals.accepted", investor=interest.investor_name))
                    st.rerun()
