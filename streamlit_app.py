"""HubMatch's Streamlit entry point: a router only (``streamlit run streamlit_app.py``)."""

from __future__ import annotations

import streamlit as st

from hub.ui.i18n import t
from hub.ui.resources import ensure_demo_data, get_hub

st.set_page_config(page_title=t("app.title"), page_icon="🤝", layout="wide")
ensure_demo_data(get_hub())

pages = {
    t("nav.public"): [
        st.Page("hub/ui/pages/home.py", title=t("nav.home"), icon="🏠", default=True),
    ],
}
st.navigation(pages).run()
