"""Every string shown to people goes through ``t``; English now, Russian and Kazakh later.

Keys are ``area.name``; vocabulary labels are ``stage.seed``, ``status.published`` and so on.
A test checks that every key the UI uses exists here. The domain never formats a sentence for
people itself: it returns a :class:`Text` (a key and its values, which may be vocabulary codes
or reference data named in each language), rendered by whoever shows it, in their language.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

from babel import Locale
from babel.dates import format_date
from babel.numbers import format_compact_currency, format_currency, format_decimal

from hub import catalogues, lang
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
        Role.SYSTEM: "System (command line)",
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
        Role.ADMIN: "Administration",
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

_CODE_THEN_DIGIT = re.compile(r"\b([A-Z]{3})(?=[\d-])")

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
        "nav.matches_new": "My matches · {n} new",
        "nav.profile": "My profile",
        "nav.submit": "Submit a proposal",
        "nav.proposals": "My proposals",
        "nav.queue": "Curation",
        "start.loading": "First start: loading the demo data set…",
        "database.unreachable": "HubMatch cannot reach its database ({url}): {reason}. Check that the database server is running and that HUB_DATABASE_URL names it correctly, then try again (reload the page).",
        "database.too_new": "The database's schema is at migration {found}, newer than this release of HubMatch knows (its latest is {latest}). Run the release that upgraded the database, or restore a backup taken before the upgrade.",
        "start.progress": "Loading demo data: {done} of {total} rows",
        "start.done": "Demo data loaded: {summary}",
        "start.index": "Preparing the search indexes…",
        "start.index_progress": "Embedding {what}: {done} of {total}",
        "start.explain": "HubMatch is getting ready for first use: it loads the demo data and builds the search index that matching relies on, which takes about a minute on a laptop.",
        "start.keep_open": "This happens only once. Keep this tab open: the home page appears by itself when everything is ready.",
        "start.waiting": "HubMatch is being prepared for another visitor's first start; this page opens when it is ready.",
        "start.seeded": "Demo data loaded ({projects} projects, {investors} investors)",
        "start.what_projects": "projects",
        "start.what_investors": "investors",
        "start.what_sentences": "the sentences explanations quote",
        "start.done_projects": "Search index built: {total} projects",
        "start.done_investors": "Search index built: {total} investors",
        "start.done_sentences": "Explanation sentences embedded: {total}",
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
        "permission.sign_up_role": "Accounts signed up here are for {roles}; hub staff accounts are created by an administrator",
        "nav.sign_in": "Sign in",
        "nav.account": "My account",
        "nav.account_section": "Account",
        "nav.users": "Accounts and roles",
        "auth.title": "Sign in to HubMatch",
        "auth.sign_in": "Sign in",
        "auth.sign_up": "Create an account",
        "auth.sign_out": "Sign out",
        "auth.signed_out": "You are signed out.",
        "auth.email": "Email",
        "auth.password": "Password",
        "auth.password_again": "Password again",
        "auth.password_help": "At least {n} characters; a passphrase of a few words is good",
        "auth.passwords_differ": "The two passwords differ: type the same password twice",
        "auth.name": "Your name",
        "auth.organisation": "Organisation",
        "auth.role": "Role",
        "auth.welcome": "Welcome, {name}.",
        "auth.signed_in_as": "Signed in as {name} ({email}), {role}.",
        "auth.signed_in_short": "Signed in: {name} · {role}",
        "auth.expired": "Your session ended after a while without activity: sign in again.",
        "auth.sign_in_first": "Sign in to see this page.",
        "auth.demo": "Demo accounts",
        "auth.demo_note": "Demo mode only: try HubMatch as one of the demo data's accounts, without a password. A deployment on a real database has no demo mode.",
        "auth.demo_acting": "Acting as a demo account: {role}. Change it in the sidebar.",
        "matches.no_profile": "Describe your organisation's mandate on My profile first: your matches start from it.",
        "profile.create_intro": "Your account has no organisation profile yet. Describe your organisation and its mandate: matching starts once it is saved.",
        "profile.name": "Organisation",
        "profile.type": "Type of investor",
        "admin.title": "Accounts and roles",
        "admin.create": "Create an account",
        "admin.created": "Created {email} ({role}).",
        "admin.change_role": "Change a role",
        "admin.changed": "{email} is now {role}.",
        "admin.can_sign_in": "Can sign in",
        "admin.last_login": "Last sign-in",
        "admin.demo": "Demo",
        "permission.demo_off": "Demo accounts exist only in demo mode",
        "permission.admin_only": "Only an administrator may manage accounts and roles",
        "permission.admin_backup": "Only an administrator may back up or restore the database",
        "permission.staff_only": "Only hub staff may do that",
        "permission.owners_only": "Only a project owner (or hub staff) may save a project passport",
        "permission.investors_only": "Only an investor may do that, for their own organisation",
        "permission.sign_in_first": "Sign in first",
        "permission.unknown_language": "'{code}' is not an interface language: use en, ru or kk",
        "lang.label": "Language",
        "card.original_language": "Shown as its owner wrote it, in {name}.",
        "lang.en": "English",
        "lang.ru": "Русский",
        "lang.kk": "Қазақша",
        "permission.not_your_passport": "This passport belongs to another owner: you can act only on your own",
        "permission.not_your_profile": "This is another investor's profile: you can edit only your own organisation's",
        "permission.not_your_interest": "Only the investor and the project's owner may see this interest's contacts",
        "permission.not_your_search": "That saved search is not yours",
        "edit.stale": "{what} was saved by someone else while you were editing (now version {version}, yours {yours}): nothing was overwritten. Reload to see their changes, then apply yours again",
        "edit.stale_race": "Someone saved this record at the same moment: nothing was overwritten. Reload it and apply your changes again",
        "account.bad_email": "'{email}' is not a valid email address ({reason})",
        "account.bad_role": "'{role}' is not a role: use one of {roles}",
        "account.short_password": "The password is too short: use at least {n} characters",
        "account.no_name": "Give a name to show with your account",
        "account.taken": "An account with the email {email} exists already: sign in instead",
        "account.unclaimed": "The hub already holds listings for {email}: to protect them, ask hub staff to set up this account for you",
        "account.wrong": "The email or the password is wrong",
        "account.locked": "Too many failed sign-ins: this account is locked until {until}. Try again then",
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
        "matches.move_watching": "Shortlist",
        "matches.move_interested": "I'm interested",
        "matches.move_in_discussion": "In discussion",
        "matches.move_committed": "Committed",
        "matches.moved": "{title}: {stage}",
        "matches.introduced": "introduced, contacts shared",
        "matches.new": "New since your last visit",
        "matches.only_new": "Only new since your last visit ({n})",
        "matches.new_help": "Projects published since your previous visit that fit your mandate, however far "
        "down the ranking they are.",
        "matches.new_count": "{n} project(s) published since your last visit fit your mandate, best first.",
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
        "import.confirm_contacts": "Allow rows to replace the contact of listings their owners manage (check with the owners first)",
        "audit.filter_action": "Action starts with",
        "audit.filter_who": "Actor contains",
        "import.limits": "Up to {mb} MB and {rows} rows per file",
        "import.sheet": "Sheet (Excel workbooks with several data sheets)",
        "import.sheet_help": "The name of the sheet to import; leave empty when the workbook has one data sheet",
        "import.as_draft": "Store incomplete project rows as drafts (and list what each still needs)",
        "import.ignored_columns": "Columns not in the template were not read: {columns}",
        "import.errors": "Errors (rows not imported)",
        "import.needs": "Stored as drafts: still needed before submission",
        "import.warnings": "Warnings: values worth a second look",
        "edit.drafts": "Drafts to complete: {n}",
        "edit.needs": "Still needs",
        "edit.unknown_help": "Write unknown if the listing does not say",
        "proposals.needs": "Still needed before it can be submitted: {needs}",
        "submit.save_draft_help": "Keep what you have so far; you can come back and complete it before submitting",
        "submit.instruments_unknown": "The instruments are not decided yet (unknown)",
        "submit.ask_unknown": "The amount to raise is not known yet (unknown)",
        "submit.submit": "Submit for review",
        "submit.saved_as": "Saved as {id}: {status}",
        "submit.back": "Back",
        "submit.next": "Next",
        "submit.new": "Start a new proposal",
        "submit.recap": "Your passport as reviewers and investors will read it",
        "submit.confirmed_title": "Submitted for review",
        "submit.confirmed": "{title} ({id}) is with the hub's staff now. They check it against the admission "
        "criteria, usually within a few working days; you will see their decision and any feedback under My "
        "proposals.",
        "submit.to_proposals": "See my proposals",
        "profile.restored": "Your edits from earlier are back: they are not saved yet. Save them, or discard them.",
        "profile.discard": "Discard my edits",
        "project.verdict_fits": "Fits your mandate",
        "project.recent": "Recently published",
        "project.featured": "AIFC-linked listings",
        "project.open": "Open",
        "mandate.region": "region",
        "mandate.stage": "stage",
        "mandate.instrument": "instrument",
        "mandate.ticket": "ticket",
        "mandate.excluded_sector": "excluded sector",
        "project.verdict_outside": "Outside your mandate: {failed}",
        "interests.contacts_team": "Introduced: the owner accepted. Contact the team of {title} at {email}",
        "proposals.title": "My proposals",
        "proposals.none": "You have no proposals yet.",
        "proposals.status": "{status} · last changed {date}",
        "proposals.count": "Proposals",
        "proposals.published": "Published",
        "proposals.interests": "Expressions of interest",
        "proposals.open": "Open the project page",
        "proposals.fitting": "**{n}** active investors' mandates fit this project (region, stage, instrument and ticket, with no excluded sector).",
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
        "queue.count": "Showing {start}–{end} of {shown}, {order}",
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
        "queue.search": "Search the queue",
        "queue.search_placeholder": "Title, id or owner",
        "queue.no_match": "No waiting passport matches this search: try fewer words, or another view.",
        "queue.sort": "Order",
        "queue.sort_oldest": "oldest submission first",
        "queue.sort_newest": "newest submission first",
        "queue.sort_least_complete": "least complete first",
        "queue.sort_largest_ask": "largest ask first",
        "queue.sort_title": "by title",
        "queue.overview": "Overview of the {n} passports as a table (click a column to sort)",
        "queue.col_submitted": "Submitted",
        "queue.col_complete": "Complete",
        "queue.col_criteria": "Criteria met",
        "queue.col_duplicate": "Possible duplicate",
        "queue.submitted": "Submitted {day} ({ago})",
        "queue.submitted_unknown": "Submission date not recorded",
        "queue.days_ago": "{n} days ago",
        "queue.today": "today",
        "queue.no_summary": "No summary given.",
        "queue.no_description": "No description given.",
        "queue.full_description": "Full description",
        "queue.criteria": "Admission criteria",
        "queue.this_passport": "This passport",
        "queue.choose_decision": "Choose a decision first: nothing was changed.",
        "criterion.location": "Location",
        "criterion.sector": "Sector",
        "criterion.size": "Size of the ask",
        "criterion.description": "Description",
        "criterion.impact": "Impact",
        "money.with_usd": "{amount} (about {usd})",
        "table.status": "Status",
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


def t(key: str, language: str | None = None, **values: object) -> str:
    """The text for ``key`` in ``language`` (by default the reader's, ``hub.lang.current``),
    falling back to English, with ``values`` filled in."""
    language = language or lang.current()
    english = MESSAGES["en"]
    text = (catalogues.load(language).get(key) if language != "en" else None) or english.get(key) or key
    return text.format(**values) if values else text


def money(amount: float, currency: str = "USD", language: str | None = None) -> str:
    """An amount for people, in the reader's locale and one style everywhere (Babel, CLDR):
    "USD 12.5M" / "12,5 млн $" / "500 млн ₸"; below 10,000 in full ("USD 950")."""
    locale = language or lang.current()
    amount = float(amount)
    if abs(amount) >= 1e4:
        digits = 2 if abs(amount) >= 1e9 else 1 if abs(amount) >= 1e6 else 0
        text = format_compact_currency(amount, currency, locale=locale, fraction_digits=digits)
    else:
        pattern = Locale.parse(locale).currency_formats["standard"].pattern.replace("0.00", "0")
        text = format_currency(amount, currency, format=pattern, locale=locale, currency_digits=False)
    # CLDR's English glues a currency code to the digits ("KZT500M"): a space reads better
    return _CODE_THEN_DIGIT.sub("\\1\u00a0", text)


def number(value: float, language: str | None = None) -> str:
    """A number in the reader's locale: 1,234,567 / 1 234 567."""
    return format_decimal(value, locale=language or lang.current())


def day(value: date | datetime, language: str | None = None) -> str:
    """A date in the reader's locale: 30 Nov 2026 / 30 нояб. 2026 г. / 30 қар. 2026."""
    when = value.date() if isinstance(value, datetime) else value
    return format_date(when, format="medium", locale=language or lang.current())


def usd(amount: float) -> str:
    """A US-dollar amount for people (see ``money``)."""
    return money(amount, "USD")


@dataclass(frozen=True)
class Vocab:
    """A vocabulary code shown by its label: ``Vocab("stage", "seed")`` reads "Seed"."""

    family: str
    code: str

    def render(self, language: str | None = None) -> str:
        return t(f"{self.family}.{self.code}", language)


@dataclass(frozen=True)
class Text:
    """A sentence to show: a catalogue key and its values, rendered in the reader's language.

    A value may be another ``Text``, a ``Vocab`` code, reference data with names per language
    (regions, countries, sectors), a sequence of those (joined with commas) or anything ``str``
    shows as it is (numbers, amounts, titles)."""

    key: str
    values: Mapping[str, object] = field(default_factory=dict)

    def render(self, language: str | None = None) -> str:
        return t(self.key, language, **{name: _show(value, language) for name, value in self.values.items()})


def _show(value: object, language: str | None) -> str:
    if isinstance(value, Text | Vocab):
        return value.render(language)
    if isinstance(value, Named):
        return value.name(language)
    if isinstance(value, list | tuple):
        return ", ".join(_show(item, language) for item in value)
    return str(value)


class ExplainedError(Exception):
    """An error whose message is a catalogue ``Text`` (``<prefix><key>``): ``str(error)`` is
    rendered in the language of the run that raised it, ``text.render(language)`` in any."""

    prefix = ""

    def __init__(self, key: str, **values: object) -> None:
        self.text = Text(f"{self.prefix}{key}", values)
        super().__init__(self.text.render())
