"""``/sitemap.xml``: a sitemap index whose pages (``/sitemap-{n}.xml``) hold at most 50,000 URLs.

Pages follow registration order (``created, id``), which no edit changes and where new
datasets always come last, so a page's range never moves once it is full. The *plan* (where
each page starts, and when each last changed for the public) is kept per process and brought
up to date when the catalogue version moves:

* a new page starts 50,000 rows (of any status, so publishing a draft never overflows a page)
  after the last one's start: one bounded index skip, never an offset from the beginning;
* a page's ``lastmod`` is the latest ``public_modified`` of its rows (a publication, a public
  edit, a withdrawal); rows changed since the last look are found through the
  ``public_modified`` index, so only they are read.

The first look of a process walks the ``(created, id)`` index once (20 skips at 1M datasets)
and takes each page's latest ``public_modified`` with one aggregate per page. A page's XML
is cached until its range or its ``lastmod`` changes, so writes elsewhere in the catalogue
never rebuild it.
"""

from __future__ import annotations

import asyncio
import bisect
import datetime as dt
import gzip
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID
from xml.sax.saxutils import escape

from piccolo.columns.combination import WhereRaw
from piccolo.query.functions.aggregate import Max

from catalogue.datasets.queries import DatasetFilter, filter_clauses
from catalogue.datasets.tables import Dataset
from catalogue.datasets.versions import VersionedCache, current_version
from catalogue.db import stored_datetime

PAGE_SIZE = 50_000
MAX_PAGES = 200  # 10 million datasets: the routes /sitemap-1.xml ... /sitemap-200.xml
XMLNS = "http://www.sitemaps.org/schemas/sitemap/0.9"
LOOKBACK = dt.timedelta(minutes=2)
Key = tuple[dt.datetime, UUID]


def _key(row: dict[str, Any]) -> Key:
    identifier = row["id"]
    return stored_datetime(row["created"]), identifier if isinstance(identifier, UUID) else UUID(
        str(identifier)
    )


def _range(low: Key, high: Key | None) -> list[Any]:
    clauses: list[Any] = [WhereRaw('("dataset"."created", "dataset"."id") >= ({}, {})', *low)]
    if high is not None:
        clauses.append(WhereRaw('("dataset"."created", "dataset"."id") < ({}, {})', *high))
    return clauses


@dataclass
class Plan:
    """Where each page starts (its first row's key) and when it last changed."""

    starts: list[Key] = field(default_factory=list)
    lastmod: list[dt.datetime | None] = field(default_factory=list)
    seen: dt.datetime | None = None  # public_modified applied through
    version: int | None = None

    def page_of(self, key: Key) -> int:
        return bisect.bisect_right(self.starts, key) - 1

    def bounds(self, number: int) -> tuple[Key, Key | None]:
        """The range of page ``number`` (1-based)."""
        following = self.starts[number] if number < len(self.starts) else None
        return self.starts[number - 1], following


_plan = Plan()


def forget() -> None:
    """Drop the plan and the pages: the database was replaced under this process (a restore
    from a copy, the tests), so the catalogue's version may have gone back."""
    global _plan
    _plan = Plan()
    _pages.clear()


_locks: dict[int, asyncio.Lock] = {}


def _lock() -> asyncio.Lock:
    loop = id(asyncio.get_running_loop())
    return _locks.setdefault(loop, asyncio.Lock())


async def _first_row() -> Key | None:
    row = await (
        Dataset.select(Dataset.created, Dataset.id)
        .order_by(Dataset.created)
        .order_by(Dataset.id)
        .first()
    )
    return _key(row) if row else None


async def _still_valid(plan: Plan) -> bool:
    """The database is the one the plan was made from (tests and restores replace it)."""
    if not plan.starts:
        return True
    if await _first_row() != plan.starts[0]:
        return False
    created, identifier = plan.starts[-1]
    return bool(
        await Dataset.exists().where((Dataset.id == identifier) & (Dataset.created == created))
    )


async def _extend(plan: Plan) -> None:
    if not plan.starts:
        first = await _first_row()
        if first is None:
            return
        plan.starts, plan.lastmod = [first], [None]
    while len(plan.starts) < MAX_PAGES:
        row = await (
            Dataset.select(Dataset.created, Dataset.id)
            .where(*_range(plan.starts[-1], None))
            .order_by(Dataset.created)
            .order_by(Dataset.id)
            .offset(PAGE_SIZE)
            .first()
        )
        if row is None:
            return
        plan.starts.append(_key(row))
        plan.lastmod.append(None)


