"""Hub staff — curation: the review queue, AIFC checks, bulk import, edits, re-index, audit log."""

from __future__ import annotations

import tempfile
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import streamlit as st

from hub import reads
from hub.curation import Similar, WorkflowError, allowed_moves
from hub.duplicates import describe
from hub.i18n import day, t
from hub.importing import ImportFileError, Kind
from hub.schemas import UNKNOWN, InvalidInput
from hub.services import Forbidden, StaleEdit
from hub.ui.components import (
    criteria_list,
    details_markdown,
    notify,
    passport_details,
    show_field_errors,
    show_needs,
    show_warnings,
)
from hub.ui.resources import get_hub, get_services, last_refresh_reports, matcher
from hub.ui.safe import plain
from hub.ui.session import require_role
from hub.vocab import ReviewReason, Stage, slugs

hub = get_hub()
services = get_services()
reference = hub.reference
actor = require_role("hub_staff", "admin")
QUEUE_PAGE = 10  # passports per page of the review queue
st.title(t("queue.title"))
tab_queue, tab_import, tab_edit, tab_index, tab_audit = st.tabs(
    [
        t("queue.tab_queue"),
        t("queue.tab_import"),
        t("queue.tab_edit"),
        t("queue.tab_index"),
        t("queue.tab_audit"),
    ]
)

now = datetime.now(UTC)
SORTS = {  # how the queue can be ordered: key -> sort key of an item
    "oldest": lambda item: (
        item.passport.submitted_at is None,
        item.passport.submitted_at or 0,
        item.project_id,
    ),
    "newest": lambda item: (
        item.passport.submitted_at is None,
        -(item.passport.submitted_at or now).timestamp(),
    ),
    "least_complete": lambda item: (item.completeness, item.project_id),
    "largest_ask": lambda item: (-(item.passport.ask_usd or 0), item.project_id),
    "title": lambda item: (item.title.casefold(), item.project_id),
}


def submitted_text(when: datetime | None) -> str:
    if when is None:
        return t("queue.submitted_unknown")
    days = (now - when.replace(tzinfo=when.tzinfo or UTC)).days
    return t(
        "queue.submitted",
        day=day(when),
        ago=t("queue.days_ago", n=days) if days else t("queue.today"),
    )


def overview(items: list) -> pd.DataFrame:
    """The queue as a table whose columns sort with a click."""
    return pd.DataFrame(
        [
            {
                t("table.id"): item.external_id,
                t("table.title"): item.title,
                t("field.owner_name"): item.passport.owner_name or "",
                t("queue.col_submitted"): item.passport.submitted_at,
                t("table.ask_usd"): None if item.passport.ask_usd is None else round(item.passport.ask_usd),
                t("queue.col_complete"): round(item.completeness * 100),
                t("queue.col_criteria"): f"{sum(c.passed for c in item.criteria)}/{len(item.criteria)}",
                t("queue.col_duplicate"): item.possible_duplicate,
                t("table.status"): t(f"status.{item.status}"),
            }
            for item in items
        ]
    )


def side_by_side(item, twin: Similar) -> pd.DataFrame:
    """The passport and its probable twin, fact by fact (text cells: never rendered as markup)."""
    mine, theirs = item.passport, twin.passport
    rows = {
        t("field.title"): (mine.title, theirs.title),
        t("field.summary"): (mine.summary or "", theirs.summary or ""),
    }
    for (label, value), other in zip(
        passport_details(mine, reference).items(), passport_details(theirs, reference).values(), strict=True
    ):
        rows[label] = (value, other)
    rows[t("table.status")] = (t(f"status.{mine.status}"), t(f"status.{theirs.status}"))
    return pd.DataFrame(
        [{"": label, t("queue.this_passport"): a, f"{twin.external_id}": b} for label, (a, b) in rows.items()]
    )


