"""Who is using the app: the signed-in account, its session's expiry, (demo mode only) the
"act as" selector over the demo accounts, and the interface language they read.

Pages call ``current_actor()`` or ``require_role()`` and nothing else; what an actor may do is
decided by the service layer, not here.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import streamlit as st

from hub import lang, reads
from hub.actors import Actor
from hub.context import Hub
from hub.i18n import t
from hub.services import Services
from hub.ui.safe import plain
from hub.vocab import Role


def utcnow() -> datetime:
    return datetime.now(UTC)


DEMO_ROLES = (Role.INVESTOR, Role.PROJECT_OWNER, Role.HUB_STAFF, Role.ADMIN)
ACTOR, UNTIL, SIGNED_IN = "actor", "actor_until", "signed_in"  # session-state keys


def sign_in(actor: Actor, minutes: int) -> None:
    """Start a session for an account that proved who it is."""
    st.session_state[ACTOR] = actor
    st.session_state[SIGNED_IN] = True
    st.session_state[UNTIL] = utcnow() + timedelta(minutes=minutes)


def update_actor(actor: Actor) -> None:
    """The same account, changed (an investor who just created their organisation's profile)."""
    st.session_state[ACTOR] = actor


def sign_out() -> None:
    for key in (ACTOR, UNTIL, SIGNED_IN, "passport", "passport_account"):
        st.session_state.pop(key, None)


def _expired(hub: Hub) -> bool:
    until: datetime | None = st.session_state.get(UNTIL)
    if until is not None and until < utcnow():
        sign_out()
        st.session_state["session_expired"] = True
        return True
    if until is not None:  # activity keeps the session alive
        st.session_state[UNTIL] = utcnow() + timedelta(minutes=hub.settings.session_minutes)
    return False


def choose_actor(hub: Hub, services: Services) -> Actor | None:
    """The signed-in account; in demo mode without one, the demo account the sidebar's
    "act as" selector picks. ``None``: nobody is signed in (public pages only)."""
    _expired(hub)
    if st.session_state.get(SIGNED_IN):
        return st.session_state[ACTOR]
    if not hub.settings.demo_mode_on:
        st.session_state.pop(ACTOR, None)
        return None
    if "demo_role_request" in st.session_state:  # a one-click demo account on the sign-in page
        st.session_state["actor_role"] = st.session_state.pop("demo_role_request")
    with st.sidebar:
        st.caption(t("actor.caption"))
        role = st.selectbox(
            t("actor.role"), DEMO_ROLES, format_func=lambda r: t(f"role.{r}"), key="actor_role"
        )
        accounts = services.demo_accounts(role)
        if not accounts:
            st.warning(t("actor.none"))
            st.session_state.pop(ACTOR, None)
            return None
        actor = st.selectbox(
            t("actor.who"), accounts, format_func=lambda a: a.display_name, key=f"actor_account_{role}"
        )
        # the whole name, wrapped: a select box cuts a long organisation's name short
        st.caption(plain(actor.display_name))
    st.session_state[ACTOR] = actor
    return actor


def current_actor() -> Actor | None:
    return st.session_state.get(ACTOR)


def require_role(*roles: str) -> Actor:
    """The current actor, or a message and a stop: sign in first, or this page is for another role."""
    actor = current_actor()
    if actor is None:
        st.info(t("auth.sign_in_first"))
        st.page_link("hub/ui/pages/sign_in.py", label=t("nav.sign_in"), icon=":material/login:")
        st.stop()
    if actor.role not in roles:
        st.info(t("actor.wrong_role", roles=", ".join(t(f"role.{r}") for r in roles)))
        st.stop()
    return actor


LANGUAGE = "hub_language"  # chosen in this session, by the switcher or a link (absent: not yet)
SWITCHER, SHOWN, MOVED = "language_choice", "language_shown", "language_moved"


def read_language() -> str:
    """The language this run is read in, decided before anything is drawn: the switcher just
    moved, else a link's ``?lang=`` (a shared link opens in the sender's language), else this
    session's earlier choice; English until the account's own choice is known."""
    moved = st.session_state.get(SWITCHER)
    asked = st.query_params.get("lang")
    if moved in lang.LANGUAGES and moved != st.session_state.get(SHOWN, moved):  # the person moved it
        st.session_state[LANGUAGE] = moved
        st.session_state[MOVED] = True
    elif asked in lang.LANGUAGES and asked != st.session_state.get(SHOWN):  # a link asks for one
        st.session_state[LANGUAGE] = asked
    return lang.use(st.session_state.get(LANGUAGE))


def language_switcher(hub: Hub, services: Services, actor: Actor | None) -> None:
    """The sidebar's language choice: remembered for the browser session, and for the account
    when someone is signed in (their next session opens in it)."""
    if LANGUAGE not in st.session_state and actor is not None:  # nothing chosen in this session
        saved = reads.account_language(hub, actor)
        if saved in lang.LANGUAGES:
            lang.use(saved)
    current = lang.current()
    if st.session_state.get(SWITCHER) != current:
        st.session_state[SWITCHER] = current  # the switcher shows what is read
    st.session_state[SHOWN] = current
    st.sidebar.segmented_control(
        t("lang.label"), lang.LANGUAGES, format_func=lambda code: t(f"lang.{code}"), key=SWITCHER
    )
    if st.session_state.pop(MOVED, False):
        # the address bar shares the language chosen, from the moment it is chosen (only then:
        # the address is not rewritten on every run, which a page change would otherwise cause)
        st.query_params["lang"] = current
        if actor is not None and actor.account_id is not None:
            services.set_language(actor, current)
