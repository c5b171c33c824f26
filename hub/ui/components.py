"""Small rendering helpers shared by the pages (widgets in, domain objects out)."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import streamlit as st

from hub import lang
from hub.actors import Actor
from hub.catalog import ProjectFacts
from hub.curation import Passport, WorkflowError
from hub.i18n import money, t, usd
from hub.importing import csv_bytes, excel_bytes
from hub.matching import Match, ProjectFilters
from hub.passport import Criterion
from hub.reference import Reference
from hub.schemas import FieldError, InvalidInput, ProjectIn
from hub.services import Forbidden, Services
from hub.ui.charts import factor_bars
from hub.ui.safe import plain
from hub.vocab import DeclineReason, Instrument, Language, Stage, slugs

NOTICES = "hub_notices"
# a verdict's mark: Material icons from the font Streamlit serves itself (no emoji font needed)
PASSED, FAILED = ":material/check_circle:", ":material/cancel:"


def notify(message: str) -> None:
    """Confirm a finished action on the next run: a message shown just before ``st.rerun()`` is lost."""
    st.session_state.setdefault(NOTICES, []).append(message)


def show_notices() -> None:
    """Show, once, the confirmations queued by :func:`notify` (the router calls this on every run)."""
    for message in st.session_state.pop(NOTICES, []):
        st.success(plain(message), icon=":material/check_circle:")


PASSPORT_WIDGETS = "p_"  # key prefix of the submit form's widgets


def start_passport(account_id: int, values: dict | None = None) -> None:
    """Open the submit form afresh for ``account_id``: a new passport, or ``values`` to edit.

    The widgets' own state is dropped too, or a new passport would show the old one's text."""
    for key in [k for k in st.session_state if str(k).startswith(PASSPORT_WIDGETS)]:
        del st.session_state[key]
    if values is None:
        st.session_state.pop("passport", None)
    else:
        st.session_state["passport"] = values
    st.session_state["passport_account"] = account_id
    st.session_state["passport_step"] = 0
    st.session_state["passport_errors"] = {}


def filters_summary(filters: ProjectFilters, query: str | None, reference: Reference) -> str:
    """A saved search in words: its text and every filter it sets."""
    parts = [f"“{query}”"] if query else []
    named = (
        (
            "filters.country",
            [reference.countries[c].name() for c in filters.countries if c in reference.countries],
        ),
        ("filters.region", [reference.regions[r].name() for r in filters.regions if r in reference.regions]),
        ("filters.sector", [reference.sectors[s].name() for s in filters.sectors if s in reference.sectors]),
        ("filters.sdg", [str(n) for n in filters.sdgs]),
        ("filters.stage", [t(f"stage.{s}") for s in filters.stages]),
        ("filters.instrument", [t(f"instrument.{i}") for i in filters.instruments]),
        ("filters.language", [t(f"language.{x}") for x in filters.languages]),
    )
    parts += [f"{t(label)}: {', '.join(values)}" for label, values in named if values]
    if filters.ask_min_usd is not None or filters.ask_max_usd is not None:
        low, high = usd(filters.ask_min_usd or 0), usd(filters.ask_max_usd) if filters.ask_max_usd else "…"
        parts.append(f"{t('filters.ask_range')}: {low} – {high}")
    if filters.aifc_only:
        parts.append(t("filters.aifc_only"))
    return " · ".join(parts) or t("filters.none")


def show_field_errors(invalid: InvalidInput) -> None:
    """One message per wrong field, named as the form names it."""
    for error in invalid.errors:
        st.error(plain(f"{t('field.' + error.field)}: {error.message}"))


def show_needs(needs: Sequence[FieldError]) -> None:
    """What a draft still needs before it can be submitted, in one note."""
    if needs:
        st.info(
            plain(
                t("proposals.needs", needs="; ".join(f"{t('field.' + n.field)} {n.message}" for n in needs))
            )
        )


def show_warnings(warnings: Sequence[FieldError]) -> None:
    """Plausibility warnings: worth a second look, never blocking."""
    for warning in warnings:
        st.warning(plain(f"{t('field.' + warning.field)}: {warning.message}"), icon=":material/search:")


def filter_widgets(reference: Reference, key: str, *, with_aifc: bool = True) -> ProjectFilters:
    """The project filters, in an expander; returns what is chosen."""
    with st.expander(t("filters.title"), expanded=False):
        left, middle, right = st.columns(3)
        countries = left.multiselect(
            t("filters.country"),
            sorted(reference.countries),
            format_func=lambda c: reference.countries[c].name(),
            key=f"{key}_countries",
        )
        regions = left.multiselect(
            t("filters.region"),
            sorted(
                r for r in reference.regions if not countries or reference.regions[r].country in countries
            ),
            format_func=lambda r: reference.regions[r].name(),
            key=f"{key}_regions",
        )
        sectors = st.multiselect(  # full width: long sector names are not cut short
            t("filters.sector"),
            sorted(reference.sectors),
            format_func=lambda s: reference.sectors[s].name(),
            key=f"{key}_sectors",
        )
        sdgs = middle.multiselect(
            t("filters.sdg"),
            sorted(reference.sdgs),
            format_func=lambda n: f"{n}. {reference.sdgs[n].name()}",
            key=f"{key}_sdgs",
        )
        stages = right.multiselect(
            t("filters.stage"), slugs(Stage), format_func=lambda s: t(f"stage.{s}"), key=f"{key}_stages"
        )
        instruments = right.multiselect(
            t("filters.instrument"),
            slugs(Instrument),
            format_func=lambda s: t(f"instrument.{s}"),
            key=f"{key}_instruments",
        )
        low, high = st.slider(
            t("filters.ask"), min_value=0.0, max_value=500.0, value=(0.0, 500.0), step=0.5, key=f"{key}_ask"
        )
        languages = left.multiselect(
            t("filters.language"),
            slugs(Language),
            format_func=lambda s: t(f"language.{s}"),
            key=f"{key}_languages",
        )
        aifc_only = with_aifc and right.toggle(t("filters.aifc_only"), key=f"{key}_aifc")
    return ProjectFilters(
        countries=tuple(countries),
        regions=tuple(regions),
        sectors=tuple(sectors),
        sdgs=tuple(sdgs),
        stages=tuple(stages),
        instruments=tuple(instruments),
        ask_min_usd=low * 1e6 if low > 0 else None,
        ask_max_usd=high * 1e6 if high < 500 else None,
        aifc_only=bool(aifc_only),
        languages=tuple(languages),
    )


def facts_line(facts: ProjectFacts, reference: Reference) -> str:
    region = reference.regions[facts.region]
    sectors = ", ".join(reference.sectors[s].name() for s in facts.sectors)
    aifc = f" · {t('aifc.' + facts.aifc_link)}" if facts.aifc_link != "none" else ""
    return (
        f"{region.name()} ({region.country}) · {sectors} · "
        f"{t('stage.' + facts.stage) if facts.stage else t('card.stage_unknown')} · "
        f"{t('card.ask')} {usd(facts.ask_usd) if facts.ask_usd is not None else t('card.unknown')}{aifc}"
    )


def language_note(language: str | None) -> None:
    """A listing's language as a badge, and a note when it is not the reader's: listings are
    shown as their owners wrote them."""
    if not language:
        return
    st.badge(language.upper(), color="gray")
    if language != lang.current():
        st.caption(t("card.original_language", name=t(f"language.{language}")))


def match_card(
    match: Match,
    facts: ProjectFacts | None,
    reference: Reference,
    *,
    rank: int,
    key: str = "card",
    new: bool = False,
) -> None:
    """A match: title (numbered by its ``rank``; 0 for none), facts, score, factor bar,
    explanation and evidence; ``new`` badges a project published since the reader's last visit.

    ``key`` tells cards of the same match apart when one run draws it twice (e.g. in two tabs)."""
    if new:
        st.badge(t("matches.new"), color="green")
    st.markdown(f"**{rank}\\. {plain(match.label)}**" if rank else f"**{plain(match.label)}**")
    if facts is not None:
        st.caption(plain(facts_line(facts, reference)))
        language_note(facts.language)
    left, right = st.columns([1, 4])
    left.metric(t("card.score"), f"{match.score:.2f}")
    right.plotly_chart(
        factor_bars(match),
        key=f"{key}_factors_{match.id}_{rank}",
        config={"displayModeBar": False},
    )
    if match.evidence:
        st.caption(t("card.evidence"))
        for sentence, _ in match.evidence:
            st.text(f"“{sentence}”")  # plain text: listing text is never rendered as markup
    elif match.evidence_checked:
        st.caption(t("explain.no_evidence"))
    if match.unknown:
        st.caption(t("explain.unknown", confidence=f"{match.confidence:.0%}"))
    if match.moved_for_diversity:
        st.caption(t("explain.diversity", count=match.passed_over))
    if match.near_copies:
        st.caption(plain(t("explain.near_copies", ids=", ".join(match.near_copies))))
    with st.expander(t("card.why")):
        st.markdown(plain(match.explanation()))


def interest_form(
    services: Services, actor: Actor, project_id: int, options: Sequence[str], key: str
) -> bool:
    """Move the investor's interest in a project to one of ``options``; True once saved."""
    with st.form(key):
        chosen = st.selectbox(t("interest.move_to"), options, format_func=lambda s: t(f"interest.{s}"))
        reason = st.selectbox(
            t("interest.reason"),
            [None, *[r.value for r in DeclineReason]],
            format_func=lambda r: "—" if r is None else t(f"decline.{r}"),
        )
        note = st.text_input(t("interest.note"))
        if not st.form_submit_button(t("interest.save")):
            return False
    try:
        services.express_interest(actor, project_id, chosen, reason=reason, note=note or None)
    except (WorkflowError, Forbidden) as error:
        st.error(plain(error))
        return False
    notify(t("interest.saved", stage=t(f"interest.{chosen}")))
    return True