async def _first_look(plan: Plan) -> None:
    """Each page's latest public change: one aggregate per page over the
    ``(created, id, public_modified)`` index, so no row is read into Python."""
    for number in range(1, len(plan.starts) + 1):
        row = await (
            Dataset.select(Max(Dataset.public_modified, alias="latest"))
            .where(*_range(*plan.bounds(number)))
            .first()
        )
        if row and row["latest"] is not None:
            when = stored_datetime(row["latest"])
            plan.lastmod[number - 1] = when
            plan.seen = when if plan.seen is None else max(plan.seen, when)


async def _apply_changes(plan: Plan) -> None:
    if plan.seen is None:
        await _first_look(plan)
        if plan.seen is None:
            return  # nothing public yet; the next look starts from the beginning again
    # A transaction stamps its rows before it commits, so one may commit after a later
    # stamp was seen: look back a little (re-reading a row is harmless, a max).
    query = Dataset.select(Dataset.created, Dataset.id, Dataset.public_modified).where(
        Dataset.public_modified >= plan.seen - LOOKBACK
    )
    for row in await query:
        when = stored_datetime(row["public_modified"])
        page = plan.page_of(_key(row))
        if page >= 0:
            current = plan.lastmod[page]
            plan.lastmod[page] = when if current is None else max(current, when)
        plan.seen = when if plan.seen is None else max(plan.seen, when)


async def current_plan() -> Plan:
    """The plan at the catalogue's current version (brought up to date when it moved)."""
    global _plan
    version = await current_version()
    if _plan.version == version:
        return _plan
    async with _lock():
        if _plan.version != version:
            plan = _plan if await _still_valid(_plan) else Plan()
            await _extend(plan)
            await _apply_changes(plan)
            plan.version = version
            _plan = plan
    return _plan


def _lastmod(value: dt.datetime | None) -> str:
    if value is None:
        return ""
    stamp = value.astimezone(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    return f"<lastmod>{stamp}</lastmod>"


def index_xml(base_url: str, plan: Plan, extra: list[str]) -> bytes:
    """The sitemap index: one entry per page, then ``extra`` sitemap paths."""
    parts = ['<?xml version="1.0" encoding="UTF-8"?>\n', f'<sitemapindex xmlns="{XMLNS}">\n']
    for number, lastmod in enumerate(plan.lastmod, start=1):
        parts.append(
            f"<sitemap><loc>{escape(base_url)}/sitemap-{number}.xml</loc>"
            f"{_lastmod(lastmod)}</sitemap>\n"
        )
    for path in extra:
        parts.append(f"<sitemap><loc>{escape(base_url + path)}</loc></sitemap>\n")
    parts.append("</sitemapindex>\n")
    return "".join(parts).encode()


def urlset_xml(entries: list[tuple[str, dt.datetime | None]]) -> bytes:
    """A sitemap page: ``(absolute URL, last modified)`` per entry."""
    parts = ['<?xml version="1.0" encoding="UTF-8"?>\n', f'<urlset xmlns="{XMLNS}">\n']
    parts += [f"<url><loc>{escape(url)}</loc>{_lastmod(when)}</url>\n" for url, when in entries]
    parts.append("</urlset>\n")
    return "".join(parts).encode()


_pages: VersionedCache[tuple[bytes, bytes]] = VersionedCache(
    max_entries=64, max_bytes=128 * 1024 * 1024
)


async def page_xml(base_url: str, number: int) -> tuple[bytes, bytes] | None:
    """Page ``number`` (1-based) as XML and gzipped XML (a 50,000-URL page is ~4 MB, and
    compressing it on every request would cost more than reading it), or None when there
    is no such page."""
    plan = await current_plan()
    if not 1 <= number <= len(plan.starts):
        return None
    low, high = plan.bounds(number)
    version = (low, high, plan.lastmod[number - 1], base_url)
    cached = _pages.get(number, version)
    if cached is not None:
        return cached
    public = filter_clauses(None, DatasetFilter(), scan=True)
    rows = await (
        Dataset.select(Dataset.slug, Dataset.modified)
        .where(*public, *_range(low, high))
        .order_by(Dataset.created)
        .order_by(Dataset.id)
        .limit(PAGE_SIZE)
    )
    body = urlset_xml(
        [(f"{base_url}/dataset/{row['slug']}", stored_datetime(row["modified"])) for row in rows]
    )
    pair = (body, gzip.compress(body, compresslevel=6))
    _pages.put(number, version, pair, size=len(pair[0]) + len(pair[1]))
    return pair
