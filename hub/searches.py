"""Saved searches: a query and filters an investor keeps, and what is new since the last visit."""

from __future__ import annotations

from dataclasses import asdict, fields
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from hub import repository
from hub.catalog import ProjectFacts
from hub.matching import Matcher, MatchResult, ProjectFilters
from hub.models import SavedSearch, utcnow
from hub.schemas import FieldError, InvalidInput

RESULTS = 50


def filters_to_json(filters: ProjectFilters) -> dict[str, Any]:
    return {key: list(value) if isinstance(value, tuple) else value for key, value in asdict(filters).items()}


def filters_from_json(data: dict[str, Any]) -> ProjectFilters:
    known = {f.name for f in fields(ProjectFilters)}
    values = {k: tuple(v) if isinstance(v, list) else v for k, v in data.items() if k in known}
    return ProjectFilters(**values)


def save_search(
    session: Session, account_id: int, name: str, query: str | None, filters: ProjectFilters, *, actor: str
) -> SavedSearch:
    """Keep a search under ``name``; everything published until now counts as seen."""
    name = name.strip()
    if not name:
        raise InvalidInput([FieldError("search_name", "give the search a name, e.g. 'Solar in Uzbekistan'")])
    search = SavedSearch(
        account_id=account_id,
        name=name[:120],
        query=(query or "").strip() or None,
        filters=filters_to_json(filters),
    )
    session.add(search)
    repository.record_event(
        session, actor=actor, action="search.saved", entity_type="saved_search", entity_id=None,
        details={"name": search.name},
    )  # fmt: skip
    session.flush()
    return search


def run_search(matcher: Matcher, search: SavedSearch) -> list[ProjectFacts]:
    """The published projects the saved search finds now, best (or newest) first."""
    filters = filters_from_json(search.filters)
    if search.query:
        found = matcher.search_projects(search.query, top=RESULTS, filters=filters).items
        return [matcher.projects.facts[matcher.projects.position(m.id)] for m in found]
    return matcher.browse_projects(filters, limit=RESULTS)


def new_since_last_visit(matcher: Matcher, search: SavedSearch) -> list[ProjectFacts]:
    """Projects the search finds that were published after the investor last looked."""
    return [facts for facts in run_search(matcher, search) if facts.published_at > search.last_seen_at]


def mark_seen(search: SavedSearch) -> None:
    """This visit showed the search's results: they are no longer new."""
    search.last_seen_at = utcnow()


def new_matches(matcher: Matcher, investor_id: int, since: datetime | None, top: int = 50) -> MatchResult:
    """Projects published after ``since`` that fit the investor's mandate, best first however
    far down the full ranking they sit (``passing`` counts them all); none on a first visit."""
    if since is None:
        return MatchResult(items=[], passing=0, requested=top)
    fresh = ProjectFilters(published_after=since.timestamp())
    return matcher.projects_for_investor(investor_id, top=top, filters=fresh)
