"""AIFC-linked listings: projects linked to the Astana International Financial Centre."""

from __future__ import annotations

import streamlit as st

from hub.i18n import t
from hub.ui.charts import horizontal_bars
from hub.ui.components import download_buttons, facts_table, filter_widgets
from hub.ui.resources import get_hub, matcher
from hub.vocab import AifcLink

hub = get_hub()
st.title(t("aifc.title"))
st.write(t("aifc.intro"))
links = [link.value for link in AifcLink if link != AifcLink.NONE]
chosen = st.multiselect(
    t("aifc.types"), links, default=links, format_func=lambda x: t(f"aifc.{x}"), key="aifc_types"
)
filters = filter_widgets(hub.reference, "aifc", with_aifc=False)
rows = [f for f in matcher().browse_projects(filters, limit=10_000) if f.aifc_link in chosen]
counts = {link: sum(f.aifc_link == link for f in rows) for link in chosen}
st.plotly_chart(
    horizontal_bars(
        [(t(f"aifc.{k}"), v) for k, v in sorted(counts.items(), key=lambda i: -i[1])], t("chart.projects")
    ),
    key="aifc_chart",
)
table = facts_table(rows, hub.reference)
st.caption(t("aifc.open_hint", n=len(rows)))
picked = st.dataframe(
    table,
    hide_index=True,
    key="aifc_table",
    on_select="rerun",
    selection_mode="single-row",
    column_config={t("table.ask_usd"): st.column_config.NumberColumn(format="dollar")},
)
if picked.selection.rows:
    st.session_state["project_id"] = rows[picked.selection.rows[0]].id
    st.switch_page("hub/ui/pages/project.py")
download_buttons(table, "aifc_listings", "aifc")
