"""Things created once per server process (``st.cache_resource``), and the first-start set-up."""

from __future__ import annotations

import streamlit as st

from hub import repository
from hub.context import Hub, open_hub
from hub.demo import seed_demo
from hub.ui.i18n import t


@st.cache_resource(show_spinner=False)
def get_hub() -> Hub:
    """The database engine, session factory and reference data for this server."""
    return open_hub()


def ensure_demo_data(hub: Hub) -> None:
    """On an empty database, load the demo data set with a visible progress bar."""
    if not hub.settings.seed_demo_on_start:
        return
    with hub.sessions() as session:
        if repository.count_projects(session) or repository.count_investors(session):
            return
    bar = st.progress(0.0, text=t("start.loading"))

    def progress(done: int, total: int) -> None:
        bar.progress(done / total, text=t("start.progress", done=done, total=total))

    report = seed_demo(
        hub.sessions, hub.reference, hub.settings.reference_dir, hub.settings.demo_seed, progress=progress
    )
    bar.empty()
    st.toast(t("start.done", summary=report.summary()))
