"""Investor — my profile: edit the mandate, with a live count of the projects that pass it."""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from hub import reads
from hub.catalog import InvestorFacts
from hub.i18n import t, usd
from hub.schemas import InvalidInput, parse_amount
from hub.services import Forbidden, StaleEdit
from hub.ui.components import show_field_errors
from hub.ui.resources import get_hub, get_services, matcher
from hub.ui.safe import plain
from hub.ui.session import require_role, update_actor
from hub.vocab import Instrument, InvestorType, Stage, slugs

UNSAVED = "profile_unsaved"  # profile -> the form's values not saved yet
RESTORED = "profile_restored"  # the profile whose unsaved edits were drawn again
GENERATIONS = "profile_generations"  # profile -> how many times its edits were discarded
hub = get_hub()
reference = hub.reference
actor = require_role("investor")
current = reads.my_profile(hub, actor) if actor.investor_id else None
creating = current is None  # a new investor account: its organisation's profile starts here
if creating:
    current = {
        "external_id": None, "name": "", "investor_type": "vc", "thesis": "", "sectors": [],
        "excluded_sectors": [], "regions": [], "stages": [], "instruments": [], "ticket_min": None,
        "ticket_max": None, "currency": "USD", "esg_mandate": False, "aifc_participant": False,
        "contact_email": actor.email, "language": ["en"], "active": True, "version": None,
    }  # fmt: skip

st.title(t("profile.title"))
profile = f"profile_{current['external_id']}"
# the widgets' keys carry a generation: discarding edits starts a new one, whose widgets open
# on the saved values (deleting the old widgets' state is not enough: the browser resends it)
generation = st.session_state.setdefault(GENERATIONS, {}).get(profile, 0)
key = f"{profile}_{generation}"
# Edits not saved yet outlive leaving the page (another page, another role): Streamlit forgets
# the state of widgets it does not draw, so the form's values are kept here and drawn again.
unsaved = st.session_state.setdefault(UNSAVED, {})
saved_form = {
    "thesis": current["thesis"],
    "sectors": current["sectors"],
    "excluded_sectors": current["excluded_sectors"],
    "regions": current["regions"],
    "stages": current["stages"],
    "instruments": current["instruments"],
    "ticket_min": "" if creating else f"{current['ticket_min']:,.0f}",
    "ticket_max": "" if creating else f"{current['ticket_max']:,.0f}",
    "currency": current["currency"],
    "esg_mandate": current["esg_mandate"],
}
form = {**saved_form, **unsaved.get(profile, {})}
if profile in unsaved and f"{key}_thesis" not in st.session_state:  # back to edits left unsaved
    st.session_state[RESTORED] = profile
if profile in unsaved and st.session_state.get(RESTORED) == profile:  # said until saved or discarded
    note, discard = st.columns([4, 1])
    note.info(t("profile.restored"))
    if discard.button(t("profile.discard"), key=f"{key}_discard"):
        unsaved.pop(profile)
        st.session_state[GENERATIONS][profile] = generation + 1
        st.rerun()
if creating:
    st.info(t("profile.create_intro"))
    left, right = st.columns(2)
    current["name"] = left.text_input(t("profile.name"), key=f"{key}_name")
    types = slugs(InvestorType)
    current["investor_type"] = right.selectbox(
        t("profile.type"), types, format_func=lambda x: t(f"investor_type.{x}"), key=f"{key}_type"
    )
else:
    st.caption(plain(current["name"]))
thesis = st.text_area(t("profile.thesis"), form["thesis"], height=200, key=f"{key}_thesis")
left, right = st.columns(2)
sectors = st.multiselect(  # full width: long sector names are not cut short
    t("filters.sector"),
    sorted(reference.sectors),
    default=form["sectors"],
    format_func=lambda s: reference.sectors[s].name(),
    key=f"{key}_sectors",
)
excluded = st.multiselect(
    t("profile.excluded"),
    sorted(reference.sectors),
    default=form["excluded_sectors"],
    format_func=lambda s: reference.sectors[s].name(),
    key=f"{key}_excluded",
)
places = sorted(reference.countries) + sorted(reference.regions)
regions = st.multiselect(
    t("profile.regions"),
    places,
    default=form["regions"],
    format_func=lambda c: (
        reference.countries[c].name() + t("profile.whole_country")
        if c in reference.countries
        else reference.regions[c].name()
    ),
    key=f"{key}_regions",
)
stages = left.multiselect(
    t("filters.stage"),
    slugs(Stage),
    default=form["stages"],
    format_func=lambda s: t(f"stage.{s}"),
    key=f"{key}_stages",
)
instruments = right.multiselect(
    t("filters.instrument"),
    slugs(Instrument),
    default=form["instruments"],
    format_func=lambda s: t(f"instrument.{s}"),
    key=f"{key}_instruments",
)
low_col, high_col, currency_col = st.columns(3)
ticket_min = low_col.text_input(t("profile.ticket_min"), form["ticket_min"], key=f"{key}_min")
ticket_max = high_col.text_input(t("profile.ticket_max"), form["ticket_max"], key=f"{key}_max")
currencies = reference.fx.currencies
currency = currency_col.selectbox(
    t("profile.currency"), currencies, index=currencies.index(form["currency"]), key=f"{key}_currency"
)
esg = left.toggle(t("profile.esg"), form["esg_mandate"], key=f"{key}_esg")
edited = {
    "thesis": thesis,
    "sectors": sectors,
    "excluded_sectors": excluded,
    "regions": regions,
    "stages": stages,
    "instruments": instruments,
    "ticket_min": ticket_min,
    "ticket_max": ticket_max,
    "currency": currency,
    "esg_mandate": esg,
}
if edited != saved_form:
    unsaved[profile] = edited
else:
    unsaved.pop(profile, None)

try:
    low, high = parse_amount(ticket_min), parse_amount(ticket_max)
except ValueError:
    low = high = None
low_usd = high_usd = None
if low is not None and high is not None:
    low_usd, high_usd = (float(reference.fx.to_usd(amount, currency)) for amount in (low, high))
    day = reference.fx.as_of.isoformat()
    st.caption(t("profile.ticket_usd", low=usd(low_usd), high=usd(high_usd), day=day))
if low_usd is not None and stages and instruments and regions:
    draft = InvestorFacts(
        id=-1,
        external_id="draft",
        name="draft",
        investor_type=current["investor_type"],
        stages=tuple(stages),
        instruments=tuple(instruments),
        sectors=tuple(sectors),
        excluded_sectors=tuple(excluded),
        regions=tuple(r for r in regions if "-" in r),
        countries=tuple(c for c in regions if "-" not in c),
        ticket_min_usd=low_usd,
        ticket_max_usd=high_usd,
        esg_mandate=esg,
        aifc_participant=current["aifc_participant"],
        languages=tuple(current["language"]),
    )
    st.metric(t("profile.live_count"), matcher().count_projects_for(draft))
else:
    st.info(t("profile.incomplete"))

if st.button(t("profile.save"), type="primary", key=f"{key}_save"):
    record = {**current, **edited}
    try:
        investor_id = get_services().update_profile(actor, record, expected_version=current["version"])
    except InvalidInput as invalid:
        show_field_errors(invalid)
    except (StaleEdit, Forbidden) as error:
        st.error(plain(error))
    else:
        if creating:  # the account now belongs to the new organisation: its matches open up
            update_actor(replace(actor, investor_id=investor_id))
        unsaved.pop(profile, None)
        st.success(t("profile.saved"))
