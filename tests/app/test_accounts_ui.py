"""Signing up, in and out in the app; demo mode on and off; the admin page."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.app.conftest import _reset, shown

PAGES = "hub/ui/pages"
PASSWORD = "correct horse battery"


@pytest.fixture
def live_app(
    monkeypatch: pytest.MonkeyPatch, seeded_app_env: Path, make_app: Callable[[], AppTest]
) -> Iterator[AppTest]:
    """The app as deployed on a configured database: demo mode off."""
    monkeypatch.setenv("HUB_DEMO_MODE", "false")
    _reset()
    app = make_app()
    app.run()
    assert not app.exception
    yield app


def _sign_up(app: AppTest, role: str, email: str) -> None:
    app.switch_page(f"{PAGES}/sign_in.py").run()
    app.radio(key="sign_up_role").set_value(role)
    app.text_input(key="sign_up_name").input("Aigerim Sadykova")
    app.text_input(key="sign_up_organisation").input("Qoly LLP")
    app.text_input(key="sign_up_email").input(email)
    app.text_input(key="sign_up_password").input(PASSWORD)
    app.text_input(key="sign_up_again").input(PASSWORD)
    next(b for b in app.button if b.label == "Create an account").click().run()
    assert not app.exception


def test_without_demo_mode_there_is_no_act_as_and_role_pages_ask_to_sign_in(live_app: AppTest) -> None:
    assert not [s for s in live_app.selectbox if s.key == "actor_role"]
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        live_app.switch_page(f"{PAGES}/investor_matches.py")  # not even in the menu
    live_app.switch_page(f"{PAGES}/sign_in.py").run()
    assert not [b for b in live_app.button if b.key and b.key.startswith("demo_")]  # no shortcuts


def test_an_owner_signs_up_works_signs_out_and_signs_in_again(live_app: AppTest) -> None:
    app = live_app
    _sign_up(app, "project_owner", "aigerim@qoly.example")
    assert "Signed in: Aigerim Sadykova · Project owner" in [shown(c.value) for c in app.sidebar.caption]
    app.switch_page(f"{PAGES}/owner_proposals.py").run()
    assert not app.exception and [shown(t.value) for t in app.title] == ["My proposals"]
    app.switch_page(f"{PAGES}/sign_in.py").run()
    next(b for b in app.button if b.key == "sign_out").click().run()
    assert not [c for c in app.sidebar.caption if shown(c.value).startswith("Signed in:")]
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        app.switch_page(f"{PAGES}/owner_proposals.py")

    app.switch_page(f"{PAGES}/sign_in.py").run()
    app.text_input(key="sign_in_email").input("aigerim@qoly.example")
    app.text_input(key="sign_in_password").input("wrong password!")
    next(b for b in app.button if b.label == "Sign in").click().run()
    assert "The email or the password is wrong" in [shown(e.value) for e in app.error]
    app.text_input(key="sign_in_password").input(PASSWORD)
    next(b for b in app.button if b.label == "Sign in").click().run()
    assert "Signed in: Aigerim Sadykova · Project owner" in [shown(c.value) for c in app.sidebar.caption]
    app.switch_page(f"{PAGES}/owner_proposals.py").run()
    assert not app.exception


def test_sign_up_says_what_is_wrong_and_never_makes_staff(live_app: AppTest) -> None:
    _sign_up(live_app, "investor", "not-an-email")
    assert any("not a valid email address" in shown(e.value) for e in live_app.error)
    roles = next(r for r in live_app.radio if r.key == "sign_up_role").options
    assert roles == ["Investor", "Project owner"]


def test_an_admin_creates_a_staff_account_on_the_admin_page(app_with_admin: AppTest) -> None:
    app = app_with_admin
    app.switch_page(f"{PAGES}/admin_users.py").run()
    assert not app.exception
    app.text_input(key="admin_email").input("curator2@hubmatch.example")
    app.text_input(key="admin_name").input("Second curator")
    app.selectbox(key="admin_role").set_value("hub_staff")
    app.text_input(key="admin_password").input(PASSWORD)
    next(b for b in app.button if b.label == "Create an account").click().run()
    assert not app.exception
    table = app.dataframe[0].value
    assert "curator2@hubmatch.example" in set(table["Email"])


@pytest.fixture
def app_with_admin(seeded_app_env: Path, make_app: Callable[[], AppTest]) -> AppTest:
    app = make_app()
    app.run()
    app.selectbox(key="actor_role").set_value("admin").run()  # demo mode: act as the demo admin
    assert not app.exception
    return app


def test_a_new_investor_creates_their_organisation_profile_and_gets_matches(live_app: AppTest) -> None:
    app = live_app
    _sign_up(app, "investor", "fund@steppe.example")
    app.switch_page(f"{PAGES}/investor_matches.py").run()
    assert any("My profile first" in shown(i.value) for i in app.info)
    app.switch_page(f"{PAGES}/investor_profile.py").run()
    key = "profile_None_0"  # the new profile's widgets, first generation
    app.text_input(key=f"{key}_name").input("Steppe Green Fund")
    app.text_area(key=f"{key}_thesis").input(
        "We finance solar and wind power plants and battery storage in Kazakhstan and Uzbekistan."
    )
    app.multiselect(key=f"{key}_sectors").set_value(["renewable_energy"])
    app.multiselect(key=f"{key}_regions").set_value(["KZ", "UZ"])
    app.multiselect(key=f"{key}_stages").set_value(["growth", "expansion"])
    app.multiselect(key=f"{key}_instruments").set_value(["debt", "equity"])
    app.text_input(key=f"{key}_min").input("1000000")
    app.text_input(key=f"{key}_max").input("50000000")
    next(b for b in app.button if b.key == f"{key}_save").click().run()
    assert not app.exception and "Profile saved; your matches are updated." in [
        shown(s.value) for s in app.success
    ]
    app.switch_page(f"{PAGES}/investor_matches.py").run()
    assert not app.exception and [shown(t.value) for t in app.title] == ["My matches"]
