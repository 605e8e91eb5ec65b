"""The harvestable feed: which datasets, in which order, on which page; plain queries only.

Anonymous rules apply (``visibility_clause(None)``): only published and deprecated datasets
appear, so a withdrawn one is gone from the next harvest.

Order: oldest first (by when the dataset was registered, then id), an order no edit changes.
Each page's ``hydra:next`` seeks past the last dataset it holds (``after=``), so a harvester
that follows it reads every dataset exactly once however they are edited meanwhile, and a
deep page costs what the first costs. ``page=N`` still works (an offset over the same order).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from piccolo.query.functions.aggregate import Max, Min

from catalogue.datasets import queries, seek
from catalogue.datasets.tables import Dataset
from catalogue.db import stored_datetime
from catalogue.dcat import feed_filters, profiles
from catalogue.domain.problems import InvalidDocument, Problem
from catalogue.errors import BadRequest

PAGE_SIZE = 100
CLASSIFICATIONS = ("open", "closed", "personal")


@dataclass(frozen=True)
class FeedQuery:
    page: int = 1
    after: seek.Cursor | None = None
    modified_since: dt.datetime | None = None
    q: str = ""
    theme: str | None = None
    classification: str | None = None
    publisher: str | None = None
    fq: str = ""  # CKAN's filter query (ckanext-dcat's catalogue endpoint takes it)
    sort: str = ""  # CKAN's sort (``metadata_modified desc``)
    profile: str = profiles.DEFAULT

    def params(self) -> tuple[tuple[str, str], ...]:
        """The filters as query parameters (for the paging links), page excluded."""
        values = [
            ("modified_since", self.modified_since.isoformat() if self.modified_since else ""),
            ("q", self.q),
            ("fq", self.fq),
            ("sort", self.sort),
            ("theme", self.theme or ""),
            ("classification", self.classification or ""),
            ("publisher", self.publisher or ""),
            ("profile", self.profile if self.profile != profiles.DEFAULT else ""),
        ]
        return tuple((name, value) for name, value in values if value)

    @property
    def searched(self) -> bool:
        """Answered from the search index (numbered pages) rather than a seek."""
        return bool(self.q or self.fq or self.sort)


def parse_feed_query(raw: dict[str, str | None]) -> FeedQuery:
    """Check every parameter and report all bad ones at once (a 400 names each)."""
    problems: list[Problem] = []
    page = 1
    if raw.get("page") not in (None, ""):
        try:
            page = int(str(raw["page"]))
        except ValueError:
            page = 0
        if page < 1:
            problems.append(
                Problem(
                    "page",
                    f"'{raw['page']}' is not a page number; pages are counted from 1",
                    "bad_page",
                )
            )
    modified_since = None
    if raw.get("modified_since"):
        try:
            modified_since = dt.datetime.fromisoformat(
                str(raw["modified_since"]).replace("Z", "+00:00")
            )
        except ValueError:
            problems.append(
                Problem(
                    "modified_since",
                    "must be an ISO 8601 date or date-time such as 2025-01-31T12:00:00Z",
                    "bad_date",
                )
            )
        else:
            if modified_since.tzinfo is None:
                modified_since = modified_since.replace(tzinfo=dt.UTC)
    after = None
    if raw.get("after"):
        try:
            after = seek.Cursor.parse(str(raw["after"]), "after")
        except BadRequest:
            problems.append(
                Problem(
                    "after",
                    "is not a position this feed gave out in "
                    "hydra:next; start again from the first page",
                    "bad_cursor",
                )
            )
    classification = raw.get("classification") or None
    if classification and classification not in CLASSIFICATIONS:
        problems.append(Problem("classification", f"must be one of {', '.join(CLASSIFICATIONS)}"))
    fq, sort = (raw.get("fq") or "").strip(), (raw.get("sort") or "").strip()
    problems += feed_filters.check(fq, sort)
    profile = profiles.DEFAULT
    try:
        profile = profiles.parse_profile(raw.get("profile"))
    except InvalidDocument as error:
        problems += error.problems
    if problems:
        raise InvalidDocument(problems)
    return FeedQuery(
        page=page,
        after=after,
        modified_since=modified_since,
        q=(raw.get("q") or "").strip(),
        theme=raw.get("theme") or None,
        classification=classification,
        publisher=raw.get("publisher") or None,
        fq=fq,
        sort=sort,
        profile=profile,
    )


async def _searched_page(query: FeedQuery) -> tuple[list[str], int]:
    """One page of the slugs matching ``q`` with the feed's filters and order, straight from
    the search index (work for one page, not for every match)."""
    from catalogue.search import service as search  # here: search renders feeds' records

    filters = {
        name: [value]
        for name, value in (
            ("classification", query.classification),
            ("publisher", query.publisher),
            ("theme", query.theme),
        )
        if value
    }
    plan = await feed_filters.plan(query.fq, query.sort, query.modified_since)
    text = " ".join([query.q, *plan.text]).strip()
    slugs, total, _facets = await search.search_slugs(
        search.SearchQuery(q=text, filters=filters),
        None,
        sort_fields=plan.sort_fields,
        modified_from=plan.modified_from,
        exclude=plan.exclude,
        any_of=plan.any_of,
        start=(query.page - 1) * PAGE_SIZE,
        rows=PAGE_SIZE,
    )
    return slugs, total


@dataclass(frozen=True)
class FeedPage:
    rows: list[dict[str, Any]]  # of ``RECORD_COLUMNS``: validated only when needed
    total: int
    next_after: str | None  # None: the last page, or a searched feed (paged by number)

    @property
    def records(self) -> list[queries.DatasetRecord]:
        return queries.records_from_rows(self.rows)


async def feed_page(query: FeedQuery) -> FeedPage:
    """One page of the feed (raises InvalidDocument for a page past the last one).

    With ``q`` the search index gives the page (ranked by newest change, numbered pages);
    without it the page is a seek over the registration order."""
    if query.searched:
        slugs, total = await _searched_page(query)
        _check_page(query, total)
        return FeedPage(await _rows_of(slugs), total, None)
    filters = queries.DatasetFilter(
        classification=query.classification,
        publisher=query.publisher,
        theme=query.theme,
        modified_since=query.modified_since,
    )
    count = await queries.count_records(None, filters)
    if query.after is None:
        _check_page(query, count)
    offset = 0 if query.after else (query.page - 1) * PAGE_SIZE
    rows, following = await seek.seek_records(
        None,
        filters,
        PAGE_SIZE,
        query.after,
        "created",
        offset=offset,
    )
    return FeedPage(rows, count, following.token() if following else None)


def _check_page(query: FeedQuery, total: int) -> None:
    last = max(1, -(-total // PAGE_SIZE))
    if query.page > last:
        raise InvalidDocument(
            [Problem("page", f"there is no page {query.page}; the last page is {last}", "bad_page")]
        )


async def _rows_of(slugs: list[str]) -> list[dict[str, Any]]:
    """The public rows of these slugs, in the searched page's order."""
    rows: list[dict[str, Any]] = (
        await Dataset.select(*queries.RECORD_COLUMNS)
        .where(Dataset.slug.is_in(slugs or [""]), queries.public_clause())
        .output(load_json=True)
    )
    place = {slug: number for number, slug in enumerate(slugs)}
    return sorted(rows, key=lambda row: place.get(row["slug"], len(place)))


async def first_issued() -> dt.datetime | None:
    """When the first dataset was registered: the catalogue's ``dct:issued`` (one index
    lookup: ``created`` leads the feed's ordering index)."""
    row = await Dataset.select(Min(Dataset.created, alias="first")).first()
    value = row["first"] if row else None
    if value is None:
        return None
    return stored_datetime(value)


async def last_change() -> dt.datetime | None:
    """The latest change the public saw to a dataset (a withdrawal too, never a draft's edit:
    ``Dataset.public_modified``) or to an organisation: the feed's Last-Modified."""
    from catalogue.organisations.tables import Organisation

    datasets = await Dataset.select(Max(Dataset.public_modified, alias="latest")).first()
    organisations = await Organisation.select(Max(Organisation.modified, alias="latest")).first()
    values = [row["latest"] for row in (datasets, organisations) if row and row["latest"]]
    return max(map(stored_datetime, values), default=None)
