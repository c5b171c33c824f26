"""Sign in, create an account, sign out; in demo mode also one-click demo accounts."""

from __future__ import annotations

import streamlit as st

from hub.accounts import MIN_PASSWORD, SIGN_UP_ROLES, AccountError, NewAccount
from hub.i18n import t
from hub.services import Forbidden
from hub.ui.components import notify
from hub.ui.resources import get_hub, get_services
from hub.ui.safe import plain
from hub.ui.session import DEMO_ROLES, SIGNED_IN, current_actor, sign_in, sign_out

hub = get_hub()
services = get_services()
st.title(t("auth.title"))
if st.session_state.pop("session_expired", False):
    st.warning(t("auth.expired"))

actor = current_actor()
if actor is not None and st.session_state.get(SIGNED_IN):
    st.success(
        plain(
            t("auth.signed_in_as", name=actor.display_name, email=actor.email, role=t(f"role.{actor.role}"))
        )
    )
    if st.button(t("auth.sign_out"), key="sign_out"):
        services.log_out(actor)
        sign_out()
        notify(t("auth.signed_out"))
        st.rerun()
    st.stop()

tab_in, tab_up = st.tabs([t("auth.sign_in"), t("auth.sign_up")])
with tab_in, st.form("sign_in_form"):
    email = st.text_input(t("auth.email"), key="sign_in_email")
    password = st.text_input(t("auth.password"), type="password", key="sign_in_password")
    if st.form_submit_button(t("auth.sign_in"), type="primary"):
        try:
            signed = services.log_in(email, password)
        except AccountError as error:
            st.error(plain(error))
        else:
            sign_in(signed, hub.settings.session_minutes)
            notify(t("auth.welcome", name=signed.display_name))  # notify shows it as plain text
            st.rerun()

with tab_up, st.form("sign_up_form"):
    role = st.radio(
        t("auth.role"),
        SIGN_UP_ROLES,
        format_func=lambda r: t(f"role.{r}"),
        horizontal=True,
        key="sign_up_role",
    )
    name = st.text_input(t("auth.name"), key="sign_up_name")
    organisation = st.text_input(t("auth.organisation"), key="sign_up_organisation")
    new_email = st.text_input(t("auth.email"), key="sign_up_email")
    new_password = st.text_input(
        t("auth.password"),
        type="password",
        help=t("auth.password_help", n=MIN_PASSWORD),
        key="sign_up_password",
    )
    again = st.text_input(t("auth.password_again"), type="password", key="sign_up_again")
    if st.form_submit_button(t("auth.sign_up"), type="primary"):
        if new_password != again:
            st.error(t("auth.passwords_differ"))
        else:
            try:
                created = services.sign_up(
                    NewAccount(new_email, new_password, role, name, organisation.strip() or None)
                )
            except (AccountError, Forbidden) as error:
                st.error(plain(error))
            else:
                sign_in(created, hub.settings.session_minutes)
                notify(t("auth.welcome", name=created.display_name))
                st.rerun()

if hub.settings.demo_mode_on:
    st.divider()
    st.subheader(t("auth.demo"))
    st.caption(t("auth.demo_note"))
    for column, demo_role in zip(st.columns(len(DEMO_ROLES)), DEMO_ROLES, strict=True):
        if column.button(t(f"role.{demo_role}"), key=f"demo_{demo_role}", use_container_width=True):
            st.session_state["demo_role_request"] = demo_role
            notify(t("auth.demo_acting", role=t(f"role.{demo_role}")))
            st.rerun()
