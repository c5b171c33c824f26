"""Insights (public): the regional picture, the capital gap, the pipeline, fairness of exposure."""

from __future__ import annotations

import streamlit as st

from hub import insights, reads
from hub.i18n import t
from hub.ui.charts import MAP_CONFIG, capital_gap_heatmap, exposure_bars, horizontal_bars, region_map
from hub.ui.resources import get_hub, matcher, region_exposure
from hub.vocab import Status, slugs

hub = get_hub()
reference = hub.reference
countries = {c: reference.countries[c].short_name() for c in sorted(reference.countries)}
st.title(t("insights.title"))
read = reads.insight_figures(hub)
gap, statuses, sectors, sdgs = read.gap, read.statuses, read.sectors, read.sdgs

st.subheader(t("insights.map"))
st.caption(t("insights.map_caption"))
points = insights.region_points(matcher().projects.facts, reference)
st.plotly_chart(region_map(points, countries), config=MAP_CONFIG, key="insights_map")

st.subheader(t("insights.gap"))
st.caption(t("insights.gap_caption"))
sector_names = {slug: s.name() for slug, s in reference.sectors.items()}
st.plotly_chart(capital_gap_heatmap(gap, sector_names, countries), key="insights_gap")

left, right = st.columns(2)
with left:
    st.subheader(t("insights.pipeline"))
    order = {s: i for i, s in enumerate(slugs(Status))}  # the workflow's order
    rows = [(t(f"status.{s}"), n) for s, n in sorted(statuses, key=lambda r: order.get(r[0], 99))]
    st.plotly_chart(horizontal_bars(rows[::-1], t("chart.projects")), key="insights_pipeline")
with right:
    st.subheader(t("insights.sdgs"))
    st.plotly_chart(
        horizontal_bars(sorted(sdgs, key=lambda r: -r[1]), t("chart.projects")), key="insights_sdgs"
    )

st.subheader(t("insights.sectors"))
st.plotly_chart(horizontal_bars(sectors, t("chart.projects")), key="insights_sectors")

st.subheader(t("insights.exposure"))
st.caption(t("insights.exposure_caption"))
exposure = region_exposure()
st.plotly_chart(
    exposure_bars(exposure),
    key="insights_exposure",
)
