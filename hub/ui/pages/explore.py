"""Explore projects (public): semantic search with filters, cards, a map, and the project page."""

from __future__ import annotations

import streamlit as st

from hub.i18n import t
from hub.insights import region_points
from hub.ui.charts import MAP_CONFIG, region_map
from hub.ui.components import facts_line, filter_widgets, language_note
from hub.ui.resources import get_hub, matcher
from hub.ui.safe import plain

STRONG = 0.8  # calibrated relevance from which a result is called a strong match

hub = get_hub()
reference = hub.reference
st.title(t("explore.title"))
query = st.text_input(t("explore.query"), key="explore_query", placeholder=t("explore.placeholder"))
filters = filter_widgets(reference, "explore")

result = matcher().search_projects(query, top=30, filters=filters) if query.strip() else None
projects = matcher().projects
if result is not None:
    rows = [(projects.facts[projects.position(m.id)], m.relevance) for m in result.items]
    if result.note:
        st.caption(plain(result.note.render()))
else:
    rows = [(facts, None) for facts in matcher().browse_projects(filters, limit=30)]
st.caption(t("explore.count", shown=len(rows)))

map_points = region_points([facts for facts, _ in rows], reference)
if map_points:
    names = {c: reference.countries[c].short_name() for c in sorted(reference.countries)}
    st.plotly_chart(region_map(map_points, names), config=MAP_CONFIG, key="explore_map")

for facts, relevance in rows:
    with st.container(border=True):
        st.markdown(f"**{plain(facts.title)}**")
        st.caption(plain(facts_line(facts, reference)))
        language_note(facts.language)
        if relevance is not None:  # calibrated relevance, never a raw cosine
            st.caption(t("explore.strong" if relevance >= STRONG else "explore.relevant"))
        if st.button(t("explore.open"), key=f"open_{facts.id}"):
            st.session_state["project_id"] = facts.id
            st.switch_page("hub/ui/pages/project.py")
if not rows:
    st.info(t("explore.none"))
