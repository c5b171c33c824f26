"""The schema as the last release before migrations left it (``create_all`` of its models).

Frozen: it is what migration 0001 creates, and what a database made before migrations is brought
to before it is stamped 0001 (``hub.db.migrate``). Never edit it; change the schema with a new
migration in ``versions/``. Types are the database types: ``Money`` is a BIGINT of minor units,
``UTCDateTime`` a timezone-aware DATETIME.
"""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData()

sa.Table(
    "audit_events",
    metadata,
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("actor", sa.String(length=254), nullable=False),
    sa.Column("action", sa.String(length=60), nullable=False),
    sa.Column("entity_type", sa.String(length=30), nullable=False),
    sa.Column("entity_id", sa.Integer(), nullable=True),
    sa.Column("details", sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint("id"),
)

sa.Table(
    "countries",
    metadata,
    sa.Column("code", sa.String(length=2), nullable=False),
    sa.Column("name_en", sa.String(length=80), nullable=False),
    sa.Column("name_ru", sa.String(length=80), nullable=False),
    sa.Column("name_kk", sa.String(length=80), nullable=False),
    sa.Column("currency", sa.String(length=3), nullable=False),
    sa.Column("neighbours", sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint("code"),
)

sa.Table(
    "investors",
    metadata,
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("external_id", sa.String(length=64), nullable=False),
    sa.Column("name", sa.String(length=200), nullable=False),
    sa.Column("investor_type", sa.String(length=20), nullable=False),
    sa.Column("thesis", sa.Text(), nullable=False),
    sa.Column("stages", sa.JSON(), nullable=False),
    sa.Column("instruments", sa.JSON(), nullable=False),
    sa.Column("ticket_min", sa.BigInteger(), nullable=False),
    sa.Column("ticket_max", sa.BigInteger(), nullable=False),
    sa.Column("currency", sa.String(length=3), nullable=False),
    sa.Column("esg_mandate", sa.Boolean(), nullable=False),
    sa.Column("aifc_participant", sa.Boolean(), nullable=False),
    sa.Column("contact_email", sa.String(length=254), nullable=False),
    sa.Column("languages", sa.JSON(), nullable=False),
    sa.Column("active", sa.Boolean(), nullable=False),
    sa.Column("is_demo", sa.Boolean(), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("version", sa.Integer(), server_default="1", nullable=False),
    sa.PrimaryKeyConstraint("id"),
    sa.UniqueConstraint("external_id"),
)

sa.Table(
    "sdgs",
    metadata,
    sa.Column("number", sa.Integer(), nullable=False),
    sa.Column("name_en", sa.String(length=120), nullable=False),
    sa.Column("name_ru", sa.String(length=120), nullable=False),
    sa.Column("name_kk", sa.String(length=120), nullable=False),
    sa.PrimaryKeyConstraint("number"),
)

sa.Table(
    "sectors",
    metadata,
    sa.Column("slug", sa.String(length=40), nullable=False),
    sa.Column("name_en", sa.String(length=120), nullable=False),
    sa.Column("name_ru", sa.String(length=120), nullable=False),
    sa.Column("name_kk", sa.String(length=120), nullable=False),
    sa.Column("nace_section", sa.String(length=1), nullable=False),
    sa.Column("nace_codes", sa.JSON(), nullable=False),
    sa.Column("green", sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint("slug"),
)

sa.Table(
    "accounts",
    metadata,
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("email", sa.String(length=254), nullable=False),
    sa.Column("display_name", sa.String(length=120), nullable=False),
    sa.Column("role", sa.String(length=20), nullable=False),
    sa.Column("organisation", sa.String(length=200), nullable=True),
    sa.Column("investor_id", sa.Integer(), nullable=True),
    sa.Column("is_demo", sa.Boolean(), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("password_hash", sa.String(length=255), nullable=True),
    sa.Column("failed_logins", sa.Integer(), server_default="0", nullable=False),
    sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
    sa.Column("last_login_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("active", sa.Boolean(), server_default=sa.true(), nullable=False),
    sa.Column("matches_seen_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("language", sa.String(length=5), nullable=True),
    sa.ForeignKeyConstraint(["investor_id"], ["investors.id"], ondelete="SET NULL"),
    sa.PrimaryKeyConstraint("id"),
    sa.UniqueConstraint("email"),
)

sa.Table(
    "investor_countries",
    metadata,
    sa.Column("investor_id", sa.Integer(), nullable=False),
    sa.Column("country_code", sa.String(length=2), nullable=False),
    sa.ForeignKeyConstraint(
        ["country_code"],
        ["countries.code"],
    ),
    sa.ForeignKeyConstraint(["investor_id"], ["investors.id"], ondelete="CASCADE"),
    sa.PrimaryKeyConstraint("investor_id", "country_code"),
)

sa.Table(
    "investor_excluded_sectors",
    metadata,
    sa.Column("investor_id", sa.Integer(), nullable=False),
    sa.Column("sector_slug", sa.String(length=40), nullable=False),
    sa.ForeignKeyConstraint(["investor_id"], ["investors.id"], ondelete="CASCADE"),
    sa.ForeignKeyConstraint(
        ["sector_slug"],
        ["sectors.slug"],
    ),
    sa.PrimaryKeyConstraint("investor_id", "sector_slug"),
)

sa.Table(
    "investor_sectors",
    metadata,
    sa.Column("investor_id", sa.Integer(), nullable=False),
    sa.Column("sector_slug", sa.String(length=40), nullable=False),
    sa.ForeignKeyConstraint(["investor_id"], ["investors.id"], ondelete="CASCADE"),
    sa.ForeignKeyConstraint(
        ["sector_slug"],
        ["sectors.slug"],
    ),
    sa.PrimaryKeyConstraint("investor_id", "sector_slug"),
)

sa.Table(
    "regions",
    metadata,
    sa.Column("code", sa.String(length=10), nullable=False),
    sa.Column("country_code", sa.String(length=2), nullable=False),
    sa.Column("type", sa.String(length=20), nullable=False),
    sa.Column("name_en", sa.String(length=80), nullable=False),
    sa.Column("name_ru", sa.String(length=80), nullable=False),
    sa.Column("name_kk", sa.String(length=80), nullable=False),
    sa.Column("capital_en", sa.String(length=80), nullable=False),
    sa.Column("capital_ru", sa.String(length=80), nullable=False),
    sa.Column("lat", sa.Float(), nullable=False),
    sa.Column("lon", sa.Float(), nullable=False),
    sa.ForeignKeyConstraint(
        ["country_code"],
        ["countries.code"],
    ),
    sa.PrimaryKeyConstraint("code"),
)

sa.Table(
    "investor_regions",
    metadata,
    sa.Column("investor_id", sa.Integer(), nullable=False),
    sa.Column("region_code", sa.String(length=10), nullable=False),
    sa.ForeignKeyConstraint(["investor_id"], ["investors.id"], ondelete="CASCADE"),
    sa.ForeignKeyConstraint(
        ["region_code"],
        ["regions.code"],
    ),
    sa.PrimaryKeyConstraint("investor_id", "region_code"),
)

sa.Table(
    "projects",
    metadata,
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("external_id", sa.String(length=64), nullable=False),
    sa.Column("title", sa.String(length=200), nullable=False),
    sa.Column("summary", sa.String(length=300), nullable=False),
    sa.Column("description", sa.Text(), nullable=False),
    sa.Column("owner_name", sa.String(length=200), nullable=False),
    sa.Column("country_code", sa.String(length=2), nullable=True),
    sa.Column("region_code", sa.String(length=10), nullable=True),
    sa.Column("city", sa.String(length=120), nullable=True),
    sa.Column("stage", sa.String(length=20), nullable=True),
    sa.Column("instruments", sa.JSON(), nullable=False),
    sa.Column("funding_ask", sa.BigInteger(), nullable=True),
    sa.Column("unknown", sa.JSON(), nullable=False),
    sa.Column("total_cost", sa.BigInteger(), nullable=True),
    sa.Column("currency", sa.String(length=3), nullable=False),
    sa.Column("expected_irr_pct", sa.Float(), nullable=True),
    sa.Column("payback_years", sa.Float(), nullable=True),
    sa.Column("jobs_created", sa.Integer(), nullable=True),
    sa.Column("green_certification", sa.String(length=120), nullable=True),
    sa.Column("aifc_link", sa.String(length=30), nullable=False),
    sa.Column("aifc_reference", sa.String(length=200), nullable=True),
    sa.Column("website", sa.String(length=200), nullable=True),
    sa.Column("founded_year", sa.Integer(), nullable=True),
    sa.Column("team_size", sa.Integer(), nullable=True),
    sa.Column("past_investors", sa.String(length=500), nullable=True),
    sa.Column("org_key", sa.String(length=200), nullable=True),
    sa.Column("name_key", sa.String(length=200), nullable=True),
    sa.Column("website_domain", sa.String(length=200), nullable=True),
    sa.Column("language", sa.String(length=2), nullable=False),
    sa.Column("status", sa.String(length=20), nullable=False),
    sa.Column("owner_account_id", sa.Integer(), nullable=True),
    sa.Column("is_demo", sa.Boolean(), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("version", sa.Integer(), server_default="1", nullable=False),
    sa.ForeignKeyConstraint(
        ["country_code"],
        ["countries.code"],
    ),
    sa.ForeignKeyConstraint(["owner_account_id"], ["accounts.id"], ondelete="SET NULL"),
    sa.ForeignKeyConstraint(
        ["region_code"],
        ["regions.code"],
    ),
    sa.PrimaryKeyConstraint("id"),
    sa.UniqueConstraint("external_id"),
)

sa.Table(
    "saved_searches",
    metadata,
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("account_id", sa.Integer(), nullable=False),
    sa.Column("name", sa.String(length=120), nullable=False),
    sa.Column("query", sa.Text(), nullable=True),
    sa.Column("filters", sa.JSON(), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(["account_id"], ["accounts.id"], ondelete="CASCADE"),
    sa.PrimaryKeyConstraint("id"),
)

sa.Table(
    "aifc_verifications",
    metadata,
    sa.Column("project_id", sa.Integer(), nullable=False),
    sa.Column("verified", sa.Boolean(), nullable=False),
    sa.Column("verified_by", sa.String(length=254), nullable=False),
    sa.Column("note", sa.Text(), nullable=True),
    sa.Column("verified_at", sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(["project_id"], ["projects.id"], ondelete="CASCADE"),
    sa.PrimaryKeyConstraint("project_id"),
)

sa.Table(
    "interests",
    metadata,
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("investor_id", sa.Integer(), nullable=False),
    sa.Column("project_id", sa.Integer(), nullable=False),
    sa.Column("stage", sa.String(length=20), nullable=False),
    sa.Column("decline_reason", sa.String(length=40), nullable=True),
    sa.Column("note", sa.Text(), nullable=True),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(["investor_id"], ["investors.id"], ondelete="CASCADE"),
    sa.ForeignKeyConstraint(["project_id"], ["projects.id"], ondelete="CASCADE"),
    sa.PrimaryKeyConstraint("id"),
    sa.UniqueConstraint("investor_id", "project_id"),
)

sa.Table(
    "project_confidential",
    metadata,
    sa.Column("project_id", sa.Integer(), nullable=False),
    sa.Column("contact_name", sa.String(length=120), nullable=True),
    sa.Column("contact_email", sa.String(length=254), nullable=False),
    sa.Column("contact_phone", sa.String(length=40), nullable=True),
    sa.Column("financial_notes", sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(["project_id"], ["projects.id"], ondelete="CASCADE"),
    sa.PrimaryKeyConstraint("project_id"),
)

sa.Table(
    "project_reviews",
    metadata,
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("project_id", sa.Integer(), nullable=False),
    sa.Column("reviewer", sa.String(length=254), nullable=False),
    sa.Column("decision", sa.String(length=20), nullable=False),
    sa.Column("reason", sa.String(length=40), nullable=True),
    sa.Column("note", sa.Text(), nullable=True),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(["project_id"], ["projects.id"], ondelete="CASCADE"),
    sa.PrimaryKeyConstraint("id"),
)

sa.Table(
    "project_sdgs",
    metadata,
    sa.Column("project_id", sa.Integer(), nullable=False),
    sa.Column("sdg_number", sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(["project_id"], ["projects.id"], ondelete="CASCADE"),
    sa.ForeignKeyConstraint(
        ["sdg_number"],
        ["sdgs.number"],
    ),
    sa.PrimaryKeyConstraint("project_id", "sdg_number"),
)

sa.Table(
    "project_sectors",
    metadata,
    sa.Column("project_id", sa.Integer(), nullable=False),
    sa.Column("sector_slug", sa.String(length=40), nullable=False),
    sa.ForeignKeyConstraint(["project_id"], ["projects.id"], ondelete="CASCADE"),
    sa.ForeignKeyConstraint(
        ["sector_slug"],
        ["sectors.slug"],
    ),
    sa.PrimaryKeyConstraint("project_id", "sector_slug"),
)

sa.Table(
    "introductions",
    metadata,
    sa.Column("interest_id", sa.Integer(), nullable=False),
    sa.Column("accepted_by", sa.String(length=254), nullable=False),
    sa.Column("accepted_at", sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(["interest_id"], ["interests.id"], ondelete="CASCADE"),
    sa.PrimaryKeyConstraint("interest_id"),
)

sa.Index("ix_audit_events_occurred_at", metadata.tables["audit_events"].c.occurred_at)
sa.Index("ix_investors_active", metadata.tables["investors"].c.active)
sa.Index("ix_regions_country_code", metadata.tables["regions"].c.country_code)
sa.Index("ix_projects_country_code", metadata.tables["projects"].c.country_code)
sa.Index("ix_projects_name_key", metadata.tables["projects"].c.name_key)
sa.Index("ix_projects_org_key", metadata.tables["projects"].c.org_key)
sa.Index("ix_projects_region_code", metadata.tables["projects"].c.region_code)
sa.Index("ix_projects_status", metadata.tables["projects"].c.status)
sa.Index("ix_projects_website_domain", metadata.tables["projects"].c.website_domain)
sa.Index("ix_saved_searches_account_id", metadata.tables["saved_searches"].c.account_id)
sa.Index("ix_interests_investor_id", metadata.tables["interests"].c.investor_id)
sa.Index("ix_interests_project_id", metadata.tables["interests"].c.project_id)
sa.Index("ix_project_confidential_contact_email", metadata.tables["project_confidential"].c.contact_email)
sa.Index("ix_project_confidential_contact_phone", metadata.tables["project_confidential"].c.contact_phone)
sa.Index("ix_project_reviews_project_id", metadata.tables["project_reviews"].c.project_id)
