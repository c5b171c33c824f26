"""The typed ORM: reference tables, investors, project passports, accounts, interest, audit.

Money is exact: amounts are ``Decimal`` in Python and integer minor units (1/100 of the
currency unit) in the database, always next to their ISO 4217 currency code. Timestamps
are timezone-aware UTC.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
    TypeDecorator,
    UniqueConstraint,
    true,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

MINOR_UNITS = Decimal(100)


def utcnow() -> datetime:
    return datetime.now(UTC)


class Money(TypeDecorator[Decimal]):
    """A ``Decimal`` amount stored exactly as a whole number of minor units (cents)."""

    impl = BigInteger
    cache_ok = True

    def process_bind_param(self, value: Decimal | None, dialect: Any) -> int | None:
        if value is None:
            return None
        minor = Decimal(value) * MINOR_UNITS
        if minor != minor.to_integral_value():
            raise ValueError(f"{value} has more than two decimal places")
        return int(minor)

    def process_result_value(self, value: int | None, dialect: Any) -> Decimal | None:
        if value is None:
            return None
        return (Decimal(value) / MINOR_UNITS).quantize(Decimal("0.01"))


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC datetime, also on SQLite (which stores no zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: pass an aware UTC datetime")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    pass


# --- reference data -------------------------------------------------------------------------


class Country(Base):
    __tablename__ = "countries"

    code: Mapped[str] = mapped_column(String(2), primary_key=True)  # ISO 3166-1 alpha-2
    name_en: Mapped[str] = mapped_column(String(80))
    name_ru: Mapped[str] = mapped_column(String(80))
    name_kk: Mapped[str] = mapped_column(String(80))
    currency: Mapped[str] = mapped_column(String(3))
    neighbours: Mapped[list[str]] = mapped_column(JSON, default=list)


class Region(Base):
    __tablename__ = "regions"

    code: Mapped[str] = mapped_column(String(10), primary_key=True)  # ISO 3166-2
    country_code: Mapped[str] = mapped_column(ForeignKey("countries.code"), index=True)
    type: Mapped[str] = mapped_column(String(20))
    name_en: Mapped[str] = mapped_column(String(80))
    name_ru: Mapped[str] = mapped_column(String(80))
    name_kk: Mapped[str] = mapped_column(String(80))
    capital_en: Mapped[str] = mapped_column(String(80))
    capital_ru: Mapped[str] = mapped_column(String(80))
    lat: Mapped[float] = mapped_column(Float)  # territorial centroid, degrees north
    lon: Mapped[float] = mapped_column(Float)  # territorial centroid, degrees east


class Sector(Base):
    __tablename__ = "sectors"

    slug: Mapped[str] = mapped_column(String(40), primary_key=True)
    name_en: Mapped[str] = mapped_column(String(120))
    name_ru: Mapped[str] = mapped_column(String(120))
    name_kk: Mapped[str] = mapped_column(String(120))
    nace_section: Mapped[str] = mapped_column(String(1))  # NACE Rev.2 = OKED section letter
    nace_codes: Mapped[list[str]] = mapped_column(JSON, default=list)
    green: Mapped[bool] = mapped_column(Boolean, default=False)


class Sdg(Base):
    __tablename__ = "sdgs"

    number: Mapped[int] = mapped_column(Integer, primary_key=True)  # UN SDG 1..17
    name_en: Mapped[str] = mapped_column(String(120))
    name_ru: Mapped[str] = mapped_column(String(120))
    name_kk: Mapped[str] = mapped_column(String(120))


# --- association tables -----------------------------------------------------------------------


def _link(name: str, owner: str, column: str, target: str, target_type: Any) -> Table:
    """A many-to-many table from ``owner`` rows (investors/projects) to a reference table."""
    return Table(
        name,
        Base.metadata,
        Column(f"{owner}_id", ForeignKey(f"{owner}s.id", ondelete="CASCADE"), primary_key=True),
        Column(column, target_type, ForeignKey(target), primary_key=True),
    )


project_sectors = _link("project_sectors", "project", "sector_slug", "sectors.slug", String(40))
project_sdgs = _link("project_sdgs", "project", "sdg_number", "sdgs.number", Integer)
investor_sectors = _link("investor_sectors", "investor", "sector_slug", "sectors.slug", String(40))
investor_excluded_sectors = _link(
    "investor_excluded_sectors", "investor", "sector_slug", "sectors.slug", String(40)
)
investor_regions = _link("investor_regions", "investor", "region_code", "regions.code", String(10))
investor_countries = _link("investor_countries", "investor", "country_code", "countries.code", String(2))


# --- accounts, investors, projects --------------------------------------------------------------


class Account(Base):
    """A person using HubMatch in one role (login arrives later; the model exists now)."""

    __tablename__ = "accounts"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    display_name: Mapped[str] = mapped_column(String(120))
    role: Mapped[str] = mapped_column(String(20))  # vocab.Role
    organisation: Mapped[str | None] = mapped_column(String(200))
    investor_id: Mapped[int | None] = mapped_column(ForeignKey("investors.id", ondelete="SET NULL"))
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Signing in: an argon2 hash (never the password), and the throttle on failed attempts.
    # An account without a hash (a demo or imported owner) cannot sign in with a password.
    password_hash: Mapped[str | None] = mapped_column(String(255))
    failed_logins: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    # An investor's last visit to their matches: projects published since then are "new".
    matches_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The interface language the person chose (en, ru, kk); None: not chosen yet.
    language: Mapped[str | None] = mapped_column(String(5))

    investor: Mapped[Investor | None] = relationship(back_populates="accounts")
    projects: Mapped[list[Project]] = relationship(back_populates="owner_account")


class Investor(Base):
    """An investor profile: who they are, their thesis and their hard mandate."""

    __tablename__ = "investors"

    id: Mapped[int] = mapped_column(primary_key=True)
    external_id: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    investor_type: Mapped[str] = mapped_column(String(20))  # vocab.InvestorType
    thesis: Mapped[str] = mapped_column(Text)
    stages: Mapped[list[str]] = mapped_column(JSON, default=list)  # vocab.Stage slugs
    instruments: Mapped[list[str]] = mapped_column(JSON, default=list)  # vocab.Instrument slugs
    ticket_min: Mapped[Decimal] = mapped_column(Money)  # in `currency`
    ticket_max: Mapped[Decimal] = mapped_column(Money)  # in `currency`
    currency: Mapped[str] = mapped_column(String(3))  # ISO 4217
    esg_mandate: Mapped[bool] = mapped_column(Boolean, default=False)
    aifc_participant: Mapped[bool] = mapped_column(Boolean, default=False)
    contact_email: Mapped[str] = mapped_column(String(254))
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)  # vocab.Language slugs
    active: Mapped[bool] = mapped_column(Boolean, default=True, index=True)
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")  # see Project.version

    __mapper_args__: ClassVar[dict[str, Any]] = {"version_id_col": version}

    sectors: Mapped[list[Sector]] = relationship(secondary=investor_sectors, order_by=Sector.slug)
    excluded_sectors: Mapped[list[Sector]] = relationship(
        secondary=investor_excluded_sectors, order_by=Sector.slug
    )
    regions: Mapped[list[Region]] = relationship(secondary=investor_regions, order_by=Region.code)
    countries: Mapped[list[Country]] = relationship(secondary=investor_countries, order_by=Country.code)
    accounts: Mapped[list[Account]] = relationship(back_populates="investor")
    interests: Mapped[list[Interest]] = relationship(back_populates="investor", cascade="all, delete-orphan")


class Project(Base):
    """A project passport: the public listing; confidential parts live in ProjectConfidential."""

    __tablename__ = "projects"

    id: Mapped[int] = mapped_column(primary_key=True)
    external_id: Mapped[str] = mapped_column(String(64), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text)
    owner_name: Mapped[str] = mapped_column(String(200))  # the owner organisation, public
    # A draft is stored with whatever it has: place, stage and ask may still be missing (None),
    # and its texts empty. Submission requires them (``schemas.missing_for_submission``).
    country_code: Mapped[str | None] = mapped_column(ForeignKey("countries.code"), index=True)
    region_code: Mapped[str | None] = mapped_column(ForeignKey("regions.code"), index=True)
    city: Mapped[str | None] = mapped_column(String(120))
    stage: Mapped[str | None] = mapped_column(String(20))  # vocab.Stage
    instruments: Mapped[list[str]] = mapped_column(JSON, default=list)  # vocab.Instrument slugs
    funding_ask: Mapped[Decimal | None] = mapped_column(Money)  # in `currency`
    # Facts the listing declares unknown ("stage", "instruments", "funding_ask"): their column is
    # empty on purpose, which submission accepts and matching treats as "does not say".
    unknown: Mapped[list[str]] = mapped_column(JSON, default=list)
    total_cost: Mapped[Decimal | None] = mapped_column(Money)  # in `currency`
    currency: Mapped[str] = mapped_column(String(3))  # ISO 4217
    expected_irr_pct: Mapped[float | None] = mapped_column(Float)  # percent per year
    payback_years: Mapped[float | None] = mapped_column(Float)
    jobs_created: Mapped[int | None] = mapped_column(Integer)
    green_certification: Mapped[str | None] = mapped_column(String(120))
    aifc_link: Mapped[str] = mapped_column(String(30), default="none")  # vocab.AifcLink
    aifc_reference: Mapped[str | None] = mapped_column(String(200))
    website: Mapped[str | None] = mapped_column(String(200))
    founded_year: Mapped[int | None] = mapped_column(Integer)
    team_size: Mapped[int | None] = mapped_column(Integer)
    past_investors: Mapped[str | None] = mapped_column(String(500))
    # Duplicate signals, normalised on save (``hub.duplicates``): the organisation's name without
    # its legal form, case or punctuation, and the website's registrable domain.
    org_key: Mapped[str | None] = mapped_column(String(200), index=True)
    name_key: Mapped[str | None] = mapped_column(String(200), index=True)  # the title, folded alike
    website_domain: Mapped[str | None] = mapped_column(String(200), index=True)
    language: Mapped[str] = mapped_column(String(2))  # vocab.Language
    status: Mapped[str] = mapped_column(String(20), index=True)  # vocab.Status
    owner_account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id", ondelete="SET NULL"))
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Bumped by every save; a save made from an older version is refused (two people editing
    # one proposal: the second is told, nothing is overwritten silently).
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    __mapper_args__: ClassVar[dict[str, Any]] = {"version_id_col": version}

    country: Mapped[Country] = relationship()
    region: Mapped[Region] = relationship()
    sectors: Mapped[list[Sector]] = relationship(secondary=project_sectors, order_by=Sector.slug)
    sdgs: Mapped[list[Sdg]] = relationship(secondary=project_sdgs, order_by=Sdg.number)
    confidential: Mapped[ProjectConfidential | None] = relationship(
        back_populates="project", cascade="all, delete-orphan"
    )
    owner_account: Mapped[Account | None] = relationship(back_populates="projects")
    interests: Mapped[list[Interest]] = relationship(back_populates="project", cascade="all, delete-orphan")


class ProjectConfidential(Base):
    """What only hub staff and, after the owner accepts, one investor may see."""

    __tablename__ = "project_confidential"

    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True)
    contact_name: Mapped[str | None] = mapped_column(String(120))
    contact_email: Mapped[str] = mapped_column(String(254), index=True)  # "" in a draft without one
    contact_phone: Mapped[str | None] = mapped_column(String(40), index=True)  # E.164, e.g. +77172000000
    financial_notes: Mapped[str | None] = mapped_column(Text)

    project: Mapped[Project] = relationship(back_populates="confidential")


class Interest(Base):
    """An investor's expression of interest in one project, moving up the interest ladder."""

    __tablename__ = "interests"
    __table_args__ = (UniqueConstraint("investor_id", "project_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    investor_id: Mapped[int] = mapped_column(ForeignKey("investors.id", ondelete="CASCADE"), index=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    stage: Mapped[str] = mapped_column(String(20))  # vocab.InterestStage
    decline_reason: Mapped[str | None] = mapped_column(String(40))  # vocab.DeclineReason
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    investor: Mapped[Investor] = relationship(back_populates="interests")
    project: Mapped[Project] = relationship(back_populates="interests")


class ProjectReview(Base):
    """A staff decision on a passport, with a structured reason the owner sees."""

    __tablename__ = "project_reviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    reviewer: Mapped[str] = mapped_column(String(254))
    decision: Mapped[str] = mapped_column(String(20))  # vocab.ReviewDecision
    reason: Mapped[str | None] = mapped_column(String(40))  # vocab.ReviewReason
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class AifcVerification(Base):
    """Staff's check of a project's claimed AIFC link."""

    __tablename__ = "aifc_verifications"

    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True)
    verified: Mapped[bool] = mapped_column(Boolean)
    verified_by: Mapped[str] = mapped_column(String(254))
    note: Mapped[str | None] = mapped_column(Text)
    verified_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Introduction(Base):
    """The owner accepted an investor's interest: both sides now see each other's contacts."""

    __tablename__ = "introductions"

    interest_id: Mapped[int] = mapped_column(ForeignKey("interests.id", ondelete="CASCADE"), primary_key=True)
    accepted_by: Mapped[str] = mapped_column(String(254))
    accepted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class SavedSearch(Base):
    """An investor's saved search; ``last_seen_at`` marks what counts as new."""

    __tablename__ = "saved_searches"

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    query: Mapped[str | None] = mapped_column(Text)
    filters: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class AuditEvent(Base):
    """One thing somebody did to the data: who, what, to which row, when."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(254))  # account email, or "cli" / "system"
    action: Mapped[str] = mapped_column(String(60))
    entity_type: Mapped[str] = mapped_column(String(30))
    entity_id: Mapped[int | None] = mapped_column(Integer)
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


# --- keeping app instances in step ----------------------------------------------------------------


class ChangeCounter(Base):
    """The revision of what matching reads: one row (id 1), raised by every transaction that
    writes a project or an investor, inside that transaction (``hub.changes``). Its row lock makes
    writers take revisions in commit order: an instance that has seen revision n has seen every
    change up to n."""

    __tablename__ = "change_counter"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    revision: Mapped[int] = mapped_column(BigInteger, default=0)
    pruned_before: Mapped[int] = mapped_column(BigInteger, default=0)  # older log rows are deleted


class Change(Base):
    """A project or an investor written at a revision; kind "all": re-read everything."""

    __tablename__ = "change_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    revision: Mapped[int] = mapped_column(BigInteger, index=True)
    kind: Mapped[str] = mapped_column(String(10))  # hub.changes.PROJECT, INVESTOR or EVERYTHING
    entity_id: Mapped[int | None] = mapped_column(Integer)
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
