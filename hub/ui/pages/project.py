"""A project's public page: public fields only, similar projects, and for investors the match."""

from __future__ import annotations

import streamlit as st

from hub import reads
from hub.i18n import money, t, usd
from hub.interest import next_stages
from hub.matching import ProjectFilters
from hub.ui.components import FAILED, PASSED, facts_line, interest_form, language_note, match_card
from hub.ui.resources import get_hub, get_services, matcher
from hub.ui.safe import plain
from hub.ui.session import current_actor
from hub.vocab import Role

hub = get_hub()
reference = hub.reference
projects = matcher().projects
labels = {f.id: f"{f.title} · {f.external_id}" for f in projects.facts}
project_id = st.session_state.get("project_id")
shared = st.query_params.get("project")  # a shared link: ?project=<external id>
if shared and project_id is None:
    project_id = next((f.id for f in projects.facts if f.external_id == shared), None)
    if project_id is None:
        st.warning(plain(t("project.unknown", id=shared)))
ids = list(labels)
project_id = st.selectbox(
    t("project.pick"),
    ids,
    index=ids.index(project_id) if project_id in labels else None,
    format_func=labels.get,
    placeholder=t("project.choose"),
)
if project_id is None:  # a picker worth opening: the newest listings and the AIFC-linked ones
    newest, linked = st.columns(2)
    for column, heading, chosen in (
        (newest, "project.recent", matcher().browse_projects(limit=6)),
        (linked, "project.featured", matcher().browse_projects(ProjectFilters(aifc_only=True), limit=6)),
    ):
        with column:
            st.subheader(t(heading))
            for listed in chosen:
                with st.container(border=True):
                    st.markdown(f"**{plain(listed.title)}**")
                    st.caption(plain(facts_line(listed, reference)))
                    if st.button(t("project.open"), key=f"pick_{heading}_{listed.id}"):
                        st.session_state["project_id"] = listed.id
                        st.rerun()
    st.stop()
facts = projects.facts[projects.position(project_id)]
st.session_state["project_id"] = facts.id
st.query_params["project"] = facts.external_id  # the address bar now links to this project
details = reads.project_details(hub, facts.id)
if details is None:  # taken off the hub since the page's list was made
    st.warning(plain(t("project.unknown", id=facts.external_id)))
    st.stop()
description, summary, city = details.description, details.summary, details.city
total_cost, currency, ask = details.total_cost, details.currency, details.funding_ask
sdgs, owner_name, aifc_reference = details.sdgs, details.owner_name, details.aifc_reference

st.title(plain(facts.title))
st.caption(plain(facts_line(facts, reference)))
language_note(facts.language)
st.markdown(plain(summary))
left, middle, right = st.columns([1, 1, 2])
left.metric(t("project.ask"), t("card.unknown") if ask is None else money(ask, currency))
if total_cost is not None:
    middle.metric(t("project.total_cost"), money(total_cost, currency))
with right:  # text, not a metric: a long organisation name wraps instead of being cut off
    st.caption(t("project.owner"))
    st.markdown(f"**{plain(owner_name or '—')}**")
if ask is not None and currency != "USD":
    st.caption(t("money.with_usd", amount=money(ask, currency), usd=usd(facts.ask_usd)))
st.markdown(f"**{t('project.description')}**")
st.markdown(plain(description))
place = f"{city or ''} {reference.regions[facts.region].name()}, {reference.countries[facts.country].name()}"
instruments = ", ".join(t("instrument." + i) for i in facts.instruments) or t("card.unknown")
goals = ", ".join(f"{n}. {reference.sdgs[n].name()}" for n in sdgs) or "—"
aifc = f"{t('aifc.' + facts.aifc_link)} {aifc_reference or ''}"
st.markdown(
    f"**{t('project.location')}:** {plain(place)}  \n"
    f"**{t('project.instruments')}:** {plain(instruments)}  \n"
    f"**{t('project.sdgs')}:** {plain(goals)}  \n"
    f"**{t('project.aifc')}:** {plain(aifc)}"
)
st.caption(t("project.public_only"))

actor = current_actor()
if (
    actor is not None
    and actor.role == Role.INVESTOR
    and matcher().investors.position(actor.investor_id or -1) is not None
):
    st.subheader(t("project.for_you"))
    match = matcher().explain_pair(actor.investor_id, facts.id)
    failed = [c for c in match.constraints if not c.passed]
    if failed:  # the verdict first, then why
        st.error(t("project.verdict_outside", failed=", ".join(t(f"mandate.{c.name}") for c in failed)))
    else:
        st.success(t("project.verdict_fits"))
    for constraint in match.constraints:
        mark = PASSED if constraint.passed else FAILED
        text = constraint.text.render()
        st.markdown(f"{mark} {plain(text[:1].upper() + text[1:])}")
    match_card(match, None, reference, rank=0)
    stage = reads.interest_stage(hub, actor, facts.id)
    options = next_stages(stage) if stage else ["watching", "interested", "declined"]
    st.caption(t("interest.now", stage=t(f"interest.{stage}") if stage else t("interest.none")))
    if options and interest_form(get_services(), actor, facts.id, options, "project_interest"):
        st.rerun()

st.subheader(t("project.similar"))
for similar in matcher().similar_projects(facts.id, top=5).items:
    other = projects.facts[projects.position(similar.id)]
    flag = f" · {t('project.duplicate')}" if similar.duplicate else ""
    st.markdown(f"- **{plain(similar.label)}** — {plain(facts_line(other, reference) + flag)}")
