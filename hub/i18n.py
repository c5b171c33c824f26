"""Every string shown to people goes through ``t``; English now, Russian and Kazakh later.

Keys are ``area.name``; vocabulary labels are ``stage.seed``, ``status.published`` and so on.
A test checks that every key the UI uses exists here. The domain never formats a sentence for
people itself: it returns a :class:`Text` (a key and its values, which may be vocabulary codes
or reference data named in each language), rendered by whoever shows it, in their language.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from hub.reference import Named
from hub.schemas import InvestorIn, ProjectIn, label
from hub.vocab import (
    AifcLink,
    DeclineReason,
    Instrument,
    InterestStage,
    InvestorType,
    Language,
    ReviewDecision,
    ReviewReason,
    Role,
    Stage,
    Status,
)

_VOCABULARY = {
    "stage": {s.value: s.value.capitalize() for s in Stage} | {"unknown": "Not known yet"},
    "instrument": {
        Instrument.EQUITY: "Equity",
        Instrument.DEBT: "Debt",
        Instrument.MEZZANINE: "Mezzanine",
        Instrument.PPP: "Public-private partnership",
        Instrument.GRANT: "Grant",
    },
    "status": {
        Status.DRAFT: "Draft",
        Status.SUBMITTED: "Submitted",
        Status.IN_REVIEW: "In review",
        Status.CHANGES_REQUESTED: "Changes requested",
        Status.PUBLISHED: "Published",
        Status.REJECTED: "Rejected",
        Status.ARCHIVED: "Archived",
    },
    "aifc": {
        AifcLink.NONE: "No AIFC link",
        AifcLink.AIFC_REGISTERED: "AIFC-registered company",
        AifcLink.AIX_LISTED: "Listed or raising on AIX",
        AifcLink.GREEN_FINANCE_CENTRE: "AIFC Green Finance Centre",
        AifcLink.OTHER: "Other AIFC support",
    },
    "language": {Language.EN: "English", Language.RU: "Russian", Language.KK: "Kazakh"},
    "role": {
        Role.INVESTOR: "Investor",
        Role.PROJECT_OWNER: "Project owner",
        Role.HUB_STAFF: "Hub staff",
        Role.ADMIN: "Administrator",
    },
    "investor_type": {
        InvestorType.VC: "Venture capital",
        InvestorType.PE: "Private equity",
        InvestorType.DFI: "Development finance institution",
        InvestorType.STATE_FUND: "State / sovereign fund",
        InvestorType.CORPORATE: "Corporate",
        InvestorType.ANGEL: "Angel / syndicate",
        InvestorType.FAMILY_OFFICE: "Family office",
        InvestorType.BANK: "Bank",
    },
    "interest": {
        InterestStage.WATCHING: "Watching (shortlisted)",
        InterestStage.INTERESTED: "Interested",
        InterestStage.IN_DISCUSSION: "In discussion",
        InterestStage.COMMITTED: "Committed",
        InterestStage.DECLINED: "Declined",
    },
    "decline": {
        DeclineReason.OUTSIDE_MANDATE: "Outside our mandate",
        DeclineReason.TICKET_SIZE: "Ticket size does not fit",
        DeclineReason.STAGE: "Wrong stage for us",
        DeclineReason.GEOGRAPHY: "Outside our geography",
        DeclineReason.TEAM: "Team",
        DeclineReason.TRACTION: "Not enough traction yet",
        DeclineReason.VALUATION_OR_TERMS: "Valuation or terms",
        DeclineReason.INCOMPLETE_INFORMATION: "Information incomplete",
        DeclineReason.RISK: "Risk too high",
        DeclineReason.OTHER: "Other",
    },
    "reason": {
        ReviewReason.INCOMPLETE: "Passport incomplete",
        ReviewReason.OUT_OF_SCOPE: "Outside the hub's scope",
        ReviewReason.NOT_ELIGIBLE: "Does not meet the admission criteria",
        ReviewReason.DUPLICATE: "Duplicate listing",
        ReviewReason.AIFC_LINK_UNVERIFIED: "AIFC link could not be verified",
        ReviewReason.UNCLEAR_FINANCIALS: "Financials unclear",
        ReviewReason.QUALITY: "Quality of the description",
        ReviewReason.OTHER: "Other",
    },
    "review": {
        ReviewDecision.APPROVE: "Approved",
        ReviewDecision.REQUEST_CHANGES: "Changes requested",
        ReviewDecision.REJECT: "Rejected",
    },
    "factor": {
        "semantic": "Text similarity",
        "sector": "Sector overlap",
        "region": "Region fit",
        "ticket": "Ticket fit",
        "stage": "Stage fit",
        "esg": "ESG / green fit",
        "aifc": "AIFC link",
        "freshness": "Freshness",
        "completeness": "Completeness",
    },
    "import": {"projects": "Projects", "investors": "Investors"},
    "nav.section": {
        Role.INVESTOR: "Investor",
        Role.PROJECT_OWNER: "Project owner",
        Role.HUB_STAFF: "Hub staff",
    },
    "submit": {
        "basics": "The project",
        "place": "Place, sectors and impact",
        "money": "Stage and financing",
        "aifc": "AIFC link and contact",
        "review": "Check and submit",
    },
}

_FIELDS = dict.fromkeys([*ProjectIn.model_fields, *InvestorIn.model_fields, "record", "search_name"])

MESSAGES: dict[str, dict[str, str]] = {
    "en": {
        **{f"{family}.{key}": text for family, labels in _VOCABULARY.items() for key, text in labels.items()},
        **{f"field.{name}": label(name) for name in _FIELDS},
        "app.title": "HubMatch",
        "app.tagline": "Investment and innovation hub for Astana, Central Asia and the Russian border regions",
        "app.disclaimer": "HubMatch is a listing and introduction service. It does not take money, make offers "
        "or promise returns.",
        "actor.caption": "Until sign-in arrives, choose who you are acting as.",
        "actor.role": "Act as",
        "actor.who": "Organisation",
        "actor.none": "No account has this role yet.",
        "actor.wrong_role": "This page is for: {roles}. Switch role in the sidebar.",
        "nav.public": "Explore",
        "nav.home": "Home",
        "nav.explore": "Explore projects",
        "nav.aifc": "AIFC-linked listings",
        "nav.insights": "Insights",
        "nav.project": "Project page",
        "nav.matches": "My matches",
        "nav.profile": "My profile",
        "nav.submit": "Submit a proposal",
        "nav.proposals": "My proposals",
        "nav.queue": "Curation",
        "start.loading": "First start: loading the demo data set…",
        "start.progress": "Loading demo data: {done} of {total} rows",
        "start.done": "Demo data loaded: {summary}",
        "start.index": "Preparing the search indexes…",
        "start.index_progress": "Embedding {what}: {done} of {total}",
        "home.intro": "HubMatch brings investors and project proposals from Kazakhstan, Uzbekistan, Kyrgyzstan, "
        "Tajikistan, Turkmenistan and the Russian regions bordering Kazakhstan together, explains every match, "
        "and makes the AIFC-linked opportunities visible.",
        "home.search": "Quick search",
        "home.search_button": "Search projects",
        "home.published": "Published projects",
        "home.investors": "Active investors",
        "home.sought": "Capital sought",
        "home.capacity": "Ticket capacity",
        "home.countries": "Countries · regions",
        "home.by_country": "Projects per country",
        "home.by_sector": "Projects per sector",
        "home.fx_note": "Amounts in US dollars at the FX table of {day}; capacity is the sum of active "
        "investors' maximum tickets.",
        "chart.projects": "Projects",
        "filters.title": "Filters",
        "filters.country": "Country",
        "filters.region": "Region",
        "filters.sector": "Sector",
        "filters.sdg": "SDG",
        "filters.stage": "Stage",
        "filters.instrument": "Instrument",
        "filters.ask": "Funding ask, USD millions",
        "filters.language": "Language",
        "filters.aifc_only": "AIFC-linked only",
        "filters.ask_range": "Funding ask",
        "filters.none": "All published projects (no filters)",
        "card.ask": "ask",
        "card.score": "Score",
        "card.evidence": "Sentences that stand out:",
        "card.unknown": "unknown",
        "card.stage_unknown": "stage unknown",
        "card.why": "Why this match",
        "workflow.passport_move": "A passport that is {start} cannot become {to}; possible next steps for you: {options}",
        "workflow.nothing": "none",
        "workflow.passport_role": "Only these roles may move a passport from {start} to {to}: {roles}",
        "workflow.passport_owner": "Only the owner of this passport may do that",
        "workflow.passport_incomplete": "This passport cannot become {to} yet; it still needs: {needs}",
        "workflow.passport_locked": "This passport is {status}: it can be edited only as a draft or when changes are requested",
        "workflow.review_reason": "Say why: choose a reason ({reasons}) so the owner knows what to fix",
        "workflow.review_note": "Add a note for the owner: what exactly should change, or why it was rejected",
        "workflow.aifc_staff": "Only hub staff verify AIFC links",
        "workflow.aifc_none": "This project claims no AIFC link: there is nothing to verify",
        "workflow.interest_unpublished": "Interest can be expressed in published projects only",
        "workflow.interest_move": "An interest that is {start} cannot become {to}; next: {options}",
        "workflow.interest_closed": "none (this interest is closed)",
        "workflow.decline_reason": "Choose why you pass ({reasons}): the owner sees the reason",
        "workflow.accept_owner": "Only the project's owner may accept an interest",
        "workflow.accept_stage": "An interest that is {stage} cannot be accepted; wait until it is Interested",
        "explain.score": "Score {score} = {terms}",
        "explain.term": "{factor} {value}",
        "explain.fails": "Fails: {constraints}",
        "explain.passes": "Passes: {constraints}",
        "explain.evidence": "Sentences that stand out: {quotes}",
        "explain.quote": "“{sentence}”",
        "explain.no_evidence": "No single sentence stands out; the text as a whole decides",
        "explain.unknown": "Some facts are unknown (the listing does not give them): confidence {confidence}",
        "explain.diversity": "Placed below {count} slightly lower-scored match(es) so that no region or sector fills the page",
        "explain.near_copies": "Near-identical listing(s) left off this page: {ids}",
        "explain.floor": "Only {found} result(s) are relevant enough to show; weaker ones are left out. Try other words or fewer filters.",
        "explain.duplicate": "Probably a duplicate: {reason}.",
        "explain.fewer": "Only {found} match(es) pass every hard constraint; {requested} were asked for. Nothing else is shown in their place.",
        "constraint.region_named": "{region} is named in the mandate",
        "constraint.region_country": "{region} lies in covered {country}",
        "constraint.region_neighbour": "{region} lies in a neighbouring country ({country})",
        "constraint.region_outside": "{region} ({country}) is outside the mandate's regions",
        "constraint.stage_ok": "stage {stage} is among {stages}",
        "constraint.stage_fails": "stage {stage} is not among {stages}",
        "constraint.stage_unknown": "stage unknown (the mandate takes {stages})",
        "constraint.instrument_ok": "instruments in common: {instruments}",
        "constraint.instrument_fails": "no instrument in common",
        "constraint.instrument_unknown": "instruments unknown",
        "constraint.ticket_ok": "ask {ask} within ticket {low}–{high} (±{tolerance})",
        "constraint.ticket_fails": "ask {ask} outside ticket {low}–{high} (±{tolerance})",
        "constraint.ticket_unknown": "ask unknown (ticket {low}–{high})",
        "constraint.sector_ok": "no excluded sector",
        "constraint.sector_fails": "excluded sector: {sectors}",
        "export.csv": "Download CSV",
        "export.xlsx": "Download Excel",
        "table.id": "ID",
        "table.title": "Title",
        "table.region": "Region",
        "table.country": "Country",
        "table.sectors": "Sectors",
        "table.stage": "Stage",
        "table.ask_usd": "Ask (USD)",
        "table.aifc": "AIFC link",
        "table.language": "Language",
        "table.rank": "Rank",
        "table.score": "Score",
        "table.explanation": "Explanation",
        "explore.title": "Explore projects",
        "explore.query": "What are you looking for?",
        "explore.placeholder": "e.g. electric buses, солнечная энергия, telemedicine in Kyrgyzstan",
        "explore.count": "{shown} project(s) shown",
        "explore.strong": "Strong match for your search",
        "explore.relevant": "Relevant to your search",
        "explore.open": "Open",
        "explore.none": "No published project matches these filters.",
        "project.choose": "Type to find a published project by title or id, or pick one on Explore",
        "project.pick": "Project",
        "profile.ticket_usd": "Tickets of about {low} – {high} (FX table of {day}).",
        "aifc.open_hint": "{n} listing(s). Select a row to open its project page.",
        "project.unknown": "No published project has the id {id}: it may have been archived. Pick another below.",
        "project.ask": "Funding ask",
        "project.total_cost": "Total cost",
        "project.owner": "Owner",
        "project.description": "Description",
        "project.location": "Location",
        "project.instruments": "Instruments sought",
        "project.sdgs": "SDGs",
        "project.aifc": "AIFC link",
        "project.public_only": "Public fields only: contacts are shared when the owner accepts an investor's "
        "interest.",
        "project.for_you": "How this project fits your mandate",
        "project.similar": "Similar projects",
        "project.duplicate": "possible duplicate",
        "interest.now": "Your interest: {stage}",
        "interest.none": "none yet",
        "interest.move_to": "Move to",
        "interest.reason": "Reason (when declining)",
        "interest.note": "Note (optional)",
        "interest.save": "Save",
        "interest.saved": "Saved: {stage}",
        "interests.none": "No interests yet: shortlist projects from your matches.",
        "interests.contacts": "Introduced: the owner accepted. Contact {who} at {email}",
        "aifc.title": "AIFC-linked listings",
        "aifc.intro": "Projects whose owner is AIFC-registered, that list or raise on AIX, or that an AIFC body "
        "supports (such as the Green Finance Centre).",
        "aifc.types": "Link types",
        "matches.title": "My matches",
        "matches.inactive": "This investor profile is not active, so it is not matched.",
        "matches.top": "How many matches",
        "matches.passing": "{passing} published project(s) pass your mandate's hard constraints.",
        "matches.tab_matches": "Matches",
        "matches.tab_interests": "My interests",
        "matches.tab_why": "Why not higher?",
        "matches.tab_saved": "Saved searches",
        "matches.shortlist": "Shortlist",
        "matches.shortlisted": "Shortlisted: {title}",
        "matches.open": "Open project",
        "why.intro": "Pick any published project to see its score, each factor and the constraints it passes "
        "or fails for your mandate.",
        "why.project": "Project",
        "why.ranked": "It is number {rank} in your matches.",
        "why.fails": "It fails a hard constraint of your mandate, so it is not shown among your matches.",
        "why.below": "It passes your mandate but scores {score}, below your last match ({lowest}).",
        "saved.name": "Name of the search",
        "saved.query": "Text (optional)",
        "saved.save": "Save this search with the current filters",
        "saved.done": "Saved: {name}",
        "saved.entry": "{name} — {new} new since your last visit",
        "saved.seen": "Mark as seen",
        "profile.title": "My profile",
        "profile.thesis": "Investment thesis",
        "profile.excluded": "Excluded sectors",
        "profile.regions": "Countries and regions covered",
        "profile.whole_country": " (whole country)",
        "profile.ticket_min": "Minimum ticket",
        "profile.ticket_max": "Maximum ticket",
        "profile.currency": "Currency",
        "profile.esg": "ESG / green mandate",
        "profile.live_count": "Published projects passing this mandate",
        "profile.incomplete": "Choose stages, instruments, regions and valid ticket amounts to see the count.",
        "profile.save": "Save profile",
        "profile.saved": "Profile saved; your matches are updated.",
        "submit.title": "Submit a proposal",
        "submit.step": "Step {n} of {total}: {name}",
        "submit.editing": "Editing {id}",
        "submit.suggested": "Suggested from your text — sectors: {sectors}; SDGs: {sdgs}",
        "submit.contact_private": "Your contact stays private until you accept an investor's interest.",
        "submit.fix_first": "Before you can submit, these fields need attention (a draft can be saved as it is, unless a value is wrong):",
        "submit.completeness": "Completeness {pct}",
        "submit.missing": "Missing: {parts}",
        "submit.eligibility": "Admission criteria",
        "submit.likely": "Investors likely to be interested: {n}",
        "submit.no_investors": "No investor's mandate covers this project yet.",
        "submit.names_later": "Names are shown once the project is published.",
        "submit.save_draft": "Save draft",
        "queue.duplicate_of": "Possible duplicate of {title} ({id}, {status}): {reason}",
        "import.as_draft": "Store incomplete project rows as drafts (and list what each still needs)",
        "import.ignored_columns": "Columns not in the template were not read: {columns}",
        "import.errors": "Errors (rows not imported)",
        "import.needs": "Stored as drafts: still needed before submission",
        "import.warnings": "Warnings: values worth a second look",
        "edit.drafts": "Drafts to complete: {n}",
        "edit.needs": "Still needs",
        "edit.unknown_help": "Write unknown if the listing does not say",
        "proposals.needs": "Still needed before it can be submitted: {needs}",
        "submit.instruments_unknown": "The instruments are not decided yet (unknown)",
        "submit.ask_unknown": "The amount to raise is not known yet (unknown)",
        "submit.submit": "Submit for review",
        "submit.saved_as": "Saved as {id}: {status}",
        "submit.back": "Back",
        "submit.next": "Next",
        "submit.new": "Start a new proposal",
        "proposals.title": "My proposals",
        "proposals.none": "You have no proposals yet.",
        "proposals.status": "{status} since {date}",
        "proposals.count": "Proposals",
        "proposals.published": "Published",
        "proposals.interests": "Expressions of interest",
        "proposals.open": "Open the project page",
        "proposals.fitting": "**{n}** active investors' mandates fit this project (region, stage, instrument, ticket and sectors).",
        "proposals.next_draft": "finish the passport and submit it for review.",
        "proposals.next_submitted": "waiting for hub staff to review it.",
        "proposals.next_in_review": "hub staff are reviewing it.",
        "proposals.next_changes_requested": "see the feedback below, edit the passport and submit it again.",
        "proposals.next_published": "investors can find it in search and in their matches.",
        "proposals.next_rejected": "see the reason below; you can submit a new proposal.",
        "proposals.next_archived": "no longer shown to investors.",
        "proposals.edit": "Edit",
        "proposals.archive": "Archive",
        "proposals.archived": "Archived: {title}. It no longer appears in search or matches.",
        "proposals.interest": "Expressions of interest: {n}",
        "proposals.accept": "Accept and share contacts",
        "proposals.accepted": "Introduced to {investor}: you now see each other's contacts.",
        "proposals.contacts": "Introduced: contact {investor}",
        "queue.title": "Curation",
        "queue.tab_queue": "Review queue",
        "queue.tab_import": "Bulk import",
        "queue.tab_edit": "Edit a listing",
        "queue.tab_index": "Search index",
        "queue.tab_audit": "Audit log",
        "queue.count": "Showing {start}–{end} of {shown}, oldest submission first",
        "queue.waiting": "Passports waiting",
        "queue.empty": "Nothing waiting here: every passport in this view has a decision.",
        "queue.possible_duplicates": "Possible duplicates",
        "queue.aifc_pending": "AIFC links to verify",
        "queue.focus": "Show",
        "queue.focus_all": "All waiting",
        "queue.focus_duplicates": "Possible duplicates",
        "queue.focus_aifc": "AIFC link to verify",
        "queue.aifc_recorded": "AIFC link {state}: {title}",
        "queue.completeness": "Completeness {pct}",
        "queue.closest": "Closest published listings: {titles}",
        "queue.aifc_unchecked": "not yet verified",
        "queue.aifc_ok": "verified",
        "queue.aifc_bad": "could not be verified",
        "queue.aifc_confirm": "Confirm AIFC link",
        "queue.aifc_reject": "Cannot verify",
        "queue.decision": "Decision",
        "queue.reason": "Reason (for changes or rejection)",
        "queue.note": "Note to the owner",
        "queue.apply": "Apply",
        "queue.done": "Done: {status} — {title}",
        "import.kind": "What to import",
        "import.file": "CSV, Excel or JSON file in the import template",
        "import.skip_invalid": "Import the valid rows and report the rest",
        "import.run": "Import",
        "import.progress": "Importing: {done} of {total}",
        "import.line": "Line",
        "import.field": "Field",
        "import.message": "What to fix",
        "edit.project": "Listing",
        "edit.save": "Save changes",
        "edit.saved": "Saved; the search index is updated.",
        "index.state": "{projects} published projects and {investors} active investors indexed (model {model}).",
        "index.run": "Bring the search index up to date",
        "index.running": "Updating the search index…",
        "audit.when": "When (UTC)",
        "audit.who": "Who",
        "audit.what": "What",
        "audit.entity": "Record",
        "audit.details": "Details",
        "insights.title": "Insights",
        "chart.region_hover": "{region}: {n} project(s), {ask} sought",
        "chart.usd_millions": "USD M",
        "chart.gap_hover": "demand − supply: USD %{z:,.1f} M",
        "insights.map": "Where the projects are",
        "insights.map_caption": "Published projects per region; bubble size follows the funding sought.",
        "insights.gap": "Where the capital gap is",
        "insights.gap_caption": "Demand (published asks) minus supply (active investors' maximum tickets), USD "
        "millions, per sector and country. Each ask and ticket is split evenly over the sectors and countries "
        "it names. Red: more sought than offered.",
        "insights.pipeline": "Pipeline by status",
        "insights.sdgs": "SDGs",
        "insights.sectors": "Sectors",
        "insights.exposure": "Is any region starved?",
        "insights.share_listings": "share of listings",
        "insights.share_top10": "share of top-10 appearances",
        "insights.exposure_caption": "Each region's share of all projects in investors' top 10s against its "
        "share of listings; the most under-exposed first.",
    }
}


def t(key: str, language: str = "en", **values: object) -> str:
    """The text for ``key`` in ``language`` (falling back to English), with ``values`` filled in."""
    catalogue = MESSAGES.get(language, MESSAGES["en"])
    text = catalogue.get(key) or MESSAGES["en"].get(key) or key
    return text.format(**values) if values else text


def usd(amount: float) -> str:
    """A US-dollar amount for people: USD 650 k, USD 1.2 M, USD 3.81 bn."""
    if amount >= 1e9:
        return f"USD {amount / 1e9:,.2f} bn"
    if amount >= 1e6:
        return f"USD {amount / 1e6:,.1f} M"
    return f"USD {amount / 1e3:,.0f} k"


@dataclass(frozen=True)
class Vocab:
    """A vocabulary code shown by its label: ``Vocab("stage", "seed")`` reads "Seed"."""

    family: str
    code: str

    def render(self, language: str = "en") -> str:
        return t(f"{self.family}.{self.code}", language)


@dataclass(frozen=True)
class Text:
    """A sentence to show: a catalogue key and its values, rendered in the reader's language.

    A value may be another ``Text``, a ``Vocab`` code, reference data with names per language
    (regions, countries, sectors), a sequence of those (joined with commas) or anything ``str``
    shows as it is (numbers, amounts, titles)."""

    key: str
    values: Mapping[str, object] = field(default_factory=dict)

    def render(self, language: str = "en") -> str:
        return t(self.key, language, **{name: _show(value, language) for name, value in self.values.items()})


def _show(value: object, language: str) -> str:
    if isinstance(value, Text | Vocab):
        return value.render(language)
    if isinstance(value, Named):
        return value.name(language)
    if isinstance(value, list | tuple):
        return ", ".join(_show(item, language) for item in value)
    return str(value)
