"""Investor — my matches: ranked, explained projects; why not higher; interests; saved searches."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from hub import reads
from hub.curation import WorkflowError
from hub.i18n import t
from hub.interest import next_stages
from hub.schemas import InvalidInput
from hub.searches import new_since_last_visit
from hub.services import Forbidden
from hub.ui.charts import factor_legend
from hub.ui.components import (
    download_buttons,
    facts_line,
    filter_widgets,
    filters_summary,
    interest_form,
    match_card,
    notify,
    show_field_errors,
)
from hub.ui.resources import get_hub, get_services, matcher, matches_since, unseen_matches
from hub.ui.safe import plain
from hub.ui.session import require_role
from hub.vocab import Role

hub = get_hub()
services = get_services()
reference = hub.reference
actor = require_role(Role.INVESTOR)
if actor.investor_id is None:  # a new account: matching starts with its organisation's profile
    st.info(t("matches.no_profile"))
    st.page_link("hub/ui/pages/investor_profile.py", label=t("nav.profile"), icon=":material/tune:")
    st.stop()
if matcher().investors.position(actor.investor_id) is None:
    st.warning(t("matches.inactive"))
    st.stop()
projects = matcher().projects
CARDS_PAGE = 10  # match cards drawn per page: one click redraws ten charts, not fifty
unseen = unseen_matches(actor, matches_since(actor, services))  # published since the last visit
new_ids = {m.id for m in unseen.items}
interests = {i.project_id: i for i in reads.my_interests(hub, actor)}
st.title(t("matches.title"))
st.caption(plain(actor.display_name))

filters = filter_widgets(reference, "matches")
top = st.slider(t("matches.top"), 5, 50, 10, key="matches_top")
result = matcher().projects_for_investor(actor.investor_id, top=top, filters=filters)
st.caption(t("matches.passing", passing=result.passing))
if result.note:
    st.warning(plain(result.note.render()))

tab_matches, tab_interests, tab_why, tab_saved = st.tabs(
    [t("matches.tab_matches"), t("matches.tab_interests"), t("matches.tab_why"), t("matches.tab_saved")]
)


def card_actions(match_id: int, label: str) -> None:
    """The card's interest state and only the moves allowed from it, plus opening the project."""
    mine = interests.get(match_id)
    if mine is not None:
        state = t(f"interest.{mine.stage}") + (f" · {t('matches.introduced')}" if mine.contacts else "")
        st.caption(plain(t("interest.now", stage=state)))
    moves = (
        ["watching", "interested"]
        if mine is None
        else [s for s in next_stages(mine.stage) if s != "declined"]
    )
    columns = st.columns(len(moves) + 1)
    for column, move in zip(columns, moves, strict=False):
        key = f"shortlist_{match_id}" if move == "watching" else f"move_{move}_{match_id}"
        if column.button(t(f"matches.move_{move}"), key=key):
            try:
                services.express_interest(actor, match_id, move)
            except (WorkflowError, Forbidden) as error:
                st.error(plain(error))
            else:
                notify(t("matches.moved", title=label, stage=t(f"interest.{move}")))
                st.rerun()
    if columns[-1].button(t("matches.open"), key=f"open_match_{match_id}"):
        st.session_state["project_id"] = match_id
        st.switch_page("hub/ui/pages/project.py")


