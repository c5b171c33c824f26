"""Who is using the app. Until accounts and login land, a sidebar "act as" selector sets it;
pages only call ``current_actor()``, so a login can replace the selector without touching them."""

from __future__ import annotations

import streamlit as st

from hub import repository
from hub.actors import Actor
from hub.context import Hub
from hub.i18n import t
from hub.vocab import Role

ROLES = (Role.INVESTOR, Role.PROJECT_OWNER, Role.HUB_STAFF)


def choose_actor(hub: Hub) -> Actor:
    """The sidebar "act as" selector: a role, then which organisation."""
    with st.sidebar:
        st.caption(t("actor.caption"))
        role = st.selectbox(t("actor.role"), ROLES, format_func=lambda r: t(f"role.{r}"), key="actor_role")
        with hub.sessions() as session:
            accounts = [
                Actor(a.email, a.role, a.id, a.investor_id, a.display_name)
                for a in repository.accounts_with_role(session, role)
            ]
        if not accounts:
            st.warning(t("actor.none"))
            st.stop()
        actor = st.selectbox(
            t("actor.who"), accounts, format_func=lambda a: a.display_name, key=f"actor_account_{role}"
        )
    st.session_state["actor"] = actor
    return actor


def current_actor() -> Actor:
    return st.session_state["actor"]


def require_role(*roles: str) -> Actor:
    """The current actor, or a message and a stop when the page is for another role."""
    actor = current_actor()
    if actor.role not in roles:
        st.info(t("actor.wrong_role", roles=", ".join(t(f"role.{r}") for r in roles)))
        st.stop()
    return actor
