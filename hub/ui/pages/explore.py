"""Explore projects (public): semantic search with filters, cards, a map, and the project page."""

from __future__ import annotations

import streamlit as st

from hub.i18n import t
from hub.insights import region_points
from hub.ui.charts import MAP_CONFIG, region_map
from hub.ui.components import facts_line, filter_widgets
from hub.ui.resources import get_hub, matcher

hub = get_hub()
reference = hub.reference
st.title(t("explore.title"))
query = st.text_input(t("explore.query"), key="explore_query", placeholder=t("explore.placeholder"))
filters = filter_widgets(reference, "explore")

found = matcher().search_projects(query, top=30, filters=filters).items if query.strip() else None
projects = matcher().projects
if found is not None:
    rows = [(projects.facts[projects.position(m.id)], m.similarity) for m in found]
else:
    rows = [(facts, None) for facts in matcher().browse_projects(filters, limit=30)]
st.caption(t("explore.count", shown=len(rows)))

map_points = region_points([facts for facts, _ in rows], reference)
if map_points:
    names = {c: reference.countries[c].short_name() for c in sorted(reference.countries)}
    st.plotly_chart(region_map(map_points, names), config=MAP_CONFIG, key="explore_map")

for facts, similarity in rows:
    with st.container(border=True):
        st.markdown(f"**{facts.title}**")
        st.caption(facts_line(facts, reference))
        if similarity is not None:
            st.caption(t("explore.similarity", value=f"{similarity:.2f}"))
        if st.button(t("explore.open"), key=f"open_{facts.id}"):
            st.session_state["project_id"] = facts.id
            st.switch_page("hub/ui/pages/project.py")
if not rows:
    st.info(t("explore.none"))
