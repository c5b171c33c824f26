"""Admin — accounts and roles: every account, new staff accounts, role changes."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from hub.accounts import ACCOUNT_ROLES, MIN_PASSWORD, AccountError, NewAccount
from hub.i18n import t
from hub.services import Forbidden
from hub.ui.components import notify
from hub.ui.resources import get_services
from hub.ui.safe import plain
from hub.ui.session import require_role
from hub.vocab import Role

actor = require_role(Role.ADMIN)
services = get_services()
st.title(t("admin.title"))
rows = services.accounts(actor)
st.dataframe(
    pd.DataFrame(
        [
            {
                t("auth.email"): r.email,
                t("auth.name"): r.name,
                t("auth.role"): t(f"role.{r.role}"),
                t("auth.organisation"): r.organisation or "",
                t("admin.can_sign_in"): r.can_sign_in,
                t("admin.last_login"): r.last_login or "",
                t("admin.demo"): r.demo,
            }
            for r in rows
        ]
    ),
    hide_index=True,
)

left, right = st.columns(2)
with left, st.form("create_account"):
    st.subheader(t("admin.create"))
    email = st.text_input(t("auth.email"), key="admin_email")
    name = st.text_input(t("auth.name"), key="admin_name")
    role = st.selectbox(t("auth.role"), ACCOUNT_ROLES, format_func=lambda r: t(f"role.{r}"), key="admin_role")
    password = st.text_input(
        t("auth.password"),
        type="password",
        help=t("auth.password_help", n=MIN_PASSWORD),
        key="admin_password",
    )
    if st.form_submit_button(t("admin.create"), type="primary"):
        try:
            created = services.create_user(actor, NewAccount(email, password, role, name, "HubMatch"))
        except (AccountError, Forbidden) as error:
            st.error(plain(error))
        else:
            notify(t("admin.created", email=created.email, role=t(f"role.{created.role}")))
            st.rerun()
with right, st.form("change_role"):
    st.subheader(t("admin.change_role"))
    who = st.selectbox(t("auth.email"), [r.email for r in rows], key="role_email")
    new_role = st.selectbox(
        t("auth.role"), ACCOUNT_ROLES, format_func=lambda r: t(f"role.{r}"), key="role_new"
    )
    if st.form_submit_button(t("admin.change_role")):
        try:
            changed = services.change_role(actor, who, new_role)
        except (AccountError, Forbidden) as error:
            st.error(plain(error))
        else:
            notify(t("admin.changed", email=changed.email, role=t(f"role.{changed.role}")))
            st.rerun()
