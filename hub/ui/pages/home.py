"""Home: what the hub is, the headline figures and a quick search."""

from __future__ import annotations

import streamlit as st

from hub import reads
from hub.i18n import t, usd
from hub.ui.charts import horizontal_bars
from hub.ui.resources import get_hub

hub = get_hub()
st.title(t("app.title"))
st.caption(t("app.tagline"))
st.write(t("home.intro"))

with st.form("quick_search"):
    query = st.text_input(t("home.search"), placeholder=t("explore.placeholder"), key="home_query")
    if st.form_submit_button(t("home.search_button")) and query.strip():
        st.session_state["explore_query"] = query
        st.switch_page("hub/ui/pages/explore.py")

read = reads.home_figures(hub)
figures, by_country, by_sector = read.headline, read.by_country, read.by_sector

with st.container(horizontal=True, gap="medium"):  # a figure that does not fit wraps, never cut short
    st.metric(t("home.published"), f"{figures.published_projects:,}")
    st.metric(t("home.investors"), f"{figures.active_investors:,}")
    st.metric(t("home.sought"), usd(float(figures.capital_sought_usd)))
    st.metric(t("home.capacity"), usd(float(figures.ticket_capacity_usd)))
    st.metric(t("home.countries"), f"{figures.countries} · {figures.regions}")
st.caption(t("home.fx_note", day=hub.reference.fx.as_of.isoformat()))

left, right = st.columns(2)
with left:
    st.subheader(t("home.by_country"))
    st.plotly_chart(horizontal_bars(by_country, t("chart.projects")), key="chart_country")
with right:
    st.subheader(t("home.by_sector"))
    st.plotly_chart(horizontal_bars(by_sector, t("chart.projects")), key="chart_sector")
st.info(t("app.disclaimer"))
