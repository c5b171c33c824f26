"""HubMatch's Streamlit entry point: a router only (``streamlit run streamlit_app.py``)."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from hub.db import DatabaseUnavailable
from hub.i18n import t
from hub.ui.components import show_notices
from hub.ui.resources import (
    ensure_demo_data,
    first_start,
    get_engine,
    get_hub,
    get_services,
    unseen_matches,
)
from hub.ui.safe import plain
from hub.ui.session import SIGNED_IN, choose_actor, language_switcher, read_language
from hub.vocab import Role

PAGES = "hub/ui/pages"
ICON = Path(__file__).parent / "static" / "icon.png"  # served by this server: no font fetched elsewhere

read_language()  # before anything is drawn: the switcher, a link's ?lang=, this session's choice
st.set_page_config(page_title=t("app.title"), page_icon=ICON, layout="wide")
try:
    hub = get_hub()
except DatabaseUnavailable as error:  # said plainly, with what to do; reloading tries again
    st.error(plain(str(error)), icon=":material/database:")
    st.stop()
with first_start() as screen:  # a full page while demo data and indexes are built, then cleared
    ensure_demo_data(hub, screen)
    get_engine(hub, screen)
services = get_services()
actor = choose_actor(hub, services)  # the signed-in account; in demo mode, the demo account acted as
language_switcher(hub, services, actor)  # and, once known, the account's own language

unseen = unseen_matches(actor).passing if actor is not None and actor.role == Role.INVESTOR else 0
matches_title = t("nav.matches_new", n=unseen) if unseen else t("nav.matches")
public = [
    st.Page(f"{PAGES}/home.py", title=t("nav.home"), icon=":material/home:", default=True),
    st.Page(f"{PAGES}/explore.py", title=t("nav.explore"), icon=":material/search:"),
    st.Page(f"{PAGES}/aifc.py", title=t("nav.aifc"), icon=":material/account_balance:"),
    st.Page(f"{PAGES}/insights.py", title=t("nav.insights"), icon=":material/map:"),
    st.Page(f"{PAGES}/project.py", title=t("nav.project"), icon=":material/description:"),
]
by_role = {
    Role.INVESTOR: [
        st.Page(f"{PAGES}/investor_matches.py", title=matches_title, icon=":material/target:"),
        st.Page(f"{PAGES}/investor_profile.py", title=t("nav.profile"), icon=":material/tune:"),
    ],
    Role.PROJECT_OWNER: [
        st.Page(f"{PAGES}/owner_submit.py", title=t("nav.submit"), icon=":material/edit_note:"),
        st.Page(f"{PAGES}/owner_proposals.py", title=t("nav.proposals"), icon=":material/folder_open:"),
    ],
    Role.HUB_STAFF: [
        st.Page(f"{PAGES}/staff_queue.py", title=t("nav.queue"), icon=":material/fact_check:"),
    ],
}
by_role[Role.ADMIN] = [
    *by_role[Role.HUB_STAFF],
    st.Page(f"{PAGES}/admin_users.py", title=t("nav.users"), icon=":material/manage_accounts:"),
]
signed_in = actor is not None and st.session_state.get(SIGNED_IN, False)
account = st.Page(
    f"{PAGES}/sign_in.py",
    title=t("nav.account" if signed_in else "nav.sign_in"),
    icon=":material/account_circle:" if signed_in else ":material/login:",
)
pages = {t("nav.public"): public}
if actor is not None:
    pages[t(f"nav.section.{actor.role}")] = by_role[actor.role]
pages[t("nav.account_section")] = [account]
if signed_in:
    st.sidebar.caption(
        plain(t("auth.signed_in_short", name=actor.display_name, role=t(f"role.{actor.role}")))
    )
page = st.navigation(pages)
show_notices()  # confirmations of the action that caused this rerun
page.run()
st.sidebar.caption(t("app.disclaimer"))