def download_buttons(frame: pd.DataFrame, name: str, key: str) -> None:
    """CSV and Excel downloads of a table."""
    left, right = st.columns(2)
    left.download_button(
        t("export.csv"),
        csv_bytes(frame),  # formula-like cells neutralised
        f"{name}.csv",
        "text/csv",
        key=f"{key}_csv",
    )
    right.download_button(
        t("export.xlsx"),
        excel_bytes(frame, name),
        f"{name}.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key=f"{key}_xlsx",
    )


def facts_table(rows: Sequence[ProjectFacts], reference: Reference) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                t("table.id"): f.external_id,
                t("table.title"): f.title,
                t("table.region"): reference.regions[f.region].name(),
                t("table.country"): f.country,
                t("table.sectors"): ", ".join(reference.sectors[s].name() for s in f.sectors),
                t("table.stage"): t(f"stage.{f.stage or 'unknown'}"),
                t("table.ask_usd"): None if f.ask_usd is None else round(f.ask_usd),
                t("table.aifc"): t(f"aifc.{f.aifc_link}"),
                t("table.language"): f.language,
            }
            for f in rows
        ]
    )


def ask_text(amount: float | None, currency: str | None, ask_usd: float | None, unknown: bool = False) -> str:
    """A funding ask in the listing's currency, with its US-dollar value when that differs."""
    if amount is None:
        return t("card.unknown") if unknown else "—"
    own = money(amount, currency or "USD")
    if (currency or "USD") == "USD" or ask_usd is None:
        return own
    return t("money.with_usd", amount=own, usd=usd(ask_usd))


