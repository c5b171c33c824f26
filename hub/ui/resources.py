"""Things created once per server process (``st.cache_resource``), and the first-start set-up."""

from __future__ import annotations

import threading
from collections.abc import Callable

import streamlit as st

from hub import insights, reads
from hub.actors import SYSTEM
from hub.context import Hub, open_encoder, open_hub
from hub.engine import MatchingEngine, open_engine
from hub.i18n import t
from hub.matching import Matcher
from hub.services import Services
from hub.suggest import Suggester, background_texts
from hub.ui.safe import plain

_refresh_lock = threading.Lock()


@st.cache_resource(show_spinner=False)
def get_hub() -> Hub:
    """The database engine, session factory and reference data for this server."""
    return open_hub()


@st.cache_resource(show_spinner=False)
def get_engine(_hub: Hub) -> MatchingEngine:
    """The encoder, both vector indexes and the catalogs, built once per server process."""
    bars = []  # drawn once there is work to show: a warm start, which encodes nothing, shows no bar

    def progress(what: str, done: int, total: int) -> None:
        if not bars:
            if done >= total:
                return
            bars.append(st.progress(0.0, text=t("start.index")))
        bars[0].progress(
            min(1.0, done / max(total, 1)), text=t("start.index_progress", what=what, done=done, total=total)
        )

    engine = open_engine(_hub, open_encoder(_hub.settings), progress)
    for bar in bars:
        bar.empty()
    return engine


def matcher() -> Matcher:
    engine = get_engine(get_hub())
    assert engine.matcher is not None
    return engine.matcher


def refresh_matcher(progress: Callable[[str, int, int], None] | None = None) -> Matcher:
    """After a write: bring indexes and catalogs up to date (one refresh at a time)."""
    engine = get_engine(get_hub())
    with _refresh_lock:
        return engine.refresh(progress)


def get_services() -> Services:
    """The service layer over this server's database; writes refresh this server's index."""
    return Services(get_hub(), refresh=refresh_matcher)


def last_refresh_reports() -> list[str]:
    return [report.summary() for report in get_engine(get_hub()).reports]


def region_exposure() -> list[insights.Exposure]:
    """Regions' share of investors' top 10s (one match per investor), cached per index state."""
    current = matcher()
    key = (current.project_index.revision, current.investor_index.revision, len(current.projects))
    return _exposure(key)


@st.cache_data(show_spinner=False, max_entries=4)
def _exposure(key: tuple[int, int, int]) -> list[insights.Exposure]:
    return insights.region_exposure(matcher(), get_hub().reference)


@st.cache_resource(show_spinner=False)
def get_suggester(_hub: Hub) -> Suggester:
    return Suggester(get_engine(_hub).encoder, _hub.reference, background_texts(_hub.settings.reference_dir))


def ensure_demo_data(hub: Hub) -> None:
    """On an empty database, load the demo data set with a visible progress bar."""
    if not hub.settings.seed_demo_on_start:
        return
    if not reads.is_empty(hub):
        return
    bar = st.progress(0.0, text=t("start.loading"))

    def progress(done: int, total: int) -> None:
        bar.progress(done / total, text=t("start.progress", done=done, total=total))

    report = Services(hub).seed_demo(SYSTEM, progress=progress)  # a start-up job: the system acts
    bar.empty()
    st.toast(plain(t("start.done", summary=report.summary())))