with tab_queue:
    queue = reads.review_queue(hub, actor, matcher())
    duplicates_n = sum(item.possible_duplicate for item in queue)
    aifc_n = sum(item.aifc_to_verify for item in queue)
    waiting, dups, aifc = st.columns(3)
    waiting.metric(t("queue.waiting"), len(queue))
    dups.metric(t("queue.possible_duplicates"), duplicates_n)
    aifc.metric(t("queue.aifc_pending"), aifc_n)
    focus = st.segmented_control(
        t("queue.focus"),
        ["all", "duplicates", "aifc"],
        format_func=lambda f: t(f"queue.focus_{f}"),
        default="all",
        key="queue_focus",
    )
    search_column, sort_column = st.columns([2, 1])
    words = search_column.text_input(
        t("queue.search"), placeholder=t("queue.search_placeholder"), key="queue_search"
    )
    order = sort_column.selectbox(
        t("queue.sort"), list(SORTS), format_func=lambda o: t(f"queue.sort_{o}"), key="queue_sort"
    )
    shown = sorted(
        (
            item
            for item in queue
            if (
                focus in (None, "all")
                or (focus == "duplicates" and item.possible_duplicate)
                or (focus == "aifc" and item.aifc_to_verify)
            )
            and item.matches(words)
        ),
        key=SORTS[order],
    )
    if shown:
        with st.expander(t("queue.overview", n=len(shown))):
            st.dataframe(
                overview(shown),
                hide_index=True,
                key="queue_overview",
                column_config={
                    t("queue.col_submitted"): st.column_config.DatetimeColumn(format="D MMM YYYY"),
                    t("queue.col_complete"): st.column_config.ProgressColumn(
                        format="%d%%", min_value=0, max_value=100
                    ),
                    t("table.ask_usd"): st.column_config.NumberColumn(format="compact"),
                },
            )
    pages = max(1, -(-len(shown) // QUEUE_PAGE))
    cards = st.container()  # above the page picker, which needs to run first
    number = 1
    if pages > 1:
        if st.session_state.get("queue_page", 1) > pages:  # a narrower focus has fewer pages
            st.session_state["queue_page"] = pages
        number = st.pagination(pages, key="queue_page")
    first = (number - 1) * QUEUE_PAGE
    page = shown[first : first + QUEUE_PAGE]
    if page:
        cards.caption(
            t(
                "queue.count",
                shown=len(shown),
                start=first + 1,
                end=first + len(page),
                order=t(f"queue.sort_{order}"),
            )
        )
    else:
        cards.info(t("queue.no_match" if words.strip() else "queue.empty"))
    for item in page:
        project_id = item.project_id
        with cards.container(border=True):
            st.markdown(f"**{plain(item.title)}** · {plain(item.external_id)} · {t('status.' + item.status)}")
            st.caption(plain(submitted_text(item.passport.submitted_at)))
            content, verdicts = st.columns([3, 2])
            with content:
                st.markdown(plain(item.passport.summary or t("queue.no_summary")))
                st.markdown(details_markdown(passport_details(item.passport, reference)))
                with st.expander(t("queue.full_description")):
                    st.markdown(plain(item.passport.description or t("queue.no_description")))
            with verdicts:
                st.markdown(f"**{t('queue.criteria')}**")
                criteria_list(item.criteria)
                st.progress(item.completeness, text=t("queue.completeness", pct=f"{item.completeness:.0%}"))
                if item.missing:
                    st.caption(plain(t("submit.missing", parts=", ".join(item.missing))))
            show_warnings(item.warnings)
            for other in item.similar:
                if other.duplicate:
                    st.warning(
                        plain(
                            t(
                                "queue.duplicate_of",
                                title=other.label,
                                id=other.external_id,
                                status=t(f"status.{other.status}"),
                                reason=describe(other.duplicate),
                            )
                        )
                    )
                    if other.passport is not None:
                        st.dataframe(
                            side_by_side(item, other), hide_index=True, key=f"twin_{project_id}_{other.id}"
                        )
            closest = [f"{m.label} ({m.similarity:.2f})" for m in item.similar if not m.duplicate]
            if closest:
                st.caption(plain(t("queue.closest", titles="; ".join(closest))))
            if item.aifc_link != "none":
                state = {None: "queue.aifc_unchecked", True: "queue.aifc_ok", False: "queue.aifc_bad"}
                claim = f"{t('aifc.' + item.aifc_link)}: {item.aifc_reference or '—'}"
                st.markdown(plain(f"{claim} · {t(state[item.aifc_verified])}"))
                left, right = st.columns(2)
                for column, verified, label in (
                    (left, True, "queue.aifc_confirm"),
                    (right, False, "queue.aifc_reject"),
                ):
                    if column.button(t(label), key=f"aifc_{verified}_{project_id}"):
                        services.verify_aifc(actor, project_id, verified=verified)
                        notify(t("queue.aifc_recorded", title=item.title, state=t(state[verified])))
                        st.rerun()
            with st.form(f"decide_{project_id}"):
                decision = st.radio(
                    t("queue.decision"),
                    allowed_moves(item.status, actor.role),
                    format_func=lambda s: t(f"status.{s}"),
                    horizontal=True,
                    index=None,  # no default: a stray click on Apply must not publish anything
                    key=f"decision_{project_id}",
                )
                reason = st.selectbox(
                    t("queue.reason"),
                    [None, *[r.value for r in ReviewReason]],
                    format_func=lambda r: "—" if r is None else t(f"reason.{r}"),
                    key=f"reason_{project_id}",
                )
                note = st.text_area(t("queue.note"), key=f"note_{project_id}")
                if st.form_submit_button(t("queue.apply")):
                    if decision is None:
                        st.error(t("queue.choose_decision"))
                    else:
                        try:
                            services.review(actor, project_id, decision, reason=reason, note=note)
                        except (WorkflowError, Forbidden) as error:
                            st.error(plain(error))
                        else:
                            notify(t("queue.done", title=item.title, status=t(f"status.{decision}")))
                            st.rerun()

with tab_import:
    kind = st.radio(
        t("import.kind"), [k.value for k in Kind], format_func=lambda k: t(f"import.{k}"), horizontal=True
    )
    upload = st.file_uploader(
        t("import.file"),
        type=["csv", "xlsx", "json"],
        help=t(
            "import.limits", mb=f"{hub.settings.import_max_mb:g}", rows=f"{hub.settings.import_max_rows:,}"
        ),
        key="import_file",
    )
    sheet = st.text_input(t("import.sheet"), help=t("import.sheet_help"), key="import_sheet")
    skip = st.toggle(t("import.skip_invalid"), key="import_skip")
    drafts = st.toggle(t("import.as_draft"), key="import_as_draft", disabled=kind != Kind.PROJECTS)
    confirm = st.toggle(t("import.confirm_contacts"), key="import_confirm", disabled=kind != Kind.PROJECTS)
    if upload is not None and st.button(t("import.run"), type="primary", key="import_run"):
        bar = st.progress(0.0, text=t("import.progress", done=0, total="…"))
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / Path(upload.name).name
            path.write_bytes(upload.getvalue())
            try:
                report = services.import_file(
                    actor,
                    Kind(kind),
                    path,
                    skip_invalid=skip,
                    as_draft=drafts and kind == Kind.PROJECTS,
                    confirm_contact_changes=confirm and kind == Kind.PROJECTS,
                    sheet=sheet.strip() or None,
                    progress=lambda done, total: bar.progress(
                        done / total, text=t("import.progress", done=done, total=total)
                    ),
                )
            except ImportFileError as error:
                st.error(plain(error))
                report = None
        bar.empty()
        if report is not None:
            (st.success if report.written else st.error)(report.summary())
            for note in report.notes:
                st.info(plain(note))
            if report.ignored_columns:
                st.warning(plain(t("import.ignored_columns", columns=", ".join(report.ignored_columns))))
            for name, rows in report.sections():
                st.markdown(f"**{t('import.' + name)}**")
                st.dataframe(
                    pd.DataFrame(
                        [
                            {
                                t("import.line"): e.line,
                                t("table.id"): e.external_id,
                                t("import.field"): e.field,
                                t("import.message"): e.message,
                            }
                            for e in rows
                        ]
                    ),
                    hide_index=True,
                    key=f"import_{name}",
                )

with tab_edit:
    listings = reads.listings(hub, actor)
    options, incomplete = listings.titles, listings.drafts_needing
    if incomplete:
        st.markdown(f"**{t('edit.drafts', n=len(incomplete))}**")
        st.dataframe(
            pd.DataFrame(
                [
                    {
                        t("table.id"): key,
                        t("field.title"): options[key],
                        t("edit.needs"): ", ".join(t("field." + n.field) for n in needs),
                    }
                    for key, needs in incomplete.items()
                ]
            ),
            hide_index=True,
            key="drafts_table",
        )
    chosen = st.selectbox(
        t("edit.project"),
        list(options),
        format_func=lambda k: f"{k} · {options[k]}",
        index=None,
        key="edit_choice",
    )
    if chosen:
        row = reads.listing_row(hub, actor, chosen) or {}
        with st.form(f"edit_{chosen}"):
            row["title"] = st.text_input(t("field.title"), row["title"])
            row["summary"] = st.text_area(t("field.summary"), row["summary"], max_chars=300)
            row["description"] = st.text_area(t("field.description"), row["description"], height=200)
            left, right = st.columns(2)
            row["owner_name"] = left.text_input(t("field.owner_name"), row["owner_name"] or "")
            row["owner_email"] = right.text_input(t("field.owner_email"), row["owner_email"] or "")
            countries = sorted(reference.countries)
            row["country"] = left.selectbox(
                t("field.country"),
                countries,
                index=countries.index(row["country"]) if row["country"] else None,
                format_func=lambda c: reference.countries[c].name(),
            )
            regions = sorted(reference.regions)
            row["region"] = right.selectbox(
                t("field.region"),
                regions,
                index=regions.index(row["region"]) if row["region"] else None,
                format_func=lambda r: f"{reference.regions[r].name()} ({r})",
            )
            row["city"] = left.text_input(t("field.city"), row["city"] or "")
            row["sectors"] = right.multiselect(
                t("field.sectors"),
                sorted(reference.sectors),
                default=row["sectors"],
                format_func=lambda x: reference.sectors[x].name(),
                max_selections=3,
            )
            stages = [*slugs(Stage), UNKNOWN]
            row["stage"] = left.selectbox(
                t("field.stage"),
                stages,
                index=stages.index(row["stage"]) if row["stage"] else None,
                format_func=lambda x: t(f"stage.{x}"),
            )
            row["instruments"] = right.text_input(
                t("field.instruments"), ";".join(row["instruments"]), help=t("edit.unknown_help")
            )
            ask = row["funding_ask"]
            row["funding_ask"] = left.text_input(
                t("field.funding_ask"),
                "" if ask is None else ask if ask == UNKNOWN else f"{ask:.2f}",
                help=t("edit.unknown_help"),
            )
            currencies = reference.fx.currencies
            row["currency"] = right.selectbox(
                t("field.currency"), currencies, index=currencies.index(row["currency"] or "USD")
            )
            row["website"] = left.text_input(t("field.website"), row["website"] or "")
            row["owner_phone"] = right.text_input(t("field.owner_phone"), row["owner_phone"] or "")
            if st.form_submit_button(t("edit.save")):
                try:
                    saved = services.edit_listing(actor, row, expected_version=row.get("version"))
                except InvalidInput as invalid:
                    show_field_errors(invalid)
                except (StaleEdit, Forbidden) as error:
                    st.error(plain(error))
                else:
                    st.success(t("edit.saved"))
                    show_needs(saved.needs)
                    show_warnings(saved.warnings)

with tab_index:
    current = matcher()
    st.write(
        t(
            "index.state",
            projects=len(current.project_index),
            investors=len(current.investor_index),
            model=current.project_index.model,
        )
    )
    if st.button(t("index.run"), key="index_run"):
        bar = st.progress(0.0, text=t("index.running"))

        def progress(what: str, done: int, total: int) -> None:
            bar.progress(
                min(1.0, done / max(total, 1)),
                text=t("start.index_progress", what=what, done=done, total=total),
            )

        services.reindex(actor, progress)
        bar.empty()
        st.success(plain(" · ".join(last_refresh_reports())))

with tab_audit:
    left, right = st.columns(2)
    action = left.text_input(t("audit.filter_action"), placeholder="project.", key="audit_action")
    who = right.text_input(t("audit.filter_who"), key="audit_who")
    events = services.audit_log(actor, action=action.strip() or None, who=who.strip() or None)
    frame = pd.DataFrame(
        [
            {
                t("audit.when"): e.occurred_at,
                t("audit.who"): e.actor,
                t("audit.what"): e.action,
                t("audit.entity"): e.entity,
                t("audit.details"): str(e.details),
            }
            for e in events
        ]
    )
    st.dataframe(frame, hide_index=True, key="audit_table")
