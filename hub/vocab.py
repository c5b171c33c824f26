"""Closed vocabularies: the lowercase slugs that forms, imports and the database share."""

from __future__ import annotations

from enum import StrEnum


class Stage(StrEnum):
    """Project maturity, ordered from earliest to latest."""

    IDEA = "idea"
    SEED = "seed"
    EARLY = "early"
    GROWTH = "growth"
    EXPANSION = "expansion"
    MATURE = "mature"

    @property
    def rank(self) -> int:
        """Position in the maturity order: idea is 0, mature is 5."""
        return list(Stage).index(self)


class Instrument(StrEnum):
    EQUITY = "equity"
    DEBT = "debt"
    MEZZANINE = "mezzanine"
    PPP = "ppp"
    GRANT = "grant"


class Status(StrEnum):
    """Where a project passport stands in the listing workflow."""

    DRAFT = "draft"
    SUBMITTED = "submitted"
    IN_REVIEW = "in_review"
    CHANGES_REQUESTED = "changes_requested"
    PUBLISHED = "published"
    REJECTED = "rejected"
    ARCHIVED = "archived"


class AifcLink(StrEnum):
    """How a project is linked to the Astana International Financial Centre."""

    NONE = "none"
    AIFC_REGISTERED = "aifc_registered"
    AIX_LISTED = "aix_listed"
    GREEN_FINANCE_CENTRE = "green_finance_centre"
    OTHER = "other"


class InvestorType(StrEnum):
    VC = "vc"
    PE = "pe"
    DFI = "dfi"
    STATE_FUND = "state_fund"
    CORPORATE = "corporate"
    ANGEL = "angel"
    FAMILY_OFFICE = "family_office"
    BANK = "bank"


class Language(StrEnum):
    EN = "en"
    RU = "ru"
    KK = "kk"


class Role(StrEnum):
    INVESTOR = "investor"
    PROJECT_OWNER = "project_owner"
    HUB_STAFF = "hub_staff"
    ADMIN = "admin"
    SYSTEM = "system"  # the command line and start-up jobs: not an account anyone signs in to


class InterestStage(StrEnum):
    """An investor's interest ladder for one project; declined ends it."""

    WATCHING = "watching"
    INTERESTED = "interested"
    IN_DISCUSSION = "in_discussion"
    COMMITTED = "committed"
    DECLINED = "declined"


class DeclineReason(StrEnum):
    """Structured reasons an investor passes, so owners hear why."""

    OUTSIDE_MANDATE = "outside_mandate"
    TICKET_SIZE = "ticket_size"
    STAGE = "stage"
    GEOGRAPHY = "geography"
    TEAM = "team"
    TRACTION = "traction"
    VALUATION_OR_TERMS = "valuation_or_terms"
    INCOMPLETE_INFORMATION = "incomplete_information"
    RISK = "risk"
    OTHER = "other"


def slugs(vocabulary: type[StrEnum]) -> list[str]:
    """All slugs of a vocabulary, in declaration order."""
    return [member.value for member in vocabulary]


class ReviewDecision(StrEnum):
    APPROVE = "approve"
    REQUEST_CHANGES = "request_changes"
    REJECT = "reject"


class ReviewReason(StrEnum):
    """Structured reasons staff give when a passport is sent back or rejected."""

    INCOMPLETE = "incomplete"
    OUT_OF_SCOPE = "out_of_scope"
    NOT_ELIGIBLE = "not_eligible"
    DUPLICATE = "duplicate"
    AIFC_LINK_UNVERIFIED = "aifc_link_unverified"
    UNCLEAR_FINANCIALS = "unclear_financials"
    QUALITY = "quality"
    OTHER = "other"