def place_text(city: str | None, region: str | None, country: str | None, reference: Reference) -> str:
    """City, region, country: whichever are known."""
    named_region = reference.regions.get(region or "")
    named_country = reference.countries.get(country or "")
    parts = (
        city,
        named_region.name() if named_region else None,
        named_country.name() if named_country else None,
    )
    return ", ".join(part for part in parts if part)


def sectors_text(sectors: Sequence[str], reference: Reference) -> str:
    return ", ".join(reference.sectors[s].name() for s in sectors if s in reference.sectors) or "—"


def stage_text(stage: str | None, unknown: Sequence[str]) -> str:
    return t("card.unknown") if "stage" in unknown else t(f"stage.{stage}") if stage else "—"


def instruments_text(instruments: Sequence[str], unknown: Sequence[str]) -> str:
    if "instruments" in unknown:
        return t("card.unknown")
    return ", ".join(t(f"instrument.{i}") for i in instruments) or "—"


def passport_details(passport: Passport, reference: Reference) -> dict[str, str]:
    """A passport's facts as a reviewer reads them, label -> value (plain text, not markdown)."""
    owner = " · ".join(part for part in (passport.owner_name, passport.owner_email) if part)
    return {
        t("field.funding_ask"): ask_text(
            passport.funding_ask, passport.currency, passport.ask_usd, "funding_ask" in passport.unknown
        ),
        t("project.location"): place_text(passport.city, passport.region, passport.country, reference) or "—",
        t("field.sectors"): sectors_text(passport.sectors, reference),
        t("field.stage"): stage_text(passport.stage, passport.unknown),
        t("field.instruments"): instruments_text(passport.instruments, passport.unknown),
        t("project.owner"): owner or "—",
        t("field.website"): passport.website or "—",
    }


