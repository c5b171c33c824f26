"""Project owner — submit a proposal: a multi-step passport with inline checks and a preview."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime

import streamlit as st

from hub.catalog import passport_facts
from hub.curation import WorkflowError
from hub.i18n import t
from hub.indexing import passport_text
from hub.passport import completeness, eligibility, plausibility
from hub.schemas import UNKNOWN, InvalidInput, ProjectIn, validate_project
from hub.services import Forbidden, StaleEdit
from hub.ui.components import (
    criteria_list,
    details_markdown,
    recap,
    show_field_errors,
    show_needs,
    show_warnings,
    start_passport,
)
from hub.ui.resources import get_hub, get_services, get_suggester, matcher
from hub.ui.safe import plain
from hub.ui.session import require_role
from hub.vocab import AifcLink, Instrument, Language, Stage, Status, slugs

STEPS = ("basics", "place", "money", "aifc", "review")
FIELDS = {
    "basics": ("title", "summary", "description", "language"),
    "place": ("country", "region", "city", "sectors", "sdgs"),
    "money": (
        "stage",
        "instruments",
        "funding_ask",
        "total_cost",
        "currency",
        "expected_irr_pct",
        "payback_years",
        "jobs_created",
    ),
    "aifc": (
        "aifc_link",
        "aifc_reference",
        "owner_name",
        "owner_email",
        "owner_phone",
        "website",
        "founded_year",
        "team_size",
        "past_investors",
    ),
    "review": (),
}

SUBMITTED = "passport_submitted"  # the id of the passport just submitted: the confirmation shows
hub = get_hub()
services = get_services()
reference = hub.reference
actor = require_role("project_owner")
if st.session_state.get("passport_account") != actor.account_id:  # another owner was chosen
    start_passport(actor.account_id)
passport: dict = st.session_state.setdefault(
    "passport",
    {
        "owner_name": actor.display_name,
        "owner_email": actor.email,
        "language": "en",
        "aifc_link": "none",
        "currency": "USD",
        "status": "draft",
        "sectors": [],
        "sdgs": [],
        "instruments": [],
    },
)
if passport.get("instruments") == [UNKNOWN]:  # an exported row writes it as a one-item list
    passport["instruments"] = UNKNOWN
step = st.session_state.setdefault("passport_step", 0)
errors: dict[str, str] = st.session_state.get("passport_errors", {})

st.title(t("submit.title"))
if st.session_state.get(SUBMITTED):
    with st.container(border=True):
        st.subheader(f":material/task_alt: {t('submit.confirmed_title')}")
        st.write(
            plain(t("submit.confirmed", id=st.session_state[SUBMITTED], title=passport.get("title") or ""))
        )
        mine, another = st.columns(2)
        if mine.button(t("submit.to_proposals"), type="primary", key="p_to_proposals"):
            st.session_state.pop(SUBMITTED)
            st.switch_page("hub/ui/pages/owner_proposals.py")
        if another.button(t("submit.new"), key="p_after_new"):
            st.session_state.pop(SUBMITTED)
            start_passport(actor.account_id)
            st.rerun()
    st.stop()
st.progress(
    (step + 1) / len(STEPS),
    text=t("submit.step", n=step + 1, total=len(STEPS), name=t(f"submit.{STEPS[step]}")),
)
if passport.get("external_id"):
    st.caption(plain(t("submit.editing", id=passport["external_id"])))


def field_error(name: str) -> None:
    if name in errors:
        st.error(plain(f"{t('field.' + name)}: {errors[name]}"), icon=":material/warning:")


def check() -> ProjectIn | None:
    """Validate the whole passport as for submission; keep the messages by field."""
    try:
        valid = validate_project({**passport, "status": Status.SUBMITTED}, reference)
    except InvalidInput as invalid:
        st.session_state["passport_errors"] = {e.field: e.message for e in invalid.errors}
        return None
    st.session_state["passport_errors"] = {}
    return valid.model_copy(update={"status": passport.get("status", Status.DRAFT)})


def as_draft() -> ProjectIn | None:
    """The passport as a draft may be stored: incomplete is fine, wrong values are not."""
    try:
        return validate_project({**passport, "status": Status.DRAFT}, reference)
    except InvalidInput as invalid:
        st.session_state["passport_errors"] = {e.field: e.message for e in invalid.errors}
        return None


def warn_about(draft: ProjectIn | None) -> None:
    show_warnings(plausibility(draft, reference) if draft else [])


def store(submit: bool) -> None:
    """Save the passport (and submit it) through the service layer; say where it stands, or
    what stops it (a wrong value, someone else's newer save, the workflow)."""
    save = services.submit_passport if submit else services.save_draft
    try:
        saved = save(actor, passport, expected_version=passport.get("version"))
    except InvalidInput as invalid:
        st.session_state["passport_errors"] = {e.field: e.message for e in invalid.errors}
        show_field_errors(invalid)
    except (WorkflowError, StaleEdit, Forbidden) as error:
        st.error(plain(error))
    else:
        passport.update(external_id=saved.external_id, status=saved.status, version=saved.version)
        if submit:  # a confirmation unlike the criteria above it, with where to go next
            st.session_state[SUBMITTED] = saved.external_id
            st.rerun()
        st.success(plain(t("submit.saved_as", id=saved.external_id, status=t(f"status.{saved.status}"))))
        show_needs(saved.needs)


name = STEPS[step]
if name == "basics":
    passport["title"] = st.text_input(t("field.title"), passport.get("title", ""), key="p_title")
    field_error("title")
    passport["summary"] = st.text_area(
        t("field.summary"), passport.get("summary", ""), max_chars=300, key="p_summary"
    )
    field_error("summary")
    passport["description"] = st.text_area(
        t("field.description"), passport.get("description", ""), height=220, key="p_description"
    )
    field_error("description")
    languages = slugs(Language)
    passport["language"] = st.selectbox(
        t("field.language"),
        languages,
        index=languages.index(passport.get("language") or "en"),
        format_func=lambda x: t(f"language.{x}"),
        key="p_language",
    )
elif name == "place":
    countries = sorted(reference.countries)
    passport["country"] = st.selectbox(
        t("field.country"),
        countries,
        index=countries.index(passport.get("country") or "KZ"),
        format_func=lambda c: reference.countries[c].name(),
        key="p_country",
    )
    regions = sorted(code for code, r in reference.regions.items() if r.country == passport["country"])
    passport["region"] = st.selectbox(
        t("field.region"),
        regions,
        index=regions.index(passport["region"]) if passport.get("region") in regions else 0,
        format_func=lambda r: reference.regions[r].name(),
        key=f"p_region_{passport['country']}",
    )
    field_error("region")
    passport["city"] = st.text_input(t("field.city"), passport.get("city") or "", key="p_city")
    text = f"{passport.get('title', '')}. {passport.get('summary', '')} {passport.get('description', '')}"
    suggester = get_suggester(hub)
    suggested_sectors = suggester.sectors(text)
    suggested_sdgs = suggester.sdgs(text)
    if suggested_sectors or suggested_sdgs:
        st.info(
            plain(
                t(
                    "submit.suggested",
                    sectors=", ".join(reference.sectors[s].name() for s, _ in suggested_sectors) or "—",
                    sdgs=", ".join(f"{n}. {reference.sdgs[n].name()}" for n, _ in suggested_sdgs) or "—",
                )
            )
        )
    passport["sectors"] = st.multiselect(
        t("field.sectors"),
        sorted(reference.sectors),
        default=passport.get("sectors") or [s for s, _ in suggested_sectors[:1]],
        format_func=lambda s: reference.sectors[s].name(),
        max_selections=3,
        key="p_sectors",
    )
    field_error("sectors")
    passport["sdgs"] = st.multiselect(
        t("field.sdgs"),
        sorted(reference.sdgs),
        default=passport.get("sdgs") or [n for n, _ in suggested_sdgs],
        format_func=lambda n: f"{n}. {reference.sdgs[n].name()}",
        key="p_sdgs",
    )
elif name == "money":
    stages = [*slugs(Stage), UNKNOWN]
    passport["stage"] = st.selectbox(
        t("field.stage"),
        stages,
        index=stages.index(passport.get("stage") or "seed"),
        format_func=lambda s: t(f"stage.{s}"),
        key="p_stage",
    )
    unsure = st.checkbox(
        t("submit.instruments_unknown"),
        value=passport.get("instruments") == UNKNOWN,
        key="p_instruments_unknown",
    )
    chosen = st.multiselect(
        t("field.instruments"),
        slugs(Instrument),
        default=[] if passport.get("instruments") == UNKNOWN else passport.get("instruments", []),
        format_func=lambda s: t(f"instrument.{s}"),
        disabled=unsure,
        key="p_instruments",
    )
    passport["instruments"] = UNKNOWN if unsure else chosen
    field_error("instruments")
    ask_unknown = st.checkbox(
        t("submit.ask_unknown"), value=passport.get("funding_ask") == UNKNOWN, key="p_ask_unknown"
    )
    left, middle, right = st.columns(3)
    typed_ask = left.text_input(
        t("field.funding_ask"),
        "" if passport.get("funding_ask") in (None, UNKNOWN) else str(passport["funding_ask"]),
        disabled=ask_unknown,
        key="p_ask",
    )
    passport["funding_ask"] = UNKNOWN if ask_unknown else typed_ask
    passport["total_cost"] = middle.text_input(
        t("field.total_cost"), str(passport.get("total_cost") or ""), key="p_total"
    )
    currencies = reference.fx.currencies
    passport["currency"] = right.selectbox(
        t("field.currency"),
        currencies,
        index=currencies.index(passport.get("currency") or "USD"),
        key="p_currency",
    )
    field_error("funding_ask")
    field_error("total_cost")
    left, middle, right = st.columns(3)
    passport["expected_irr_pct"] = left.text_input(
        t("field.expected_irr_pct"), str(passport.get("expected_irr_pct") or ""), key="p_irr"
    )
    passport["payback_years"] = middle.text_input(
        t("field.payback_years"), str(passport.get("payback_years") or ""), key="p_payback"
    )
    passport["jobs_created"] = right.text_input(
        t("field.jobs_created"), str(passport.get("jobs_created") or ""), key="p_jobs"
    )
    for optional in ("expected_irr_pct", "payback_years", "jobs_created"):
        field_error(optional)
    warn_about(as_draft())
elif name == "aifc":
    links = slugs(AifcLink)
    passport["aifc_link"] = st.selectbox(
        t("field.aifc_link"),
        links,
        index=links.index(passport.get("aifc_link") or "none"),
        format_func=lambda x: t(f"aifc.{x}"),
        key="p_aifc",
    )
    passport["aifc_reference"] = st.text_input(
        t("field.aifc_reference"), passport.get("aifc_reference") or "", key="p_aifc_ref"
    )
    field_error("aifc_reference")
    passport["owner_name"] = st.text_input(
        t("field.owner_name"), passport.get("owner_name", ""), key="p_owner"
    )
    passport["owner_email"] = st.text_input(
        t("field.owner_email"), passport.get("owner_email", ""), key="p_email"
    )
    field_error("owner_email")
    passport["owner_phone"] = st.text_input(
        t("field.owner_phone"), passport.get("owner_phone") or "", key="p_phone"
    )
    field_error("owner_phone")
    st.caption(t("submit.contact_private"))
    passport["website"] = st.text_input(t("field.website"), passport.get("website") or "", key="p_website")
    field_error("website")
    left, middle = st.columns(2)
    passport["founded_year"] = left.text_input(
        t("field.founded_year"), str(passport.get("founded_year") or ""), key="p_founded"
    )
    passport["team_size"] = middle.text_input(
        t("field.team_size"), str(passport.get("team_size") or ""), key="p_team"
    )
    for optional in ("founded_year", "team_size"):
        field_error(optional)
    passport["past_investors"] = st.text_input(
        t("field.past_investors"), passport.get("past_investors") or "", key="p_past"
    )
    field_error("past_investors")
else:
    valid = check()
    errors = st.session_state["passport_errors"]
    draft = valid or as_draft()
    if valid is None:
        st.warning(t("submit.fix_first"))
        for field, message in errors.items():
            st.markdown(f"- **{plain(t('field.' + field))}**: {plain(message)}")
    warn_about(draft)
    if draft is not None:
        st.subheader(t("submit.recap"))
        with st.container(border=True):
            st.markdown(f"**{plain(draft.title)}**")
            st.markdown(plain(draft.summary or t("queue.no_summary")))
            what, money_and_contact = recap(draft, reference)
            left, right = st.columns(2)
            left.markdown(details_markdown(what))
            right.markdown(details_markdown(money_and_contact))
            with st.expander(t("queue.full_description")):
                st.markdown(plain(draft.description or t("queue.no_description")))
    if valid is not None:
        score, missing = completeness(valid)
        st.progress(score, text=t("submit.completeness", pct=f"{score:.0%}"))
        if missing:
            st.caption(plain(t("submit.missing", parts=", ".join(missing))))
        st.subheader(t("submit.eligibility"))
        criteria_list(eligibility(valid, reference))
        likely = matcher().likely_investors(
            passport_facts(valid, reference, published_at=datetime.now(UTC)), passport_text(valid), top=20
        )
        st.subheader(t("submit.likely", n=len(likely)))
        types = Counter(t(f"investor_type.{facts.investor_type}") for facts, _ in likely)
        st.write(", ".join(f"{kind}: {n}" for kind, n in types.most_common()) or t("submit.no_investors"))
        st.caption(t("submit.names_later"))

# one row of actions: back, save as draft, next (or submit, on the last step), start afresh
back, save, onward, fresh = st.columns(4)
if step > 0 and back.button(t("submit.back"), key="p_back", use_container_width=True):
    st.session_state["passport_step"] = step - 1
    st.rerun()
if save.button(
    t("submit.save_draft"), key="p_save_draft", help=t("submit.save_draft_help"), use_container_width=True
):
    store(submit=False)
if step < len(STEPS) - 1 and onward.button(
    t("submit.next"), type="primary", key="p_next", use_container_width=True
):
    check()
    # only the steps seen so far report errors: the next step opens clean
    seen = {f for s in STEPS[: step + 1] for f in FIELDS[s]}
    found = st.session_state["passport_errors"]
    st.session_state["passport_errors"] = {f: m for f, m in found.items() if f in seen}
    if not any(f in found for f in FIELDS[name]):
        st.session_state["passport_step"] = step + 1
    st.rerun()
if step == len(STEPS) - 1 and onward.button(
    t("submit.submit"), type="primary", key="p_submit", disabled=valid is None, use_container_width=True
):
    store(submit=True)
if fresh.button(t("submit.new"), key="new_passport", use_container_width=True):
    start_passport(actor.account_id)
    st.rerun()
