"""Home: what the hub is, and the headline figures."""

from __future__ import annotations

import streamlit as st

from hub import insights
from hub.ui.charts import horizontal_bars
from hub.ui.i18n import t
from hub.ui.resources import get_hub

hub = get_hub()
st.title(t("app.title"))
st.caption(t("app.tagline"))
st.write(t("home.intro"))

with hub.sessions() as session:
    figures = insights.headline(session, hub.reference)
    by_country = insights.projects_per_country(session, hub.reference)
    by_sector = insights.projects_per_sector(session, hub.reference)

columns = st.columns(4)
columns[0].metric(t("home.published"), f"{figures.published_projects:,}")
columns[1].metric(t("home.investors"), f"{figures.active_investors:,}")
columns[2].metric(t("home.sought"), f"{figures.capital_sought_usd / 1_000_000:,.0f} M")
columns[3].metric(t("home.capacity"), f"{figures.ticket_capacity_usd / 1_000_000:,.0f} M")
st.caption(t("home.fx_note", day=hub.reference.fx.as_of.isoformat()))

left, right = st.columns(2)
with left:
    st.subheader(t("home.by_country"))
    st.plotly_chart(horizontal_bars(by_country, t("chart.projects")), key="chart_country")
with right:
    st.subheader(t("home.by_sector"))
    st.plotly_chart(horizontal_bars(by_sector, t("chart.projects")), key="chart_sector")
st.info(t("app.disclaimer"))