with tab_matches:
    st.plotly_chart(
        factor_legend(), key="factor_legend", config={"displayModeBar": False, "staticPlot": True}
    )
    only_new = st.toggle(
        t("matches.only_new", n=unseen.passing),
        key="matches_only_new",
        disabled=not unseen.items,
        help=t("matches.new_help"),
    )
    shown_matches = unseen.items if only_new and unseen.items else result.items
    ranks = {m.id: n for n, m in enumerate(result.items, start=1)}
    pages = max(1, -(-len(shown_matches) // CARDS_PAGE))
    cards = st.container()
    number = 1
    if pages > 1:
        if st.session_state.get("matches_page", 1) > pages:
            st.session_state["matches_page"] = pages
        number = st.pagination(pages, key="matches_page")
    first = (number - 1) * CARDS_PAGE
    if only_new and unseen.items:
        cards.caption(t("matches.new_count", n=unseen.passing))
    for match in shown_matches[first : first + CARDS_PAGE]:
        with cards.container(border=True):
            match_card(
                match,
                projects.facts[projects.position(match.id)],
                reference,
                rank=ranks.get(match.id, 0),
                new=match.id in new_ids,
            )
            card_actions(match.id, match.label)
    if result.items:
        table = pd.DataFrame(
            [
                {
                    t("table.rank"): rank,
                    t("table.id"): m.external_id,
                    t("table.title"): m.label,
                    t("table.score"): round(m.score, 3),
                    **{t(f"factor.{k}"): round(v, 3) for k, v in m.factors.items()},
                    t("table.explanation"): m.explanation(),
                }
                for rank, m in enumerate(result.items, start=1)
            ]
        )
        download_buttons(table, "hubmatch_matches", "matches")

with tab_interests:
    interests = [
        (i.id, i.project_id, i.title, i.stage, i.decline_reason, i.contacts)
        for i in reads.my_interests(hub, actor)
    ]
    if not interests:
        st.info(t("interests.none"))
    for interest_id, project_id, title, stage, reason, introduction in interests:
        with st.container(border=True):
            why = f" ({t(f'decline.{reason}')})" if reason else ""
            introduced = f" · {t('matches.introduced')}" if introduction is not None else ""
            st.markdown(f"**{plain(title)}** — {plain(t(f'interest.{stage}') + why + introduced)}")
            if introduction is not None:  # the owner accepted: the project's contact is shared
                who, email = introduction.project_contact_name, introduction.project_contact_email
                st.success(
                    plain(
                        t("interests.contacts", who=who, email=email)
                        if who
                        else t("interests.contacts_team", title=title, email=email)
                    )
                )
            options = next_stages(stage)
            if not options:
                continue
            if interest_form(services, actor, project_id, options, f"interest_form_{interest_id}"):
                st.rerun()

with tab_why:
    st.write(t("why.intro"))
    choice = st.selectbox(
        t("why.project"),
        [int(i) for i in projects.ids],
        # the id tells apart listings of the same title (a resubmission, a chain's second site)
        format_func=lambda i: "{0.title} ({0.external_id})".format(projects.facts[projects.position(i)]),
        index=None,
        key="why_project",
    )
    if choice is not None:
        explained = matcher().explain_pair(actor.investor_id, choice)
        ranked = {m.id: n for n, m in enumerate(result.items, start=1)}
        if choice in ranked:
            st.success(t("why.ranked", rank=ranked[choice]))
        elif not explained.passed:
            st.error(t("why.fails"))
        else:
            lowest = result.items[-1].score if result.items else 0.0
            st.warning(t("why.below", score=f"{explained.score:.2f}", lowest=f"{lowest:.2f}"))
        match_card(
            explained,
            projects.facts[projects.position(choice)],
            reference,
            rank=ranked.get(choice, 0),
            key="why",
        )

with tab_saved:
    with st.form("save_search"):
        name = st.text_input(t("saved.name"))
        query = st.text_input(t("saved.query"))
        if st.form_submit_button(t("saved.save")):
            try:
                services.save_search(actor, name, query, filters)
                st.success(plain(t("saved.done", name=name)))
            except InvalidInput as invalid:
                show_field_errors(invalid)
    for search in reads.my_searches(hub, actor):
        new = new_since_last_visit(matcher(), search)
        with st.expander(plain(t("saved.entry", name=search.name, new=len(new))), expanded=bool(new)):
            st.caption(plain(filters_summary(search.project_filters, search.query, reference)))
            for facts in new:
                st.markdown(f"- **{plain(facts.title)}** — {plain(facts_line(facts, reference))}")
            if st.button(t("saved.seen"), key=f"seen_{search.id}"):
                services.mark_search_seen(actor, search.id)
                st.rerun()
