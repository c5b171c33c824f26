"""Things created once per server process (``st.cache_resource``), and the first-start set-up."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from hub import insights, lang, reads
from hub.actors import SYSTEM, Actor
from hub.context import Hub, open_encoder, open_hub
from hub.engine import MatchingEngine, open_engine
from hub.i18n import t
from hub.matching import Matcher, MatchResult
from hub.searches import new_matches
from hub.services import Services
from hub.suggest import Suggester, background_texts
from hub.ui.safe import plain


@st.cache_resource(show_spinner=False)
def get_hub() -> Hub:
    """The database engine, session factory and reference data for this server."""
    return open_hub()


@dataclass
class _EngineSlot:
    """Where this server's engine is kept once built; the lock lets one session build it."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    engine: MatchingEngine | None = None


@st.cache_resource(show_spinner=False)
def _engine_slot(_hub: Hub) -> _EngineSlot:
    return _EngineSlot()


def get_engine(hub: Hub, screen: StartScreen | None = None) -> MatchingEngine:
    """The encoder, both vector indexes and the catalogs, built once per server process.

    The first caller builds them, drawing its progress on ``screen``; sessions arriving meanwhile
    wait, and say so on theirs. Built outside ``st.cache_resource`` on purpose: what a cached
    function draws is replayed on every later call, and the first start draws a whole page."""
    slot = _engine_slot(hub)
    if slot.engine is not None:
        return slot.engine
    if not slot.lock.acquire(blocking=False):
        if screen is not None:
            screen.note(t("start.waiting"))
        slot.lock.acquire()
    try:
        if slot.engine is None:
            report = None if screen is None else screen.index_progress
            slot.engine = open_engine(hub, open_encoder(hub.settings), report)
            slot.engine.follow(hub.settings.sync_interval)  # what other instances write, too
        return slot.engine
    finally:
        slot.lock.release()


def matcher() -> Matcher:
    engine = get_engine(get_hub())
    assert engine.matcher is not None
    return engine.matcher


def refresh_matcher(progress: Callable[[str, int, int], None] | None = None) -> Matcher:
    """After a write: apply it (and whatever else the change log holds) to the matcher, so the
    writer sees it on the next page; with ``progress``, a staff reindex: re-read everything."""
    hub = get_hub()
    engine = get_engine(hub)
    if progress is None:  # another catch-up under way: the follower applies this one next
        engine.catch_up(wait=hub.settings.sync_interval <= 0)
    else:
        engine.refresh(progress)
    assert engine.matcher is not None
    return engine.matcher


def get_services() -> Services:
    """The service layer over this server's database; writes refresh this server's index."""
    return Services(get_hub(), refresh=refresh_matcher)


def last_refresh_reports() -> list[str]:
    return [report.summary() for report in get_engine(get_hub()).reports]


def region_exposure() -> list[insights.Exposure]:
    """Regions' share of investors' top 10s (one match per investor), cached per index state."""
    current = matcher()
    key = (
        current.project_index.revision,
        current.investor_index.revision,
        len(current.projects),
        lang.current(),
    )
    return _exposure(key)


@st.cache_data(show_spinner=False, max_entries=12)
def _exposure(key: tuple[int, int, int, str]) -> list[insights.Exposure]:  # per language: names differ
    return insights.region_exposure(matcher(), get_hub().reference)


@st.cache_resource(show_spinner=False)
def get_suggester(_hub: Hub) -> Suggester:
    return Suggester(get_engine(_hub).encoder, _hub.reference, background_texts(_hub.settings.reference_dir))


def ensure_demo_data(hub: Hub, screen: StartScreen) -> None:
    """On an empty database, load the demo data set, its progress shown on ``screen``."""
    if not hub.settings.seed_demo_on_start:
        return
    if not reads.is_empty(hub):
        return
    screen.working(t("start.loading"))

    def progress(done: int, total: int) -> None:
        screen.working(t("start.progress", done=done, total=total), done / max(total, 1))

    report = Services(hub).seed_demo(SYSTEM, progress=progress)  # a start-up job: the system acts
    projects = report.projects.created + report.projects.unchanged
    investors = report.investors.created + report.investors.unchanged
    screen.done(t("start.seeded", projects=projects, investors=investors), then=t("start.index"))
    st.toast(plain(t("start.done", summary=report.summary())))