def details_markdown(details: dict[str, str]) -> str:
    """Label: value lines, the labels bold and every value escaped."""
    return "  \n".join(f"**{plain(label)}:** {plain(value)}" for label, value in details.items())


def criteria_list(criteria: Sequence[Criterion]) -> None:
    """The admission criteria as a checklist, each with its verdict."""
    for criterion in criteria:
        mark = PASSED if criterion.passed else FAILED
        message = criterion.message[:1].upper() + criterion.message[1:]
        st.markdown(f"{mark} **{t('criterion.' + criterion.name)}** — {plain(message)}")


def recap(draft: ProjectIn, reference: Reference) -> tuple[dict[str, str], dict[str, str]]:
    """A whole passport before it is submitted, as two columns of label -> value: where and
    what it is, then its money and who to contact."""
    unknown = set(draft.unknown)
    place = place_text(draft.city, draft.region, draft.country, reference)
    ask_usd = (
        float(reference.fx.to_usd(draft.funding_ask, draft.currency or "USD"))
        if draft.funding_ask is not None
        else None
    )
    what = {
        t("project.location"): place or "—",
        t("field.sectors"): sectors_text(draft.sectors, reference),
        t("field.sdgs"): ", ".join(
            f"{n}. {reference.sdgs[n].name()}" for n in draft.sdgs if n in reference.sdgs
        )
        or "—",
        t("field.stage"): stage_text(draft.stage, draft.unknown),
        t("field.instruments"): instruments_text(draft.instruments, draft.unknown),
        t("field.language"): t(f"language.{draft.language}") if draft.language else "—",
    }
    money_and_contact = {
        t("field.funding_ask"): ask_text(
            draft.funding_ask, draft.currency, ask_usd, "funding_ask" in unknown
        ),
        t("field.total_cost"): money(draft.total_cost, draft.currency or "USD")
        if draft.total_cost is not None
        else "—",
        t("field.aifc_link"): t(f"aifc.{draft.aifc_link}")
        + (f" ({draft.aifc_reference})" if draft.aifc_reference else ""),
        t("project.owner"): draft.owner_name or "—",
        t("field.owner_email"): " · ".join(p for p in (draft.owner_email, draft.owner_phone) if p) or "—",
        t("field.website"): draft.website or "—",
    }
    return what, money_and_contact
