"""What a search asks and what it answers: plain values, shared by the service, the API,
the pages and the caches that keep answers (they are never changed once made)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any


@dataclass
class SearchQuery:
    q: str = ""
    filters: dict[str, list[str]] = field(default_factory=dict)
    sort: str = "relevance"
    page: int = 1
    size: int = 20
    language: str = ""
    """Titles in this language where the dataset has one (pages); "" the default language."""


@dataclass
class SearchHit:
    slug: str
    title: str
    snippet: str
    classification: str
    publisher: str
    publisher_name: str
    themes: list[str]
    modified: dt.datetime
    title_language: str = ""
    """The language ``title`` is in (pages mark a title in another language than theirs)."""

    def as_json(self) -> dict[str, Any]:
        """The hit as the API gives it (by hand: ``dataclasses.asdict`` deep-copies)."""
        return {
            "slug": self.slug,
            "title": self.title,
            "snippet": self.snippet,
            "classification": self.classification,
            "publisher": self.publisher,
            "publisher_name": self.publisher_name,
            "themes": list(self.themes),
            "modified": self.modified.isoformat(),
            "links": {"self": f"/api/v1/datasets/{self.slug}", "html": f"/dataset/{self.slug}"},
        }


@dataclass
class SearchResult:
    items: list[SearchHit]
    total: int
    page: int
    size: int
    facets: dict[str, list[tuple[str, int]]]
    suggestion: str | None = None
    note: str | None = None

    def as_json(self) -> dict[str, Any]:
        """The result as the API and the search page's JSON twin give it."""
        return {
            "items": [hit.as_json() for hit in self.items],
            "total": self.total,
            "page": self.page,
            "size": self.size,
            "facets": {
                name: [{"value": value, "count": count} for value, count in counts]
                for name, counts in self.facets.items()
            },
            "suggestion": self.suggestion,
            "note": self.note,
        }