class StartScreen:
    """The full page a first start shows: the heading, what is being prepared and how long it
    takes, the steps done so far and a progress bar for the current one.

    Drawn on the first step that has work to do (a warm start shows nothing), into one
    placeholder that :meth:`close` clears so the page proper takes its place."""

    def __init__(self) -> None:
        self._slot: DeltaGenerator | None = None
        self._list: DeltaGenerator  # the steps done (set when shown)
        self._bar: DeltaGenerator  # the step under way
        self._steps: list[str] = []

    @property
    def shown(self) -> bool:
        return self._slot is not None

    def _show(self) -> None:
        if self._slot is not None:
            return
        self._slot = st.empty()
        with self._slot.container():
            st.title(t("app.title"))
            st.write(t("start.explain"))
            st.caption(t("start.keep_open"))
            self._list = st.empty()
            self._bar = st.empty()

    def note(self, text: str) -> None:
        """A line under the explanation, shown with the page (e.g. another session is building)."""
        self._show()
        self._bar.info(text)

    def working(self, text: str, fraction: float = 0.0) -> None:
        """The step under way, ``fraction`` (0..1) of it done."""
        self._show()
        self._bar.progress(min(1.0, max(0.0, fraction)), text=text)

    def done(self, text: str, then: str | None = None) -> None:
        """A finished step, ticked off in the list; ``then`` names what comes next, if known."""
        self._show()
        self._steps.append(f":material/check: {text}")
        self._list.markdown("  \n".join(self._steps))
        if then is None:
            self._bar.empty()
        else:
            self.working(then)

    def index_progress(self, what: str, done: int, total: int) -> None:
        """``MatchingEngine`` progress: ``done`` of ``total`` texts of ``what`` embedded."""
        if not self.shown and done >= total:
            return  # nothing to embed: a warm start stays silent
        if done >= total:
            self.done(_finished(what, total), then=t("start.index"))  # until the next reports
        else:
            text = t("start.index_progress", what=_embedding(what), done=done, total=total)
            self.working(text, done / total)

    def close(self) -> None:
        if self._slot is not None:
            self._slot.empty()
            self._slot = None


@contextmanager
def first_start() -> Iterator[StartScreen]:
    """A :class:`StartScreen` for the set-up inside the block, cleared when it succeeds (after a
    failure it stays, so the steps done show above the error)."""
    screen = StartScreen()
    yield screen
    screen.close()


def _embedding(what: str) -> str:
    labels = {
        "projects": t("start.what_projects"),
        "investors": t("start.what_investors"),
        "sentences": t("start.what_sentences"),
    }
    return labels.get(what, what)


def _finished(what: str, total: int) -> str:
    labels = {
        "projects": t("start.done_projects", total=total),
        "investors": t("start.done_investors", total=total),
        "sentences": t("start.done_sentences", total=total),
    }
    return labels.get(what, f"{what}: {total}")


MATCHES_SINCE, MATCHES_SINCE_FOR = "matches_since", "matches_since_account"
UNSEEN = "unseen_matches"  # (key, result) of the last search for what is new to an investor


def matches_since(actor: Actor, services: Services) -> datetime | None:
    """What counts as new on an investor's matches: published after their previous visit. The
    first visit in a session records the visit; the previous one stays the mark until the
    session ends, so the badges do not vanish on the next click."""
    if st.session_state.get(MATCHES_SINCE_FOR) != actor.account_id:
        st.session_state[MATCHES_SINCE] = services.visit_matches(actor)
        st.session_state[MATCHES_SINCE_FOR] = actor.account_id
    return st.session_state[MATCHES_SINCE]


def unseen_matches(actor: Actor, since: datetime | None = None) -> MatchResult:
    """Projects published since the investor's previous visit that fit the mandate: for the
    count in the navigation (``since`` read, not recorded: only opening the page records a
    visit) and for the page's badges. One search per index state, shared by both."""
    none = MatchResult(items=[], passing=0, requested=0)
    current = matcher()
    if actor.investor_id is None or current.investors.position(actor.investor_id) is None:
        return none
    if since is None:
        if st.session_state.get(MATCHES_SINCE_FOR) == actor.account_id:
            since = st.session_state[MATCHES_SINCE]
        else:
            since = reads.matches_seen_at(get_hub(), actor)
    key = (actor.investor_id, since, current.project_index.revision, len(current.projects))
    cached = st.session_state.get(UNSEEN)
    if cached is None or cached[0] != key:
        cached = (key, new_matches(current, actor.investor_id, since))
        st.session_state[UNSEEN] = cached
    return cached[1]
