"""Every page renders on the demo data, and the main interactions work (AppTest)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from hub import lang
from hub.config import PROJECT_ROOT
from hub.i18n import MESSAGES, money, t
from hub.vocab import Status
from tests.app.conftest import query, shown

PAGES = "hub/ui/pages"


def _texts(app: AppTest) -> str:
    parts = [
        shown(e.value)
        for kind in ("markdown", "caption", "info", "success", "warning", "error")
        for e in getattr(app, kind)
    ]
    return "\n".join(str(p) for p in parts)


@pytest.fixture
def app(seeded_app_env: Path, make_app: Callable[[], AppTest]) -> AppTest:
    started = make_app().run()
    assert not started.exception
    return started


def as_role(app: AppTest, role: str) -> AppTest:
    app.selectbox(key="actor_role").set_value(role).run()
    assert not app.exception
    return app


@pytest.mark.parametrize(
    ("role", "page", "title"),
    [
        ("investor", "explore", "Explore projects"),
        ("investor", "aifc", "AIFC-linked listings"),
        ("investor", "insights", "Insights"),
        ("investor", "investor_matches", "My matches"),
        ("investor", "investor_profile", "My profile"),
        ("project_owner", "owner_submit", "Submit a proposal"),
        ("project_owner", "owner_proposals", "My proposals"),
        ("hub_staff", "staff_queue", "Curation"),
    ],
)
def test_every_page_renders_without_error(app: AppTest, role: str, page: str, title: str) -> None:
    as_role(app, role).switch_page(f"{PAGES}/{page}.py").run()
    assert not app.exception
    assert [shown(t.value) for t in app.title] == [title]
    assert not app.error


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_every_page_renders_in_russian_and_kazakh(
    make_app: Callable[[], AppTest], seeded_app_env: Path, language: str
) -> None:
    pages = [
        ("investor", "explore", "explore.title"),
        ("investor", "aifc", "aifc.title"),
        ("investor", "insights", "insights.title"),
        ("investor", "investor_matches", "matches.title"),
        ("investor", "investor_profile", "profile.title"),
        ("project_owner", "owner_submit", "submit.title"),
        ("project_owner", "owner_proposals", "proposals.title"),
        ("hub_staff", "staff_queue", "queue.title"),
        ("admin", "admin_users", "admin.title"),
    ]
    app = make_app()
    app.query_params["lang"] = language
    # AppTest formats the widgets' options in this thread: read them in the page's language too
    lang.use(language)
    try:
        app.run()
        for role, page, title in pages:
            app.selectbox(key="actor_role").set_value(role).run()
            app.switch_page(f"{PAGES}/{page}.py").run()
            assert not app.exception, (language, page)
            assert [shown(x.value) for x in app.title] == [t(title, language)], (language, page)
            assert not app.error, (language, page)
    finally:
        lang.use("en")


def test_explore_searches_by_meaning_and_filters(app: AppTest) -> None:
    app.switch_page(f"{PAGES}/explore.py").run()
    app.text_input(key="explore_query").input("solar power plant").run()
    texts = _texts(app)
    assert "project(s) shown" in texts and ("Strong match for your search" in texts or "Relevant to" in texts)
    assert "Similarity" not in texts  # no raw cosine for the public
    app.multiselect(key="explore_countries").set_value(["KG"]).run()
    captions = [shown(c.value) for c in app.caption if " · " in str(shown(c.value))]
    assert captions and all("(KG)" in c for c in captions)


def test_maps_draw_offline_from_the_apps_own_topojson(app: AppTest) -> None:
    app.switch_page(f"{PAGES}/insights.py").run()
    charts = app.get("plotly_chart")
    specs = [json.loads(c.proto.spec) for c in charts]
    geo = [i for i, spec in enumerate(specs) if spec["data"] and spec["data"][0]["type"] == "scattergeo"]
    assert geo, "the insights page shows a map"
    config = json.loads(charts[geo[0]].proto.config)
    assert config["topojsonURL"] == "app/static/topojson/"
    # plotly fetches <scope>_<resolution>m.json from there: the app ships that file
    geo_layout = specs[geo[0]]["layout"]["geo"]
    assert geo_layout["scope"] == "world"  # the asia outlines leave European Russia undrawn
    assert (PROJECT_ROOT / "static" / "topojson" / f"world_{geo_layout['resolution']}m.json").exists()


def test_an_investor_shortlists_a_match_and_moves_it_up_the_ladder(
    app: AppTest, seeded_app_env: Path
) -> None:
    app.switch_page(f"{PAGES}/investor_matches.py").run()
    shortlist = [b for b in app.button if b.key and b.key.startswith("shortlist_")]
    assert shortlist, "the investor has matches"
    project_id = int(shortlist[0].key.removeprefix("shortlist_"))
    shortlist[0].click().run()
    assert query("select stage from interests where project_id = :id", id=project_id) == [("watching",)]

    form = next(s for s in app.selectbox if s.label == "Move to")
    form.set_value("interested")
    next(b for b in app.button if b.label == "Save").click().run()
    assert query("select stage from interests where project_id = :id", id=project_id) == [("interested",)]


def test_why_not_higher_explains_any_project(app: AppTest) -> None:
    app.switch_page(f"{PAGES}/investor_matches.py").run()
    chooser = app.selectbox(key="why_project")
    chooser.select_index(len(chooser.options) - 1).run()
    assert not app.exception
    verdicts = [shown(m.value) for kind in ("success", "warning", "error") for m in getattr(app, kind)]
    assert any(
        v.startswith(("It is number", "It passes your mandate", "It fails a hard constraint"))
        for v in verdicts
    )
    assert any(m.label == "Score" for m in app.metric)


def test_why_not_higher_for_a_project_already_in_the_top_matches(app: AppTest) -> None:
    app.switch_page(f"{PAGES}/investor_matches.py").run()
    first = next(
        int(b.key.removeprefix("shortlist_")) for b in app.button if b.key and b.key.startswith("shortlist_")
    )
    app.selectbox(key="why_project").set_value(first).run()
    assert not app.exception  # the card is drawn twice in one run (matches tab and this tab)
    assert any(shown(s.value).startswith("It is number 1") for s in app.success)


def test_an_inactive_investor_sees_a_project_page_without_a_fit(app: AppTest, seeded_app_env: Path) -> None:
    inactive, project_id = query(
        "select a.display_name, (select id from projects where status = 'published' limit 1) "
        "from accounts a join investors i on i.id = a.investor_id where not i.active limit 1",
    )[0]
    chooser = app.selectbox(key="actor_account_investor")
    chooser.select_index(chooser.options.index(inactive)).run()
    app.session_state["project_id"] = project_id
    app.switch_page(f"{PAGES}/project.py").run()
    assert not app.exception and len(app.title) == 1
    assert "How this project fits your mandate" not in [shown(s.value) for s in app.subheader]


def test_a_saved_search_needs_a_name_and_is_listed_with_its_filters_in_words(app: AppTest) -> None:
    app.switch_page(f"{PAGES}/investor_matches.py").run()
    app.multiselect(key="matches_countries").set_value(["KZ"]).run()
    save = next(b for b in app.button if b.label == "Save this search with the current filters")
    save.click().run()
    assert any(shown(e.value).startswith("Search name: give the search a name") for e in app.error)
    next(w for w in app.text_input if w.label == "Name of the search").input("Kazakhstan")
    next(b for b in app.button if b.label == "Save this search with the current filters").click().run()
    assert any(shown(s.value) == "Saved: Kazakhstan" for s in app.success)
    app.run()
    assert any(shown(c.value) == "Country: Kazakhstan" for c in app.caption)


def test_the_profile_shows_a_live_count_that_follows_the_edits(app: AppTest) -> None:
    app.switch_page(f"{PAGES}/investor_profile.py").run()
    before = int(app.metric[0].value)
    key = next(k for k in (w.key for w in app.text_input) if k and k.endswith("_max"))
    app.text_input(key=key).input("1").run()  # a ticket of one unit: nothing fits
    assert before > 0 and int(app.metric[0].value) == 0
    # amounts typed with thousands separators are read as numbers, and shown in US dollars
    app.text_input(key=key).input("1 000 000 000 000").run()
    assert int(app.metric[0].value) >= before
    assert any(shown(c.value).startswith("Tickets of about") for c in app.caption)
    # saving a ticket range upside down names the field and saves nothing
    app.text_input(key=key).input("1").run()
    next(b for b in app.button if b.label == "Save profile").click().run()
    assert any(
        shown(e.value).startswith("Minimum ticket") or shown(e.value).startswith("Maximum ticket")
        for e in app.error
    )
    assert not app.success


def test_an_invalid_proposal_names_the_field_and_loses_nothing(app: AppTest) -> None:
    as_role(app, "project_owner").switch_page(f"{PAGES}/owner_submit.py").run()
    app.text_input(key="p_title").input("Solar").run()
    app.text_area(key="p_summary").input("Too short").run()
    next(b for b in app.button if b.key == "p_next").click().run()
    errors = " ".join(shown(e.value) for e in app.error)
    assert "Summary: is too short" in errors and "Description: is required" in errors
    assert app.text_input(key="p_title").value == "Solar"  # what was typed is kept


def test_a_new_proposal_or_another_owner_starts_from_an_empty_form(app: AppTest) -> None:
    as_role(app, "project_owner").switch_page(f"{PAGES}/owner_submit.py").run()
    app.text_input(key="p_title").input("Solar").run()
    next(b for b in app.button if b.key == "new_passport").click().run()
    assert app.text_input(key="p_title").value == ""

    app.text_input(key="p_title").input("Solar").run()
    chooser = app.selectbox(key="actor_account_project_owner")
    chooser.select_index(1).run()  # another owner: their form does not hold the first owner's passport
    assert app.text_input(key="p_title").value == ""


def test_the_next_step_opens_without_messages_about_its_own_fields(app: AppTest) -> None:
    as_role(app, "project_owner").switch_page(f"{PAGES}/owner_submit.py").run()
    app.text_input(key="p_title").input("Solar pumps for farms in Osh Region").run()
    app.text_area(key="p_summary").input(
        "Solar-powered irrigation pumps replace diesel pumps on 400 farms."
    ).run()
    app.text_area(key="p_description").input("Farmers pump irrigation water with diesel sets. " * 8).run()
    next(b for b in app.button if b.key == "p_next").click().run()
    assert app.selectbox(key="p_country")  # on the "place" step
    assert not app.error  # region and sectors are not filled yet, and not reported yet


def test_a_valid_proposal_goes_through_every_step_and_is_submitted(
    app: AppTest, seeded_app_env: Path
) -> None:
    as_role(app, "project_owner").switch_page(f"{PAGES}/owner_submit.py").run()
    app.text_input(key="p_title").input("Solar pumps for farms in Osh Region").run()
    app.text_area(key="p_summary").input(
        "Solar-powered irrigation pumps replace diesel pumps on 400 small farms."
    ).run()
    app.text_area(key="p_description").input(
        "Farmers in Osh Region pump irrigation water with diesel sets that cost more every season. The company "
        "installs solar pumps with drip lines and sells them on a pay-as-you-go plan collected through mobile "
        "money. Funds buy the first 400 pump sets, a service van and working capital for the instalment book. "
        "Each farm saves about 1,200 litres of diesel a year."
    ).run()
    next(b for b in app.button if b.key == "p_next").click().run()
    app.selectbox(key="p_country").set_value("KG").run()
    app.selectbox(key="p_region_KG").set_value("KG-O").run()
    app.multiselect(key="p_sectors").set_value(["agriculture_food", "renewable_energy"]).run()
    app.multiselect(key="p_sdgs").set_value([2, 7]).run()
    assert "Suggested from your text" in _texts(app)
    next(b for b in app.button if b.key == "p_next").click().run()
    app.selectbox(key="p_stage").set_value("early").run()
    app.multiselect(key="p_instruments").set_value(["equity", "debt"]).run()
    app.text_input(key="p_ask").input("800000").run()
    app.text_input(key="p_total").input("1200000").run()
    next(b for b in app.button if b.key == "p_next").click().run()
    next(b for b in app.button if b.key == "p_next").click().run()
    assert "Admission criteria" in [shown(s.value) for s in app.subheader]
    assert any("Investors likely to be interested" in shown(s.value) for s in app.subheader)
    # the recap of the whole passport, before submitting it
    assert "Your passport as reviewers and investors will read it" in [shown(s.value) for s in app.subheader]
    recap = _texts(app)
    assert (
        "Osh" in recap and money(800_000) in recap and money(1_200_000) in recap and "Equity, Debt" in recap
    )
    # the criteria are a checklist, each starting with a capital letter, not five green boxes
    assert (
        not app.success
        and sum(shown(m.value).startswith(":material/check_circle: **") for m in app.markdown) == 5
    )
    # one row of actions
    assert {"p_back", "p_save_draft", "p_submit", "new_passport"} <= {b.key for b in app.button}
    next(b for b in app.button if b.key == "p_submit").click().run()
    assert not app.exception
    rows = query(
        "select status, country_code from projects where title = :title",
        title="Solar pumps for farms in Osh Region",
    )
    assert rows == [("submitted", "KG")]
    # a confirmation unlike the criteria, with where to go next, and no form behind it
    assert [shown(s.value) for s in app.subheader] == [":material/task_alt: Submitted for review"]
    assert {b.key for b in app.button} >= {"p_to_proposals", "p_after_new"} and "p_submit" not in {
        b.key for b in app.button
    }
    app.button(key="p_after_new").click().run()  # the confirmation gives way to an empty form
    assert not app.exception and app.text_input(key="p_title").value == ""


def test_profile_edits_left_unsaved_survive_a_role_switch_and_say_so(app: AppTest) -> None:
    app.switch_page(f"{PAGES}/investor_profile.py").run()
    thesis = next(a for a in app.text_area if a.key and a.key.endswith("_thesis"))
    key = thesis.key
    thesis.input("A sharper thesis I have not saved yet: district heating and grid batteries.").run()
    as_role(app, "project_owner")
    as_role(app, "investor")  # back on the profile page
    assert app.text_area(key=key).value.startswith("A sharper thesis I have not saved yet")
    assert any("not saved yet" in shown(i.value) for i in app.info)
    app.button(key=key.removesuffix("_thesis") + "_discard").click().run()
    thesis = next(a for a in app.text_area if a.key and a.key.endswith("_thesis"))
    assert not thesis.value.startswith("A sharper thesis") and not app.info


def test_staff_approve_a_passport_from_the_queue_and_it_becomes_searchable(
    app: AppTest, seeded_app_env: Path
) -> None:
    as_role(app, "hub_staff").switch_page(f"{PAGES}/staff_queue.py").run()
    radios = [r for r in app.radio if r.key and r.key.startswith("decision_")]
    project_id = int(radios[0].key.removeprefix("decision_"))
    radios[0].set_value("published")
    apply = next(b for b in app.button if b.label == "Apply")
    apply.click().run()
    assert not app.exception
    assert query("select status from projects where id = :id", id=project_id) == [("published",)]
    # the confirmation survives the rerun that redraws the queue without the approved passport
    assert any(shown(s.value).startswith("Done: Published") for s in app.success)
    assert f"decision_{project_id}" not in [r.key for r in app.radio]
    assert query("select decision from project_reviews where project_id = :id", id=project_id) == [
        ("approve",)
    ]


def test_the_queue_shows_ten_passports_a_page_and_can_focus_on_possible_duplicates(
    app: AppTest, seeded_app_env: Path
) -> None:
    as_role(app, "hub_staff").switch_page(f"{PAGES}/staff_queue.py").run()
    waiting = query("select count(*) from projects where status in ('submitted', 'in_review')")
    metrics = {m.label: m.value for m in app.metric}
    assert metrics["Passports waiting"] == str(waiting[0][0]) and waiting[0][0] > 20

    def cards() -> list[str]:
        return [r.key for r in app.radio if r.key and r.key.startswith("decision_")]

    first = cards()
    assert len(first) == 10
    app.pagination(key="queue_page").set_value(2).run()
    second = cards()
    assert len(second) == 10 and not set(first) & set(second)

    app.segmented_control(key="queue_focus").set_value("duplicates").run()
    flagged = int(metrics["Possible duplicates"])
    assert 0 < flagged <= 10 and len(cards()) == flagged  # back on page 1 of a shorter list
    duplicate_notes = [
        shown(w.value) for w in app.warning if shown(w.value).startswith("Possible duplicate of ")
    ]
    assert len(duplicate_notes) >= flagged  # each flagged card names its twin(s) and why
    assert all("text similarity" in note for note in duplicate_notes)

    app.segmented_control(key="queue_focus").set_value("aifc").run()
    claims = int(metrics["AIFC links to verify"])
    assert claims > 0 and len(cards()) == min(10, claims)
    assert all(b.label == "Confirm AIFC link" for b in app.button if b.key and b.key.startswith("aifc_True_"))
    assert len([b for b in app.button if b.key and b.key.startswith("aifc_True_")]) == len(cards())


def test_a_queue_card_shows_what_a_decision_needs(app: AppTest, seeded_app_env: Path) -> None:
    as_role(app, "hub_staff").switch_page(f"{PAGES}/staff_queue.py").run()
    radio = next(r for r in app.radio if r.key and r.key.startswith("decision_"))
    project_id = int(radio.key.removeprefix("decision_"))
    ((summary, description, owner, currency),) = query(
        "select summary, description, owner_name, currency from projects where id = :id",
        id=project_id,
    )
    texts = [shown(m.value) for m in app.markdown]
    assert summary in texts  # the proposal itself, not only its title
    details = next(t.replace("**", "") for t in texts if t.startswith("**Funding ask:**"))  # the first card
    lines = dict(line.split(": ", 1) for line in details.splitlines())
    assert currency in lines["Funding ask"] and lines["Owner"].startswith(owner)
    assert {"Location", "Sectors", "Stage", "Instruments", "Website"} <= set(lines)
    assert sum("Size of the ask" in t for t in texts) >= 1  # the admission criteria with their verdicts
    assert description in texts  # one click away, in the "Full description" expander
    assert any(e.label == "Full description" for e in app.expander)
    assert any(shown(c.value).startswith("Submitted ") and "days ago" in shown(c.value) for c in app.caption)


def test_every_demo_passport_in_the_queue_has_a_submission_date(seeded_app_env: Path) -> None:
    assert query(
        "select count(*) from projects where status in ('submitted', 'in_review') and submitted_at is null",
    ) == [(0,)]


def test_the_queue_is_searched_by_title_id_or_owner_and_sorted(app: AppTest, seeded_app_env: Path) -> None:
    as_role(app, "hub_staff").switch_page(f"{PAGES}/staff_queue.py").run()
    ((external_id, owner),) = query(
        "select external_id, owner_name from projects where status = 'in_review' order by id limit 1",
    )

    def card_ids() -> list[str]:
        return [
            shown(m.value).split(" · ")[1]
            for m in app.markdown
            if shown(m.value).startswith("**") and shown(m.value).count(" · ") == 2
        ]

    app.text_input(key="queue_search").set_value(external_id.lower()).run()
    assert card_ids() == [external_id]
    app.text_input(key="queue_search").set_value(owner).run()
    assert external_id in card_ids()
    app.text_input(key="queue_search").set_value("no such listing anywhere").run()
    assert any("No waiting passport matches" in shown(i.value) for i in app.info)

    app.text_input(key="queue_search").set_value("").run()
    dates = dict(query("select external_id, submitted_at from projects where submitted_at is not null"))
    oldest = [dates[i] for i in card_ids()]
    assert oldest == sorted(oldest)
    app.selectbox(key="queue_sort").set_value("newest").run()
    newest = [dates[i] for i in card_ids()]
    assert newest == sorted(newest, reverse=True) and newest[0] >= oldest[-1]


def test_a_queue_decision_has_no_default_and_apply_alone_changes_nothing(
    app: AppTest, seeded_app_env: Path
) -> None:
    as_role(app, "hub_staff").switch_page(f"{PAGES}/staff_queue.py").run()
    radio = next(r for r in app.radio if r.key and r.key.startswith("decision_"))
    project_id = int(radio.key.removeprefix("decision_"))
    assert radio.value is None
    before = query("select status from projects where id = :id", id=project_id)
    next(b for b in app.button if b.label == "Apply").click().run()
    assert any("Choose a decision first" in shown(e.value) for e in app.error)
    assert query("select status from projects where id = :id", id=project_id) == before


def test_a_probable_duplicate_is_shown_side_by_side_with_its_twin(app: AppTest, seeded_app_env: Path) -> None:
    as_role(app, "hub_staff").switch_page(f"{PAGES}/staff_queue.py").run()
    app.segmented_control(key="queue_focus").set_value("duplicates").run()
    twins = [d.value for d in app.dataframe if list(d.value.columns)[:2] == ["", "This passport"]]
    assert len(twins) >= int({m.label: m.value for m in app.metric}["Possible duplicates"])
    table = twins[0]
    assert len(table.columns) == 3  # the label, this passport, its twin (named by its id)
    assert {"Title", "Summary", "Funding ask", "Owner", "Website"} <= set(table[""])


def test_staff_must_give_a_reason_to_send_a_passport_back(app: AppTest, seeded_app_env: Path) -> None:
    as_role(app, "hub_staff").switch_page(f"{PAGES}/staff_queue.py").run()
    radio = next(r for r in app.radio if r.key and r.key.startswith("decision_"))
    project_id = int(radio.key.removeprefix("decision_"))
    radio.set_value("changes_requested")
    next(b for b in app.button if b.label == "Apply").click().run()
    assert any("choose a reason" in shown(e.value) for e in app.error)
    assert query("select status from projects where id = :id", id=project_id)[0][0] != "changes_requested"


def test_every_text_key_exists_in_the_catalogue() -> None:
    used = set()
    for path in [PROJECT_ROOT / "streamlit_app.py", *(PROJECT_ROOT / "hub").rglob("*.py")]:
        code = path.read_text(encoding="utf-8")
        used |= set(re.findall(r"\b(?:t|Text)\(\s*[\"']([a-z_]+\.[a-z_.0-9]+)[\"']", code))
        used |= set(
            re.findall(r"[\"']((?:constraint|explain)\.[a-z_]+)[\"']", code)
        )  # keys chosen at run time
        used |= {f"workflow.{key}" for key in re.findall(r"WorkflowError\(\s*\"(\w+)\"", code)}
        for stem in re.findall(r"verdict\(\s*\"\w+\",\s*\"(\w+)\"", code):  # constraint.<stem>_ok / _fails
            used |= {f"constraint.{stem}_ok", f"constraint.{stem}_fails"}
    assert {
        "constraint.region_named",
        "constraint.ticket_fails",
        "explain.fewer",
        "workflow.accept_stage",
    } <= used
    used |= {f"proposals.next_{status}" for status in Status}  # "what happens next" per status
    missing = sorted(k for k in used if k not in MESSAGES["en"])
    assert not missing


def test_an_owner_accepts_an_interest_and_sees_the_investors_contact(
    app: AppTest, seeded_app_env: Path
) -> None:
    # an investor is interested in a published project of one owner; act as that owner
    owner_name, project_id, investor_id, investor_email = query(
        "select a.display_name, p.id, i.id, i.contact_email from projects p "
        "join accounts a on a.id = p.owner_account_id, investors i "
        "where p.status = 'published' and i.active order by a.display_name limit 1",
    )[0]
    query(
        "insert into interests (investor_id, project_id, stage, created_at, updated_at) "
        "values (:investor, :project, 'interested', '2026-11-26 10:00:00', '2026-11-26 10:00:00')",
        investor=investor_id,
        project=project_id,
    )
    as_role(app, "project_owner")
    chooser = app.selectbox(key="actor_account_project_owner")
    chooser.select_index(chooser.options.index(owner_name)).run()
    app.switch_page(f"{PAGES}/owner_proposals.py").run()
    assert any(
        shown(c.value).startswith("Published · last changed") for c in app.caption
    )  # status, date and what comes next
    assert any("active investors' mandates fit this project" in shown(m.value) for m in app.markdown)
    accept = [b for b in app.button if b.key and b.key.startswith("accept_")]
    assert accept, "the interest is listed with an accept button"
    accept[0].click().run()
    assert not app.exception
    assert any(investor_email in shown(s.value) for s in app.success)

    # and the investor now sees the project's contact among their interests
    investor_account, project_email = query(
        "select a.display_name, c.contact_email from accounts a, project_confidential c "
        "where a.investor_id = :investor and c.project_id = :project",
        investor=investor_id,
        project=project_id,
    )[0]
    as_role(app, "investor")
    chooser = app.selectbox(key="actor_account_investor")
    chooser.select_index(chooser.options.index(investor_account)).run()
    app.switch_page(f"{PAGES}/investor_matches.py").run()
    assert any(
        project_email in shown(s.value) and shown(s.value).startswith("Introduced") for s in app.success
    )


def test_the_project_page_shows_public_fields_and_the_investors_fit(
    app: AppTest, seeded_app_env: Path
) -> None:
    project_id, title, contact = query(
        "select p.id, p.title, c.contact_email from projects p join project_confidential c on c.project_id = p.id "
        "where p.status = 'published' limit 1",
    )[0]
    app.session_state["project_id"] = project_id
    app.switch_page(f"{PAGES}/project.py").run()
    assert not app.exception
    assert [shown(t.value) for t in app.title] == [title]
    assert contact not in _texts(app)  # the confidential contact is not shown
    assert "How this project fits your mandate" in [shown(s.value) for s in app.subheader]
    next(b for b in app.button if b.label == "Save").click().run()
    assert query("select count(*) from interests where project_id = :id", id=project_id) == [(1,)]
    assert any(shown(s.value).startswith("Saved: Watching") for s in app.success)
    assert any("Watching" in shown(c.value) for c in app.caption)  # the page shows the new stage


def test_a_shared_link_opens_the_project_page_and_unknown_ids_are_said(
    app: AppTest, seeded_app_env: Path
) -> None:
    project_id, external_id, title = query(
        "select id, external_id, title from projects where status = 'published' order by id desc limit 1",
    )[0]
    app.query_params["project"] = external_id
    app.switch_page(f"{PAGES}/project.py").run()
    assert not app.exception
    assert [shown(t.value) for t in app.title] == [title]

    app.session_state["project_id"] = None
    app.query_params["project"] = "NO-SUCH-ID"
    app.run()
    assert any("No published project has the id NO-SUCH-ID" in shown(w.value) for w in app.warning)
    assert not app.title  # nothing shown until a project is picked
    picker = next(s for s in app.selectbox if s.label == "Project")
    picker.set_value(project_id).run()
    assert [shown(t.value) for t in app.title] == [title]


def test_a_published_listing_with_unknown_stage_instruments_and_ask_renders_everywhere(
    app: AppTest, seeded_app_env: Path
) -> None:
    (project_id,) = query("select id from projects where status = 'published' limit 1")[0]
    query(
        "update projects set stage = null, instruments = '[]', funding_ask = null, total_cost = null, "
        'unknown = \'["funding_ask", "instruments", "stage"]\', updated_at = \'2026-11-30 00:00:00\' '
        "where id = :id",
        id=project_id,
    )
    st.cache_resource.clear()  # as after a restart: the catalogs are read again
    app.session_state["project_id"] = project_id
    app.switch_page(f"{PAGES}/project.py").run()
    assert not app.exception
    assert next(m for m in app.metric if m.label == "Funding ask").value == "unknown"
    assert any("**Instruments sought:** unknown" in shown(m.value) for m in app.markdown)
    for page in ("explore", "insights", "aifc"):
        app.switch_page(f"{PAGES}/{page}.py").run()
        assert not app.exception, page


def test_staff_see_the_drafts_to_complete_with_what_each_still_needs(
    app: AppTest, seeded_app_env: Path
) -> None:
    from hub.context import open_hub
    from hub.importing import PROJECT_COLUMNS, PROJECT_OPTIONAL, Kind, import_file, write_rows

    rows = [
        {"external_id": "DIR-1", "title": "Qoly", "summary": "Grocery delivery app", "status": "draft"},
        {"external_id": "DIR-2", "title": "Payflow", "status": "draft"},
    ]
    write_rows(rows, (*PROJECT_COLUMNS, *PROJECT_OPTIONAL), seeded_app_env / "thin.csv")
    hub = open_hub()
    assert import_file(hub.sessions, Kind.PROJECTS, seeded_app_env / "thin.csv", hub.reference).written
    hub.engine.dispose()

    as_role(app, "hub_staff").switch_page(f"{PAGES}/staff_queue.py").run()
    assert not app.exception
    assert any(shown(m.value).startswith("**Drafts to complete:") for m in app.markdown)
    table = next(d.value for d in app.dataframe if "Still needs" in d.value.columns)
    needs = dict(zip(table["ID"], table["Still needs"], strict=True))
    assert "Summary" not in needs["DIR-1"] and "Description" in needs["DIR-1"]  # its summary is 20 long
    assert needs["DIR-2"].startswith("Summary, Description")


def _cards(app: AppTest) -> list[int]:
    """The projects of the match cards on the page, in order (each card has an open button)."""
    return [
        int(b.key.removeprefix("open_match_"))
        for b in app.button
        if b.key and b.key.startswith("open_match_")
    ]


def _figures(app: AppTest) -> list[dict]:
    return [json.loads(chart.proto.spec) for chart in app.get("plotly_chart")]


def test_each_factor_has_one_colour_on_every_card_and_the_page_one_legend(app: AppTest) -> None:
    app.switch_page(f"{PAGES}/investor_matches.py").run()
    figures = _figures(app)
    legends = [f for f in figures if f["layout"].get("showlegend") is not False]
    cards = [f for f in figures if f["layout"].get("showlegend") is False]
    assert len(legends) == 1 and len(cards) >= 2
    colours: dict[str, set[str]] = {}
    for figure in [*legends, *cards]:
        for bar in figure["data"]:
            colours.setdefault(bar["name"], set()).add(bar["marker"]["color"])
    assert all(len(found) == 1 for found in colours.values()), colours
    assert len({next(iter(c)) for c in colours.values()}) == len(colours)  # and no two share one


def test_a_card_shows_its_interest_state_and_offers_only_the_next_moves(
    app: AppTest, seeded_app_env: Path
) -> None:
    app.switch_page(f"{PAGES}/investor_matches.py").run()
    project_id = _cards(app)[0]
    app.button(key=f"shortlist_{project_id}").click().run()
    assert not app.exception and not app.error
    keys = {b.key for b in app.button}
    assert f"shortlist_{project_id}" not in keys and f"move_interested_{project_id}" in keys
    assert any(shown(c.value) == "Your interest: Watching (shortlisted)" for c in app.caption)
    app.button(key=f"move_interested_{project_id}").click().run()
    keys = {b.key for b in app.button}
    assert f"move_interested_{project_id}" not in keys and f"move_in_discussion_{project_id}" in keys
    assert query("select stage from interests where project_id = :id", id=project_id) == [("interested",)]


def test_a_fitting_project_published_since_the_last_visit_is_marked_new_however_low_it_ranks(
    app: AppTest, seeded_app_env: Path, make_app: Callable[[], AppTest]
) -> None:
    app.switch_page(f"{PAGES}/investor_matches.py").run()
    chooser = app.selectbox(key="actor_account_investor")
    for name in chooser.options:  # an investor with more than ten fitting projects
        app.selectbox(key="actor_account_investor").set_value(name).run()
        passing = next(c for c in app.caption if "pass your mandate" in shown(c.value))
        if int(shown(passing.value).split()[0]) > 15:
            break
    app.slider(key="matches_top").set_value(50).run()
    app.pagination(key="matches_page").set_value(2).run()
    low = _cards(app)[4]  # the 15th match: below the default top 10
    account = app.session_state["matches_since_account"]
    query("update projects set published_at = '2026-01-01 00:00:00.000000'")
    query("update projects set published_at = '2026-11-01 00:00:00.000000' where id = :id", id=low)
    query("update accounts set matches_seen_at = '2026-06-01 00:00:00.000000' where id = :id", id=account)
    st.cache_resource.clear()  # a new server process: the catalogs read the new dates
    again = make_app().run()
    again.selectbox(key="actor_account_investor").set_value(name).run()
    again.switch_page(f"{PAGES}/investor_matches.py").run()
    assert not again.exception
    toggle = again.toggle(key="matches_only_new")
    assert toggle.label == "Only new since your last visit (1)"
    toggle.set_value(True).run()
    assert _cards(again) == [low]
    assert [b.value for b in again.get("badge")] or any(
        "New since your last visit" in str(e.proto) for e in again.get("markdown")
    )
    # this visit was recorded: the next session starts from it
    stamp = query("select matches_seen_at from accounts where id = :id", id=account)[0][0]
    assert str(stamp) > "2026-11-01"  # SQLite gives the text, PostgreSQL a datetime


def test_the_project_page_says_the_verdict_first_and_numbers_no_single_card(app: AppTest) -> None:
    app.switch_page(f"{PAGES}/investor_matches.py").run()
    project_id = _cards(app)[0]
    app.session_state["project_id"] = project_id
    app.switch_page(f"{PAGES}/project.py").run()
    assert [shown(s.value) for s in app.success][:1] == ["Fits your mandate"]
    assert not any(re.match(r"\*\*\d+\\?\. ", m.value) for m in app.markdown)
    assert not any(m.label == "Owner" for m in app.metric)  # the owner is text that wraps, not a metric


def test_the_project_page_without_a_project_offers_recent_and_aifc_listings(app: AppTest) -> None:
    app.switch_page(f"{PAGES}/project.py").run()
    assert [shown(s.value) for s in app.subheader] == ["Recently published", "AIFC-linked listings"]
    opens = [b for b in app.button if b.key and b.key.startswith("pick_")]
    assert len(opens) == 12
    project_id = int(opens[0].key.rsplit("_", 1)[1])
    opens[0].click().run()
    assert not app.exception and app.session_state["project_id"] == project_id
    assert app.title[0].value != "HubMatch" and "Recently published" not in [s.value for s in app.subheader]


def test_the_sidebar_shows_the_whole_name_of_the_account_acted_as(app: AppTest) -> None:
    chooser = app.selectbox(key="actor_account_investor")
    longest = max(chooser.options, key=len)
    chooser.set_value(longest).run()
    assert longest in [shown(c.value) for c in app.sidebar.caption]  # wraps, where the box cuts it


def test_a_link_with_lang_opens_the_app_in_that_language(
    make_app: Callable[[], AppTest], seeded_app_env: Path
) -> None:
    app = make_app()
    app.query_params["lang"] = "ru"
    app.run()
    assert not app.exception
    assert t("app.tagline", "ru") in [shown(c.value) for c in app.caption]
    assert t("app.tagline", "ru") != t("app.tagline", "en")
    assert app.session_state["language_choice"] == "ru"


def test_the_language_chosen_is_remembered_for_the_account(
    make_app: Callable[[], AppTest], seeded_app_env: Path
) -> None:
    app = make_app().run()
    account = app.session_state["actor"].account_id
    app.segmented_control(key="language_choice").set_value("kk").run()
    assert not app.exception and t("app.tagline", "kk") in [shown(c.value) for c in app.caption]
    assert query("select language from accounts where id = :id", id=account) == [("kk",)]
    again = make_app().run()  # a new browser session of the same account
    assert again.session_state["language_choice"] == "kk"
    assert t("app.tagline", "kk") in [shown(c.value) for c in again.caption]
